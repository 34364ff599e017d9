"""The demo and share pages in real headless Chromium (Debian's /usr/bin/chromium) via Playwright (SPEC §9).

No browser is downloaded: pytest-playwright's launch arguments point at the system
Chromium. Set CITIZEN_UPDATE_SCREENSHOTS=1 to refresh docs/img/demo-page*.png (the card
shows today's date, so the pictures change every day and are not rewritten by default).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="playwright is not installed (test extra)")
from playwright.sync_api import Page, Request, Route, expect  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
TEXTS = json.loads((Path(__file__).resolve().parent.parent / "service" / "static" / "texts.json").read_text())
"""The pages' words per language (the same catalog the server renders them from)."""

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make setup)"),
    # pytest-base-url (a pytest-playwright dependency) defines a fixture the way pytest 9 deprecates
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    return {"executable_path": str(CHROMIUM), "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1000, "height": 900}, "locale": "en-US"}


@pytest.fixture
def server(start_server):
    return start_server(env={"CITIZEN_VARIANTS": "og"})  # the social image is opt-in (config.py)


def record_busy_states(page: Page) -> None:
    """Remember every aria-busy value of the result area and every status message, as they happen."""
    page.evaluate("""() => {
        window.__busy = []; window.__status = [];
        const result = document.getElementById('result'), status = document.getElementById('status');
        new MutationObserver(() => window.__busy.push(result.getAttribute('aria-busy')))
            .observe(result, {attributes: true, attributeFilter: ['aria-busy']});
        new MutationObserver(() => window.__status.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")


def mint_in_page(page: Page, name: str, language: str, words: dict = TEXTS["en"]) -> dict:
    """Type the name, pick the language, submit; return the API's 201 body once the card image has loaded.
    `words`: the page's language (the labels the test looks for)."""
    page.get_by_label(words["name_label"]).fill(name)
    page.get_by_label(words["language_label"]).select_option(language)
    record_busy_states(page)
    with page.expect_response(lambda r: r.url.endswith("/citizen-card") and r.request.method == "POST") as info:
        page.get_by_role("button", name=words["submit"]).click()
    response = info.value
    assert response.status == 201, response.text()
    assert re.fullmatch(r"[0-9a-f]{32}", response.request.headers["idempotency-key"])
    card = response.json()
    image = page.locator("#card-image")
    expect(image).to_be_visible()
    page.wait_for_function("() => { const i = document.getElementById('card-image');"
                           " return i.complete && i.naturalWidth > 0; }")
    return card


def assert_card_shown(page: Page, card: dict, name: str, language: str, words: dict = TEXTS["en"]) -> None:
    assert card["language"] == language and card["recipe"]["name"] == name
    assert card["altText"], "the API gave no alt text"
    image = page.locator("#card-image")
    size = image.evaluate("i => [i.naturalWidth, i.naturalHeight, i.getAttribute('width'), i.getAttribute('height')]")
    assert size == [1200, 760, "1200", "760"]
    assert image.get_attribute("alt") == card["altText"]
    assert image.get_attribute("src") == card["url"]
    assert page.locator("#result").get_attribute("aria-busy") == "false"
    assert "true" in page.evaluate("window.__busy"), "no busy state while the card was baking"
    assert words["baking"] in page.evaluate("window.__status")
    expect(page.get_by_role("status")).to_have_text(words["ready"].format(name=name))
    share = page.get_by_role("link", name=words["share_link"])
    assert share.get_attribute("href") == f"/c/{card['id']}"
    download = page.get_by_role("link", name=words["download"])
    assert download.get_attribute("href") == card["url"]
    assert download.get_attribute("download") == f"citizen-card-{card['id']}.png"
    # scaled to the column, never wider than the page, aspect ratio kept
    box = image.bounding_box()
    assert box and 0 < box["width"] <= 1000 and abs(box["height"] / box["width"] - 760 / 1200) < 0.01


def test_korean_card_then_its_share_page(server, page: Page):
    page.goto(server.url + "/")
    card = mint_in_page(page, "준성맛 쿠키", "ko")
    assert_card_shown(page, card, "준성맛 쿠키", "ko")
    src = page.locator("#card-image").get_attribute("src")

    page.get_by_role("link", name="Open share page").click()
    page.wait_for_url(f"**/c/{card['id']}")
    # previews get the 1200x630 social image, the page shows the card itself
    assert page.locator('meta[property="og:image"]').get_attribute("content") == card["urls"]["og"] != src
    assert page.locator('meta[property="og:image:width"]').get_attribute("content") == "1200"
    assert page.locator('meta[property="og:image:height"]').get_attribute("content") == "630"
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
    assert "준성맛 쿠키" in page.locator('meta[property="og:title"]').get_attribute("content")
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.get_by_role("heading", level=1)).to_have_text("준성맛 쿠키")
    shared = page.get_by_role("img", name=card["altText"])
    expect(shared).to_have_attribute("src", src)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth === 1200)")
    page.get_by_role("link", name="나만의 시민증 만들기").click()
    page.wait_for_url(server.url + "/")
    expect(page.get_by_label("Cookie name")).to_be_visible()


