"""The demo page (GET /), the share page of a card (GET /c/{id}) and their static files (SPEC §9).

No front-end build step and nothing from a CDN: service/static/ holds the page, its
script and its stylesheet, read once at start-up and served from memory. The share page
is built here with html.escape on every value that comes from a card (the name is user
input), and both pages carry a Content-Security-Policy that allows no inline script.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urljoin

import orjson
from aiohttp import web

from service import keys
from service.card_files import FILES, PNG
from service.errors import ServiceError
from service.ids import CARD_ID

log = logging.getLogger("citizen_card.pages")

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"page.css": "text/css", "page.js": "text/javascript"}
"""The only files /static/{name} serves: a fixed list, so no path from a request reaches the disk."""
CARD_WIDTH, CARD_HEIGHT = PNG.width, PNG.height

PAGE_CACHE = "public, max-age=60"
STATIC_CACHE = "public, max-age=300"
SHARE_CACHE = "public, max-age=300"  # the page never holds an expiring URL (share_page); kept short anyway

_SELF_ONLY = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
DEMO_CSP = (f"{_SELF_ONLY}; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self' https: http: data:; form-action 'self'")
SHARE_CSP = f"{_SELF_ONLY}; style-src 'self'; img-src 'self' https: http: data:; form-action 'none'"

FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'%3E"
           "%3Ccircle cx='32' cy='32' r='28' fill='%23e2a35a' stroke='%23a3561c' stroke-width='4'/%3E"
           "%3Ccircle cx='22' cy='24' r='4' fill='%23542e18'/%3E%3Ccircle cx='40' cy='20' r='3' fill='%23542e18'/%3E"
           "%3Ccircle cx='38' cy='40' r='4' fill='%23542e18'/%3E%3Ccircle cx='22' cy='42' r='3' fill='%23542e18'/%3E"
           "%3C/svg%3E")

OG_LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh-TW": "zh_TW"}

PAGE_TEXTS: dict[str, dict[str, str]] = orjson.loads((STATIC_DIR / "texts.json").read_bytes())
"""The words of both pages (demo and share) per language: one catalog, service/static/texts.json."""
SHARE_TEXTS = PAGE_TEXTS  # the share page's words, in the card's language
PAGE_LANGUAGES = tuple(PAGE_TEXTS)
DEFAULT_LANGUAGE = "en"


def page_language(request: web.Request) -> str:
    """The demo page's language: ?lang= (the visible switch) if it is one of ours, else the
    best of Accept-Language (by q), else English."""
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


HEADER_ART = """<svg class="logo" viewBox="0 0 64 64" width="56" height="56" aria-hidden="true" focusable="false">
      <circle cx="32" cy="33" r="27" fill="#f3c27a" stroke="#a3561c" stroke-width="3"/>
      <circle cx="32" cy="33" r="21" fill="#e9a95a"/>
      <circle cx="22" cy="25" r="3.6" fill="#542e18"/><circle cx="39" cy="22" r="2.8" fill="#542e18"/>
      <circle cx="42" cy="38" r="3.6" fill="#542e18"/><circle cx="25" cy="42" r="3" fill="#542e18"/>
      <circle cx="33" cy="32" r="2.2" fill="#542e18"/>
      <path d="M17 12 l5 -8 l5 6 l5 -7 l5 7 l5 -6 l5 8 z" fill="#ffd24a" stroke="#a3561c" stroke-width="1.5"
            stroke-linejoin="round"/>
    </svg>"""


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


def language_switch(lang: str, words: dict[str, str]) -> str:
    """Links to the page in each language; the current one marked for assistive technology."""
    current = ' aria-current="page"'
    links = "".join(
        f'<li><a href="/?lang={code}" lang="{code}" hreflang="{code}"{current if code == lang else ""}>'
        f'{escape(PAGE_TEXTS[code]["language_name"])}</a></li>' for code in PAGE_LANGUAGES)
    return f'<nav class="language-switch" aria-label="{_attr(words["page_language"])}"><ul>{links}</ul></nav>'


def render_index(files: dict[str, StaticFile], lang: str = DEFAULT_LANGUAGE) -> bytes:
    """index.html in `lang`, with its asset URLs versioned by content hash (a changed file is
    never served stale). The script's words travel in a JSON block (not executed, so the CSP
    still allows no inline script)."""
    words = PAGE_TEXTS[lang]
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for name, file in files.items():
        html = html.replace(f'"/static/{name}"', f'"/static/{name}?v={file.version}"')
    options = "".join(f'<option value="{code}" lang="{code}"{" selected" if code == lang else ""}>'
                      f'{escape(PAGE_TEXTS[code]["language_name"])}</option>' for code in PAGE_LANGUAGES)
    texts_json = orjson.dumps(words).decode().replace("<", "\\u003c")
    html = (html.replace("{{favicon}}", FAVICON).replace("{{logo}}", HEADER_ART).replace("{{lang}}", lang)
            .replace("{{switch}}", language_switch(lang, words)).replace("{{language_options}}", options)
            .replace("{{texts_json}}", texts_json))
    for key, value in words.items():
        html = html.replace(f"{{{{t:{key}}}}}", escape(value))
    return html.encode()


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


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _layout(*, lang: str, title: str, head: str, main: str, css_version: str) -> str:
    words = SHARE_TEXTS.get(lang, SHARE_TEXTS["en"])
    footer_lang = "" if lang == "en" else ' lang="en"'
    return f"""<!doctype html>
