"""The demo page (GET /) and the share page (GET /c/{id}) of the real app, in process (SPEC §9)."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from html.parser import HTMLParser

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from service import keys
from service.errors import Unavailable
from service.pages import setup_pages

TEXTS = json.loads((Path(__file__).resolve().parent.parent / "service/static/texts.json").read_text())
XSS_NAME = "\"><script>alert(1)'&"
"""Quotes, angle brackets and an ampersand: all drawable by the card font, so the card is minted."""


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: tags with their attributes, meta tags, text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs: str) -> dict[str, str]:
        found = self.find(tag, **attrs)
        assert len(found) == 1, (tag, attrs, found)
        return found[0]

    def meta(self, key: str) -> str:
        found = [a["content"] for t, a in self.tags if t == "meta" and key in (a.get("property"), a.get("name"))]
        assert len(found) == 1, (key, found)
        return found[0]


@pytest.fixture
async def server(app_server):
    return await app_server(env={"CITIZEN_VARIANTS": "og"})  # the social image is opt-in (config.py)


async def mint(session: aiohttp.ClientSession, url: str, name: str, language: str) -> dict:
    async with session.post(url + "/citizen-card", json={"nameOnCard": name, "language": language}) as response:
        body = await response.json()
        assert response.status == 201, body
        return body


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str, dict, str]:
    async with session.get(url) as response:
        return response.status, response.content_type, response.headers.copy(), await response.text()


async def test_demo_page_has_a_labelled_form_and_loads_no_third_party_code(server):
    async with aiohttp.ClientSession() as session:
        status, content_type, headers, text = await get(session, server.url + "/")
        assert (status, content_type) == (200, "text/html")
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "max-age" in headers["Cache-Control"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        page = Page(text)
        assert page.one("html")["lang"] == "en"
        assert "width=device-width" in page.one("meta", name="viewport")["content"]
        assert re.search(r"<title>[^<]+</title>", text)
        assert "<noscript>" in text
        # labelled controls: every input and select has a <label for=...>
        labels = {a["for"] for a in page.find("label")}
        name, select = page.one("input", id="name"), page.one("select", id="language")
        assert {"name", "language"} <= labels
        assert name["name"] == "nameOnCard" and name["aria-describedby"] == "name-hint"
        assert select["name"] == "language"
        options = [a for t, a in page.tags if t == "option"]
        assert [(o["value"], o["lang"]) for o in options] == [("ko", "ko"), ("en", "en"), ("ja", "ja"),
                                                              ("zh-TW", "zh-TW")]
        for label in ("한국어", "English", "日本語", "繁體中文"):
            assert f">{label}</option>" in text
        assert page.one("button", id="submit")["type"] == "submit"
        assert page.one("p", id="name-error")["role"] == "alert"
        assert page.one("p", id="status")["role"] == "status"
        assert page.one("img", id="card-image")["width"] == "1200"
        # only the page's own files: no CDN, no web font
        sources = [a.get("src") or a.get("href") for t, a in page.tags if t in ("script", "link")]
        sources = [s for s in sources if s and not s.startswith("data:")]
        assert sources and all(s.startswith("/static/") for s in sources), sources
        assert "@import" not in text and "fonts.googleapis" not in text
        for source in sources:
            status, content_type, headers, body = await get(session, server.url + source)
            assert status == 200 and body
            assert content_type == ("text/css" if ".css" in source else "text/javascript")
            assert headers["Cache-Control"] == "public, max-age=300"
            assert "url(http" not in body and "@import" not in body and "@font-face" not in body
        assert (await get(session, server.url + "/static/nope.js"))[0] == 404
        assert (await get(session, server.url + "/static/..%2Fpages.py"))[0] == 404


@pytest.mark.parametrize("accept, query, expected", [
    ("ko-KR,ko;q=0.9,en;q=0.8", "", "ko"),
    ("ja", "", "ja"),
    ("zh-Hant-TW, zh;q=0.5", "", "zh-TW"),
    ("fr-FR, en;q=0.3, ja;q=0.5", "", "ja"),  # the best language we have, by q
    ("fr, de", "", "en"),  # none of ours: English
    ("", "", "en"),
    ("ko", "?lang=zh-TW", "zh-TW"),  # the visible switch wins over the browser
    ("ko", "?lang=xx", "ko"),
])
async def test_demo_page_speaks_the_visitors_language(server, accept, query, expected):
    async with aiohttp.ClientSession() as session, \
            session.get(server.url + "/" + query, headers={"Accept-Language": accept} if accept else {}) as response:
        text = await response.text()
        assert response.status == 200
        assert "Accept-Language" in response.headers["Vary"] and response.headers["Content-Language"] == expected
    page = Page(text)
    words = TEXTS[expected]
    assert page.one("html")["lang"] == expected
    assert page.one("option", value=expected).get("selected") is not None  # the card's language follows
    assert f"<title>{html.escape(words['page_title'])}</title>" in text
    assert f">{html.escape(words['name_label'])}</label>" in text and f">{html.escape(words['submit'])}<" in text
    # the switch: a link per language, the current one marked
    links = page.find("a", hreflang=expected)
    assert len(links) == 1 and links[0]["aria-current"] == "page" and links[0]["href"] == f"/?lang={expected}"
    assert len([a for t, a in page.tags if t == "a" and a.get("hreflang")]) == 4
    # the script's words travel as JSON data (no inline script for the CSP to allow)
    block = re.search(r'<script id="page-texts" type="application/json">(.*?)</script>', text, re.S).group(1)
    assert json.loads(block) == words
    # one catalog: the share page's words come from the same file
    from service.pages import SHARE_TEXTS
    assert SHARE_TEXTS[expected]["mint"] == words["mint"]


async def test_share_page_has_open_graph_tags_pointing_at_the_card(server):
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url, "준성맛 쿠키", "ko")
        status, content_type, headers, text = await get(session, f"{server.url}/c/{card['id']}")
        assert (status, content_type) == (200, "text/html"), text
        page = Page(text)
        assert page.one("html")["lang"] == "ko"
        # the 1200x630 social image (CITIZEN_VARIANTS=og), not the 1.58:1 card
        assert page.meta("og:image") == card["urls"]["og"] and card["urls"]["og"].startswith("http://127.0.0.1:")
        assert page.meta("og:image:width") == "1200" and page.meta("og:image:height") == "630"
        assert page.meta("og:image:type") == "image/jpeg"
        assert "준성맛 쿠키" in page.meta("og:title")
        assert page.meta("og:description") == card["altText"] and card["altText"]
        assert page.meta("og:image:alt") == card["altText"]
        assert page.meta("og:url") == f"{server.url}/c/{card['id']}"
        assert page.meta("twitter:card") == "summary_large_image"
        assert page.meta("twitter:image") == card["urls"]["og"]
        assert re.search(r"<title>[^<]*준성맛 쿠키[^<]*</title>", text)
        image = page.one("img", src=card["url"])
        assert (image["alt"], image["width"], image["height"]) == (card["altText"], "1200", "760")
        assert re.search(r'<a [^>]*href="/"[^>]*>나만의 시민증 만들기</a>', text)  # mint your own, in Korean
        assert "준성맛 쿠키" in "".join(page.text)
        async with session.get(page.meta("og:image")) as response:
            assert response.status == 200 and response.content_type == "image/jpeg"
            with Image.open(io.BytesIO(await response.read())) as social:
                assert (social.format, social.size) == ("JPEG", (1200, 630))  # the crops: tests/test_variants.py


async def test_share_page_without_the_social_variant_points_at_the_card(app_server):
    server = await app_server(env={"CITIZEN_VARIANTS": ""})
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url, "Plain Cookie", "en")
        assert card["urls"] == {"png": card["url"]}
        page = Page((await get(session, f"{server.url}/c/{card['id']}"))[3])
        assert page.meta("og:image") == card["url"] == page.meta("twitter:image")
        assert (page.meta("og:image:width"), page.meta("og:image:height")) == ("1200", "760")
        assert page.meta("og:image:type") == "image/png"


async def test_share_page_escapes_the_name_everywhere(server):
    async with aiohttp.ClientSession() as session:
        card = await mint(session, server.url, XSS_NAME, "en")
        assert card["recipe"]["name"] == XSS_NAME
        status, _, headers, text = await get(session, f"{server.url}/c/{card['id']}")
    assert status == 200
    assert "<script" not in text.lower()  # the page has no script of its own, and the name adds none
    assert "&lt;script&gt;" in text and XSS_NAME not in text  # escaped wherever it lands
    page = Page(text)
    assert XSS_NAME in page.meta("og:title") and XSS_NAME in page.meta("twitter:title")
    assert page.one("h1")  # the parser saw one heading, no tag injected by the name
    assert [t for t, _ in page.tags].count("script") == 0
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script runs


@pytest.mark.parametrize("card_id", [
    "AAAAAAAAAAAAAAAAAAAAAA",            # a well-formed id that was never minted
    "nope",                               # not an id at all
    "..%2F..%2Fetc%2Fpasswd",            # a path, percent-encoded so it reaches the route
    "..%2F..%2F..%2F..%2Fetc%2Fpasswd%00",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "AAAAAAAAAAAAAAAAAAAAA%2F",          # 22 characters, one of them a slash
])
async def test_unknown_ids_get_a_404_page(server, card_id):
    async with aiohttp.ClientSession() as session:
        url = f"{server.url}/c/{card_id}"
        async with session.get(url) as response:
            text = await response.text()
            assert response.status == 404, (card_id, text[:200])
            assert response.content_type == "text/html"
            assert "No such card" in text and 'href="/"' in text
            assert "passwd" not in text and "root:" not in text


async def test_traversal_outside_the_route_never_serves_a_file(server):
    async with aiohttp.ClientSession() as session:
        for path in ("/c/../../etc/passwd", "/c/../cards/../../etc/passwd", "/static/../pages.py"):
            async with session.get(server.url + path) as response:
                body = await response.text()
                assert response.status == 404, path
                assert "root:" not in body and "def setup_pages" not in body


class StubStorage:
    """A card store with no cards ("A..." ids) that cannot be reached for others."""

    async def get_record(self, card_id: str) -> bytes | None:
        if card_id.startswith("A"):
            return None
        raise Unavailable("The card store did not answer.", code="storage_unavailable")


@pytest.mark.parametrize("accept, query, expected", [
    ("ko-KR,ko;q=0.9,en;q=0.8", "", "ko"),
    ("ja", "", "ja"),
    ("zh-Hant-TW", "", "zh-TW"),
    ("ko", "?lang=ja", "ja"),  # the same rule as the demo page: the switch, then the browser
    ("fr", "", "en"),
])
async def test_404_and_503_pages_speak_the_visitors_language(accept, query, expected):
    app = web.Application()
    setup_pages(app)
    app[keys.STORAGE] = StubStorage()
    words = TEXTS[expected]
    async with TestClient(TestServer(app)) as client:
        for card_id, status, title, back in (("A" * 22, 404, words["not_found_title"], words["mint"]),
                                              ("B" * 22, 503, words["unavailable_title"], words["back_to_office"])):
            response = await client.get(f"/c/{card_id}{query}", headers={"Accept-Language": accept})
            text = await response.text()
            assert response.status == status, text[:300]
            assert response.content_type == "text/html"
            assert response.headers["Content-Language"] == expected and "Accept-Language" in response.headers["Vary"]
            assert response.headers.get("Retry-After") == ("5" if status == 503 else None)
            page = Page(text)
            assert page.one("html")["lang"] == expected
            assert page.one("meta", name="robots")["content"] == "noindex"
            assert f"<h1 id=\"{'nf' if status == 404 else 'na'}-title\">{html.escape(title)}</h1>" in text
            assert re.search(rf'<a class="button" href="/">{re.escape(html.escape(back))}</a>', text)
            assert f"<title>{html.escape(title if status == 404 else words['unavailable_page_title'])} · " in text