def test_each_click_sends_its_own_idempotency_key(server, page: Page):
    page.goto(server.url + "/")
    keys, cards = [], []
    for _ in range(2):
        with page.expect_request(lambda r: r.url.endswith("/citizen-card") and r.method == "POST") as info:
            cards.append(mint_in_page(page, "Twice Cookie", "en"))
        keys.append(info.value.headers["idempotency-key"])
    assert keys[0] != keys[1] and cards[0]["id"] != cards[1]["id"]


def test_japanese_card(server, page: Page):
    page.goto(server.url + "/")
    card = mint_in_page(page, "抹茶ラテ クッキー", "ja")
    assert_card_shown(page, card, "抹茶ラテ クッキー", "ja")


def test_invalid_name_shows_the_api_message_next_to_the_name_field(server, page: Page):
    page.goto(server.url + "/")
    name = page.get_by_label("Cookie name")
    name.click()
    page.keyboard.type("a")
    page.keyboard.insert_text("\u202e")  # no key types U+202E; this is what an IME or a paste does
    page.keyboard.type("b")
    assert name.input_value() == "a\u202eb"
    page.get_by_label("Card language").select_option("en")
    with page.expect_response("**/citizen-card") as info:
        page.keyboard.press("Enter")  # submit from the field, by keyboard
    assert info.value.status == 422
    api_message = info.value.json()["error"]["message"]
    error = page.locator("#name-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(api_message)
    assert "U+202E" in api_message
    assert error.get_attribute("role") == "alert"
    expect(name).to_have_attribute("aria-invalid", "true")
    assert "name-error" in name.get_attribute("aria-describedby").split()
    expect(name).to_be_focused()  # back on the field to fix it
    expect(page.locator("#form-error")).to_be_hidden()
    # the error sits right under the name field, above the language selector
    name_box, error_box = name.bounding_box(), error.bounding_box()
    language_box = page.get_by_label("Card language").bounding_box()
    assert name_box["y"] + name_box["height"] <= error_box["y"] < language_box["y"]
    assert abs(error_box["x"] - name_box["x"]) < 4
    # fixing the name clears the error
    name.fill("Honey Butter Cookie")
    expect(error).to_be_hidden()
    assert name.get_attribute("aria-invalid") is None
    assert "name-error" not in (name.get_attribute("aria-describedby") or "")


def test_other_errors_go_to_the_general_error_area(server, page: Page):
    def overloaded(route: Route, request: Request) -> None:
        route.fulfill(status=503, headers={"Retry-After": "3", "Content-Type": "application/json"},
                      body=json.dumps({"error": {"code": "overloaded", "message": "The oven is full right now."}}))

    page.route("**/citizen-card", overloaded)
    page.goto(server.url + "/")
    page.get_by_label("Cookie name").fill("Honey Butter Cookie")
    page.get_by_role("button", name="Mint my card").click()
    general = page.locator("#form-error")
    expect(general).to_have_text("The oven is full right now. Try again in 3 s.")
    assert general.get_attribute("role") == "alert"
    expect(page.locator("#name-error")).to_be_hidden()
    assert page.get_by_label("Cookie name").get_attribute("aria-invalid") is None
    assert page.locator("#result").get_attribute("aria-busy") == "false"
    assert page.locator("#result").get_attribute("data-state") == "empty"


@pytest.mark.parametrize("locale, language, name", [("ko-KR", "ko", "준성맛 쿠키"), ("ja-JP", "ja", "抹茶ラテ クッキー")])
def test_demo_page_in_the_visitors_language(server, browser, tmp_path, locale, language, name):
    """Accept-Language picks the page's language (Korean, Japanese...), words from the share page's catalog;
    a visible switch changes it."""
    words = TEXTS[language]
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale=locale)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        assert page.locator("html").get_attribute("lang") == language
        assert page.title() == words["page_title"]
        expect(page.get_by_role("heading", level=1)).to_have_text(words["form_title"])
        switch = page.get_by_role("navigation", name=words["page_language"])
        expect(switch).to_be_visible()
        expect(switch.get_by_role("link")).to_have_count(4)
        current = switch.locator('[aria-current="page"]')
        expect(current).to_have_text(words["language_name"])
        assert page.get_by_label(words["language_label"]).input_value() == language  # cards default to it too
        card = mint_in_page(page, name, language, words)
        assert_card_shown(page, card, name, language, words)
        page.mouse.move(1, 1)
        page.screenshot(path=str(tmp_path / f"demo-{language}.png"), full_page=True)
        if os.environ.get("CITIZEN_UPDATE_SCREENSHOTS") == "1" and language == "ja":  # ko: demo-page.png
            shutil.copyfile(tmp_path / f"demo-{language}.png", DOCS_IMG / f"demo-page-{language}.png")
        # the share page says the same words in the same language
        page.get_by_role("link", name=words["share_link"]).click()
        page.wait_for_url(f"**/c/{card['id']}")
        assert page.locator("html").get_attribute("lang") == language
        expect(page.get_by_role("link", name=words["mint"])).to_be_visible()
        # the switch: English on request, whatever the browser says
        page.goto(server.url + "/")
        page.get_by_role("navigation", name=words["page_language"]).get_by_role("link", name="English").click()
        page.wait_for_url("**/?lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        expect(page.get_by_role("button", name=TEXTS["en"]["submit"])).to_be_visible()
    finally:
        context.close()


def test_keyboard_only(server, page: Page):
    page.goto(server.url + "/")
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if order[-1] == "submit":
            break
    assert "name" in order and order[-3:] == ["name", "language", "submit"], order
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused button has no visible focus style"
    # choose the language with arrow keys, mint with Enter
    page.get_by_label("Cookie name").focus()
    page.keyboard.type("Keyboard Cookie")
    page.keyboard.press("Tab")
    language = page.get_by_label("Card language")
    expect(language).to_be_focused()
    assert language.input_value() == "en"  # the browser's language (en-US)
    page.keyboard.press("ArrowDown")
    assert language.input_value() == "ja"
    page.keyboard.press("Tab")
    with page.expect_response("**/citizen-card") as info:
        page.keyboard.press("Enter")
    assert info.value.status == 201
    page.wait_for_function("() => document.getElementById('result').dataset.state === 'ready'")
    expect(page.locator("#result-title")).to_be_focused()  # focus moves to the new card
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Open share page")).to_be_focused()


@pytest.mark.parametrize("label, viewport, scale", [
    ("demo-page", {"width": 1000, "height": 900}, 1),
    ("demo-page-mobile", {"width": 390, "height": 844}, 2),
])
def test_screenshot_with_a_card(server, browser, tmp_path, label, viewport, scale):
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="ko-KR")
    try:
        page = context.new_page()

        def fixed_seed(route: Route, request: Request) -> None:  # the same cookie in every picture
            route.continue_(post_data=json.dumps({**request.post_data_json, "seed": 20261126}))

        page.route("**/citizen-card", fixed_seed)
        page.goto(server.url + "/")
        assert page.get_by_label(TEXTS["ko"]["language_label"]).input_value() == "ko"  # from the browser's language
        card = mint_in_page(page, "준성맛 쿠키", "ko", TEXTS["ko"])
        assert card["seed"] == 20261126
        page.mouse.move(1, 1)  # no hover on the button in the picture
        page.wait_for_timeout(200)
        # nothing sticks out sideways on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        box = page.locator("#card-image").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        shot = tmp_path / f"{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        if os.environ.get("CITIZEN_UPDATE_SCREENSHOTS") == "1":
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, DOCS_IMG / f"{label}.png")
    finally:
        context.close()