<html lang="{_attr(lang)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)}</title>
  <meta name="color-scheme" content="light">
  <meta name="theme-color" content="#e28040">
  <link rel="icon" href="{FAVICON}">
  <link rel="stylesheet" href="/static/page.css?v={css_version}">
{head}</head>
<body>
  <a class="skip-link" href="#main">{escape(words['skip'])}</a>
  <header class="site-header">
    <div class="wrap header-inner">
    {HEADER_ART}
      <div>
        <p class="kingdom"><a href="/">{escape(words['site'])}</a></p>
        <p class="office">{escape(words['office'])}</p>
      </div>
    </div>
  </header>
  <main id="main" class="wrap" tabindex="-1">
{main}
  </main>
  <footer class="site-footer wrap">
    <p{footer_lang}>Cards are baked by the citizen-card service &middot; <a href="/openapi.json">API</a></p>
  </footer>
</body>
</html>
"""


def share_html(*, card_id: str, name: str, language: str, alt_text: str, image_url: str, page_url: str,
               card_title: str, css_version: str, social_url: str | None = None, social: str = "png") -> str:
    """The share page; `social_url` is the og:image (the 1200x630 `og` variant when the card has
    one, else the card itself: `social` names which)."""
    social_file = FILES[social]
    words = SHARE_TEXTS.get(language, SHARE_TEXTS["en"])
    title = f"{words['of'].format(name=name)} · {card_title}"
    description = alt_text or words["lead"]
    meta = [
        ("name", "description", description),
        ("property", "og:type", "website"),
        ("property", "og:site_name", words["site"]),
        ("property", "og:locale", OG_LOCALES.get(language, "en_US")),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", page_url),
        ("property", "og:image", social_url or image_url),
        ("property", "og:image:type", social_file.content_type),
        ("property", "og:image:width", str(social_file.width)),
        ("property", "og:image:height", str(social_file.height)),
        ("property", "og:image:alt", alt_text),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", social_url or image_url),
        ("name", "twitter:image:alt", alt_text),
    ]
    head = "".join(f'  <meta {kind}="{_attr(key)}" content="{_attr(value)}">\n' for kind, key, value in meta)
    head += f'  <link rel="canonical" href="{_attr(page_url)}">\n'
    main = f"""    <article class="share" aria-labelledby="share-title">
      <p class="eyebrow">{escape(words['lead'])}</p>
      <h1 id="share-title" class="share-title">{escape(name)}</h1>
      <p class="muted">{escape(card_title)}</p>
      <figure class="card-frame is-ready">
        <img class="card-image" src="{_attr(image_url)}" width="{CARD_WIDTH}" height="{CARD_HEIGHT}"
             alt="{_attr(alt_text)}" decoding="async">
      </figure>
      <p class="actions">
        <a class="button" href="/">{escape(words['mint'])}</a>
        <a class="button secondary" href="{_attr(image_url)}"
           download="citizen-card-{_attr(card_id)}.png">{escape(words['download'])}</a>
      </p>
    </article>
"""
    return _layout(lang=language, title=title, head=head, main=main, css_version=css_version)


def not_found_html(css_version: str) -> str:
    main = """    <section class="panel not-found" aria-labelledby="nf-title">
      <h1 id="nf-title">No such card</h1>
      <p>We looked in every oven of the kingdom and found no citizen card at this address.
         The link may be mistyped, or the card was never minted.</p>
      <p class="actions"><a class="button" href="/">Mint your own card</a></p>
    </section>
"""
    head = '  <meta name="robots" content="noindex">\n'
    return _layout(lang="en", title="No such card · Cookie Kingdom", head=head, main=main, css_version=css_version)


def unavailable_html(css_version: str) -> str:
    main = """    <section class="panel not-found" aria-labelledby="na-title">
      <h1 id="na-title">The card vault is busy</h1>
      <p>We cannot reach the stored cards right now. Please try again in a few seconds.</p>
      <p class="actions"><a class="button" href="/">Back to the card office</a></p>
    </section>
"""
    head = '  <meta name="robots" content="noindex">\n'
    return _layout(lang="en", title="Try again soon · Cookie Kingdom", head=head, main=main, css_version=css_version)


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
    not_found = _html(not_found_html(css_version), status=404, cache="no-cache", csp=SHARE_CSP,
                      headers={"X-Robots-Tag": "noindex"})
    if not CARD_ID.match(card_id):
        return not_found
    storage = app[keys.STORAGE]
    try:
        raw = await storage.get_record(card_id)
        if raw is None:
            return not_found
    except ServiceError as exc:
        log.warning('{"event": "share_page_storage_error", "reason": %s}', orjson.dumps(exc.message).decode())
        return _html(unavailable_html(css_version), status=503, cache="no-store", csp=SHARE_CSP,
                     headers={"Retry-After": "5"})
    try:
        record = orjson.loads(raw)
        recipe = record["recipe"]
        name, language = str(recipe["name"]), str(recipe["language"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        log.error('{"event": "share_page_bad_record", "id": "%s"}', card_id)
        return not_found
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
    card_title = SHARE_TEXTS.get(language, SHARE_TEXTS["en"])["card"]
    body = share_html(card_id=card_id, name=name, language=language, alt_text=alt_text, image_url=image_url,
                      page_url=page_url, card_title=card_title, css_version=css_version, social_url=social_url,
                      social=social)
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
