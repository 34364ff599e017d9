"""The demo page (GET /), the share page of a card (GET /c/{id}) and their static files (SPEC §9).

No front-end build step and nothing from a CDN: service/static/ holds the page's script,
stylesheet and words (texts.json), read once at start-up and served from memory. The pages
are Jinja2 templates in service/templates/ with autoescape on, so every value that comes
from a card (the name is user input) is escaped wherever it lands; the demo page is
rendered once per language at start-up. All pages carry a Content-Security-Policy that
allows no inline script.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import orjson
from aiohttp import web

from service import keys
from service.card_files import FILES, PNG
from service.errors import ServiceError
from service.ids import CARD_ID
from service.json_log import log_json

log = logging.getLogger("citizen_card.pages")

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"page.css": "text/css", "page.js": "text/javascript"}
"""The only files /static/{name} serves: a fixed list, so no path from a request reaches the disk."""
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"), auto_reload=False,
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, keep_trailing_newline=True)
"""The pages' templates (service/templates/), read once; every {{ value }} is HTML-escaped."""
# tojson writes the demo page's words for its script: compact, non-ASCII as is (it still escapes
# <, >, & and ' so the JSON cannot end its <script> block).
TEMPLATES.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}

PAGE_CACHE = "public, max-age=60"
STATIC_CACHE = "public, max-age=300"
SHARE_CACHE = "public, max-age=300"  # the page never holds an expiring URL (share_page); kept short anyway

_SELF_ONLY = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
DEMO_CSP = (f"{_SELF_ONLY}; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' https: http: data:; form-action 'self'")
SHARE_CSP = f"{_SELF_ONLY}; style-src 'self'; img-src 'self' https: http: data:; form-action 'none'"

OG_LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh-TW": "zh_TW"}

PAGE_TEXTS: dict[str, dict[str, str]] = orjson.loads((STATIC_DIR / "texts.json").read_bytes())
"""The words of every page (demo, share, 404, 503) per language: one catalog, service/static/texts.json."""
SHARE_TEXTS = PAGE_TEXTS  # the share page's words, in the card's language
PAGE_LANGUAGES = tuple(PAGE_TEXTS)
DEFAULT_LANGUAGE = "en"