@pytest.fixture
def game_site():
    """A page of a game site: another origin (another port) than the card service."""
    class GamePage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b"<!doctype html><html lang='en'><title>A game</title><h1>Pre-register!</h1></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), GamePage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


MINT_FROM_PAGE = """async (api) => {
    try {
        const response = await fetch(api + "/citizen-card", {
            method: "POST",  // JSON and an Idempotency-Key: not a simple request, so the browser preflights
            headers: {"Content-Type": "application/json", "Idempotency-Key": "game-" + Math.random()},
            body: JSON.stringify({nameOnCard: "Game Cookie", language: "en"}),
        });
        return {status: response.status, requestId: response.headers.get("X-Request-Id"), body: await response.json()};
    } catch (error) {
        return {error: String(error)};
    }
}"""


def test_a_game_site_on_another_origin_calls_the_api_through_cors(start_server, game_site, page: Page):
    allowed = start_server(env={"CITIZEN_CORS_ORIGINS": game_site})
    page.goto(game_site + "/")
    result = page.evaluate(MINT_FROM_PAGE, allowed.url)
    assert result.get("status") == 201, result
    assert re.fullmatch(r"[0-9a-f]{32}", result["requestId"])  # an exposed header
    card = result["body"]
    shown = page.evaluate("""async (url) => { const r = await fetch(url); return [r.status, (await r.json()).id]; }""",
                          f"{allowed.url}/citizen-card/{card['id']}")
    assert shown == [200, card["id"]]

    closed = start_server()  # the default: no origin allowed
    result = page.evaluate(MINT_FROM_PAGE, closed.url)
    assert "error" in result and "Failed to fetch" in result["error"], result  # the browser refused it


def test_a_refused_name_is_explained_in_the_cards_language(server, page: Page):
    """Issue 14: the page shows the API's message for players, in the card's language."""
    page.goto(server.url + "/")
    page.get_by_label("Card language").select_option("ko")
    page.get_by_label("Cookie name").fill("쿠키\u0f40")  # Tibetan: no face of the chain draws it
    with page.expect_response("**/citizen-card") as info:
        page.keyboard.press("Enter")
    body = info.value.json()["error"]
    assert (info.value.status, body["code"], body["codePoint"]) == (422, "name_unsupported_character", "U+0F40")
    expect(page.locator("#name-error")).to_have_text("‘\u0f40’ 글자는 카드에 쓸 수 없어요.")