def page_language(request: web.Request) -> str:
    """The visitor's language (the demo page's, and the share route's 404 and 503 pages'): ?lang=
    (the visible switch) if it is one of ours, else the best of Accept-Language (by q), else English."""
    asked = request.query.get("lang", "")
    if asked in PAGE_TEXTS:
        return asked
    ranked = []
    for position, item in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, *params = (p.strip() for p in item.split(";"))
        try:
            q = float(next((p[2:] for p in params if p.lower().startswith("q=")), "1"))
        except ValueError:
            continue
        language = _ours(tag.lower())
        if language and q > 0:
            ranked.append((-q, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def _ours(tag: str) -> str | None:
    if tag.startswith("ko"):
        return "ko"
    if tag.startswith("ja"):
        return "ja"
    if tag in ("zh-tw", "zh-hk", "zh-mo") or tag.startswith("zh-hant"):
        return "zh-TW"
    if tag.startswith("en"):
        return "en"
    return None


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    version: str


def load_static() -> dict[str, StaticFile]:
    files = {}
    for name, content_type in STATIC_TYPES.items():
        body = (STATIC_DIR / name).read_bytes()
        files[name] = StaticFile(body, content_type, hashlib.sha256(body).hexdigest()[:12])
    return files


STATIC = web.AppKey("static_files", dict)
INDEX = web.AppKey("index_html", dict)  # language -> the demo page in it


def render_index(files: dict[str, StaticFile], lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The demo page in `lang`, with its asset URLs versioned by content hash (a changed file is
    never served stale)."""
    language_names = {code: words["language_name"] for code, words in PAGE_TEXTS.items()}
    return TEMPLATES.get_template("index.html").render(
        lang=lang, t=PAGE_TEXTS[lang], language_names=language_names,
        versions={name: file.version for name, file in files.items()}).encode()


def _html(body: str | bytes, *, status: int = 200, cache: str, csp: str,
          headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=body.encode() if isinstance(body, str) else body, status=status,
                        content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": cache, "Content-Security-Policy": csp,
                                 "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "strict-origin-when-cross-origin", **(headers or {})})


async def demo_page(request: web.Request) -> web.Response:
    lang = page_language(request)
    return _html(request.app[INDEX][lang], cache=PAGE_CACHE, csp=DEMO_CSP,
                 headers={"Vary": "Accept-Language", "Content-Language": lang})


async def static_file(request: web.Request) -> web.Response:
    file = request.app[STATIC].get(request.match_info["name"])
    if file is None:
        raise web.HTTPNotFound()
    return web.Response(body=file.body, content_type=file.content_type, charset="utf-8",
                        headers={"Cache-Control": STATIC_CACHE, "X-Content-Type-Options": "nosniff"})


def share_html(*, card_id: str, name: str, language: str, alt_text: str, image_url: str, page_url: str,
               css_version: str, social_url: str | None = None, social: str = "png") -> str:
    """The share page; `social_url` is the og:image (the 1200x630 `og` variant when the card has
    one, else the card itself: `social` names which)."""
    words = SHARE_TEXTS.get(language, SHARE_TEXTS[DEFAULT_LANGUAGE])
    return TEMPLATES.get_template("share.html").render(
        lang=language, t=words, css_version=css_version, card_id=card_id, name=name, alt_text=alt_text,
        title=f"{words['of'].format(name=name)} · {words['card']}", description=alt_text or words["lead"],
        og_locale=OG_LOCALES.get(language, "en_US"), page_url=page_url, image_url=image_url,
        social_url=social_url or image_url, social_file=FILES[social], card=PNG)


def error_page(request: web.Request, template: str, *, status: int, cache: str,
               headers: dict[str, str] | None = None) -> web.Response:
    """The share route's 404 or 503 page, in the visitor's language (page_language)."""
    lang = page_language(request)
    body = TEMPLATES.get_template(template).render(lang=lang, t=PAGE_TEXTS[lang],
                                                   css_version=request.app[STATIC]["page.css"].version)
    return _html(body, status=status, cache=cache, csp=SHARE_CSP,
                 headers={"Vary": "Accept-Language", "Content-Language": lang, **(headers or {})})


def public_origin(request: web.Request) -> str:
    """The base of the absolute URLs on our pages (og:url, canonical): `CITIZEN_PUBLIC_BASE_URL`
    when set, and then the request's Host is never used (a share page is publicly cached: a
    forged Host must not end up in it). Unset (development), the request's own origin, with the
    scheme a trusted proxy reports in X-Forwarded-Proto (TLS usually ends at the proxy)."""
    settings = request.app[keys.SETTINGS]
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    scheme = request.app[keys.PROXIES].scheme(request)
    try:
        return str(request.url.with_scheme(scheme).origin())
    except ValueError:  # a Host header yarl cannot parse
        return settings.base_url


async def share_page(request: web.Request) -> web.Response:
    app = request.app
    css_version = app[STATIC]["page.css"].version
    card_id = request.match_info["id"]

    def not_found() -> web.Response:
        return error_page(request, "not_found.html", status=404, cache="no-cache", headers={"X-Robots-Tag": "noindex"})

    if not CARD_ID.match(card_id):
        return not_found()
    storage = app[keys.STORAGE]
    try:
        raw = await storage.get_record(card_id)
        if raw is None:
            return not_found()
    except ServiceError as exc:
        log_json(log, logging.WARNING, {"event": "share_page_storage_error", "reason": exc.message})
        return error_page(request, "unavailable.html", status=503, cache="no-store", headers={"Retry-After": "5"})
    try:
        record = orjson.loads(raw)
        recipe = record["recipe"]
        name, language = str(recipe["name"]), str(recipe["language"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        log_json(log, logging.ERROR, {"event": "share_page_bad_record", "id": card_id})
        return not_found()
    alt_text = str(record.get("altText") or "")
    page_url = f"{public_origin(request)}/c/{card_id}"
    social = "og" if "og" in record.get("variants", ()) else "png"
    if storage.urls_expire:
        # Crawlers fetch og:image hours or days later: link our own stable address, which
        # redirects to a freshly signed URL (card_image_redirect), never a URL that expires.
        image_url, social_url = f"{page_url}/png", f"{page_url}/{social}"
    else:
        image_url, social_url = await storage.url(card_id), await storage.url(card_id, social)
    image_url = urljoin(page_url, image_url)  # absolute even if a public base URL is a path
    social_url = urljoin(page_url, social_url)
    body = share_html(card_id=card_id, name=name, language=language, alt_text=alt_text, image_url=image_url,
                      page_url=page_url, css_version=css_version, social_url=social_url, social=social)
    return _html(body, cache=SHARE_CACHE, csp=SHARE_CSP)


async def card_image_redirect(request: web.Request) -> web.Response:
    """GET /c/{id}/{file}: a stable address for a card's image (share pages link it when the
    store's URLs expire): 302 to a URL fresh from storage, never cached for long."""
    card_id, file = request.match_info["id"], request.match_info["file"]
    storage = request.app[keys.STORAGE]
    raw = await storage.get_record(card_id) if CARD_ID.match(card_id) else None
    if raw is None:
        raise web.HTTPNotFound()
    if file != "png" and file not in orjson.loads(raw).get("variants", ()):
        file = "png"  # a card minted before its deployment made this variant
    return web.Response(status=302, headers={"Location": await storage.url(card_id, file),
                                             "Cache-Control": "public, max-age=60"})


def setup_pages(app: web.Application) -> None:
    files = load_static()
    app[STATIC] = files
    app[INDEX] = {lang: render_index(files, lang) for lang in PAGE_LANGUAGES}
    app.router.add_get("/", demo_page)
    app.router.add_get("/c/{id}", share_page)
    app.router.add_get("/c/{id}/{file:png|webp|og|thumb}", card_image_redirect)
    app.router.add_get("/static/{name}", static_file)
