"""SPEC §5, §8 / issue 5 item 6: bad input. Every malformed, mistyped, oversized or
rule-breaking request gets its own clear 4xx JSON error (stable code, the field at fault,
a message naming the offending character and code point), sent many at once, and nothing
else changes: no card file is written, no card is counted. Then a hypothesis test throws
arbitrary JSON bodies at the live server: never a 5xx, and every 201 serves a PNG.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import load

OK = {"nameOnCard": "Gingerbrave", "language": "en"}
JSON = {"Content-Type": "application/json"}
ROUNDS = 4  # every case is sent this many times, all at once


def name(value: str, language: str = "en") -> bytes:
    """A body whose name is `value`, with every non-ASCII character as a JSON \\u escape
    (so lone surrogates such as \\ud800 can be sent, as a browser's JSON.stringify would)."""
    return json.dumps({"nameOnCard": value, "language": language}, ensure_ascii=True).encode()


def chunked(size: int):
    async def body():
        for _ in range(size // 1000):
            yield b" " * 1000
    return body


# (label, body bytes or a chunk generator factory, extra headers, status, code, field, message must contain)
CASES: list[tuple] = [
    # malformed JSON
    ("not JSON", b"{not json", JSON, 400, "malformed_json", None, None),
    ("trailing comma", b'{"nameOnCard": "a", "language": "en",}', JSON, 400, "malformed_json", None, None),
    ("empty body", b"", JSON, 400, "malformed_json", None, None),
    ("truncated", b'{"nameOnCard": "Ginger', JSON, 400, "malformed_json", None, None),
    ("not UTF-8", b'{"nameOnCard": "\xff\xfe", "language": "en"}', JSON, 400, "malformed_json", None, None),
    ("body is a list", b"[1, 2]", JSON, 422, "invalid_body", None, None),
    ("body is a string", b'"Gingerbrave"', JSON, 422, "invalid_body", None, None),
    ("body is null", b"null", JSON, 422, "invalid_body", None, None),
    # content type
    ("text/plain", json.dumps(OK).encode(), {"Content-Type": "text/plain"}, 415, "unsupported_media_type", None, None),
    ("form", b"nameOnCard=a&language=en", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type", None, None),
    ("no content type", json.dumps(OK).encode(), {}, 415, "unsupported_media_type", None, None),
    ("json-ish type", json.dumps(OK).encode(), {"Content-Type": "application/jsonp"}, 415,
     "unsupported_media_type", None, None),
    # size
    ("5 kB body", json.dumps({**OK, "pad": "x" * 5000}).encode(), JSON, 413, "body_too_large", None, None),
    ("10 kB name", name("a" * 10_000), JSON, 413, "body_too_large", None, None),
    ("10 kB chunked, no length", chunked(10_000), JSON, 413, "body_too_large", None, None),
    # fields: missing, unknown, wrong types
    ("no name", json.dumps({"language": "en"}).encode(), JSON, 422, "missing_field", "nameOnCard", None),
    ("unknown field", json.dumps({**OK, "admin": True}).encode(), JSON, 422, "unknown_field", "admin", None),
    *[(f"name is {kind}", json.dumps({**OK, "nameOnCard": value}).encode(), JSON, 422, "invalid_type", "nameOnCard",
       None) for kind, value in (("a number", 123), ("null", None), ("a list", ["a"]), ("an object", {"a": 1}),
                                 ("a bool", True))],
    *[(f"language {value!r}", json.dumps({**OK, "language": value}).encode(), JSON, 422, "unsupported_language",
       "language", "ko, en, ja, zh-TW") for value in ("fr", "ko-KR", "zh-CN", "EN", "", None, 1, ["ko"], {"ko": 1})],
    ("no language", json.dumps({"nameOnCard": "a"}).encode(), JSON, 422, "unsupported_language", "language", None),
    *[(f"seed {label}", json.dumps({**OK, "seed": value}).encode(), JSON, 422, "invalid_seed", "seed", None)
      for label, value in (("negative", -1), ("2^63", 2**63), ("huge", 10**40), ("float", 1.5), ("float int", 7.0),
                           ("string", "42"), ("true", True), ("false", False), ("list", [1]), ("object", {}))],
    ("seed NaN", b'{"nameOnCard": "a", "language": "en", "seed": NaN}', JSON, 422, "invalid_seed", "seed", None),
    # §5 name rules
    *[(f"bidi U+{cp:04X}", name(f"ab{chr(cp)}cd"), JSON, 422, "name_forbidden_character", "nameOnCard", f"U+{cp:04X}")
      for cp in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)],
    *[(f"zero-width U+{cp:04X}", name(f"ab{chr(cp)}cd"), JSON, 422, "name_forbidden_character", "nameOnCard",
       f"U+{cp:04X}") for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)],
    *[(f"control U+{cp:04X}", name(f"ab{chr(cp)}cd"), JSON, 422, "name_forbidden_character", "nameOnCard",
       f"U+{cp:04X}") for cp in (0x00, 0x07, 0x1B, 0x7F, 0x9B)],
    ("zalgo", name("Zal\u0301\u0302\u0303go"), JSON, 422, "name_too_many_marks", "nameOnCard", "\u013a"),
    ("lone combining mark", name("\u0301abc"), JSON, 422, "name_lone_combining_mark", "nameOnCard", "U+0301"),
    ("mark after a space", name("ab \u0301c"), JSON, 422, "name_lone_combining_mark", "nameOnCard", "U+0301"),
    *[(f"unassigned U+{cp:04X}", name(f"a{chr(cp)}b"), JSON, 422, "name_unassigned_character", "nameOnCard",
       f"U+{cp:04X}") for cp in (0x0378, 0xE0080, 0x10FFFF)],
    *[(f"lone surrogate \\u{cp:04x}", f'{{"nameOnCard": "ab\\u{cp:04x}c", "language": "en"}}'.encode(), JSON, 422,
       "name_forbidden_character", "nameOnCard", f"U+{cp:04X}") for cp in (0xD800, 0xDBFF, 0xDC00, 0xDFFF)],
    *[(f"not in the font U+{cp:04X}", name(f"a{chr(cp)}b"), JSON, 422, "name_unsupported_character", "nameOnCard",
       f"U+{cp:04X}") for cp in (0x0F40, 0x13A0, 0x1D11E, 0x20000, 0xE000)],
    *[(f"control U+{cp:04X} refused, not collapsed", name(f"ab{chr(cp)}cd"), JSON, 422, "name_forbidden_character",
       "nameOnCard", f"U+{cp:04X}") for cp in (0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1F, 0x85, 0x2028, 0x2029)],
    *[(f"invisible filler U+{cp:04X}", name(chr(cp) * 3), JSON, 422, "name_forbidden_character", "nameOnCard",
       f"U+{cp:04X}") for cp in (0x3164, 0x115F, 0x1160, 0xFFA0)],
    ("empty name", name(""), JSON, 422, "name_empty", "nameOnCard", None),
    ("blank name", name(" \u3000 "), JSON, 422, "name_empty", "nameOnCard", None),
    ("25 characters", name("a" * 25), JSON, 422, "name_too_long", "nameOnCard", None),
    ("2,000 characters", name("a" * 2000), JSON, 422, "name_too_long", "nameOnCard", None),
    ("too wide for the card", name("\u2e3b" * 24), JSON, 422, "name_too_long", "nameOnCard", None),
    ("500 jamo in one cluster", name("\u1100" * 500), JSON, 422, "name_too_long", "nameOnCard", None),
    # idempotency keys
    *[(f"idempotency key {label}", json.dumps(OK).encode(), {**JSON, "Idempotency-Key": key}, 422,
       "invalid_idempotency_key", "Idempotency-Key", None)
      for label, key in (("empty", ""), ("with a space", "a b"), ("129 chars", "k" * 129), ("with a tab", "a\tb"),
                         ("non-ASCII", "clé".encode().decode("latin-1")))],
]


async def send(session: aiohttp.ClientSession, url: str, body, headers: dict) -> tuple[int, dict, dict]:
    data = body() if callable(body) else body
    async with session.post(url + "/citizen-card", data=data, headers=headers,
                            skip_auto_headers=("Content-Type",)) as response:
        raw = await response.read()
        return response.status, response.headers.copy(), json.loads(raw)


def card_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*")) if directory.exists() else []


async def test_every_bad_input_gets_its_clear_4xx_and_changes_nothing(serve, tmp_path: Path):
    server = serve(workers=2)
    cards = tmp_path / "cards"
    before = card_files(cards)
    t0 = time.perf_counter()
    async with load.new_session() as session:
        jobs = [send(session, server.url, body, headers) for _ in range(ROUNDS)
                for _, body, headers, *_ in CASES]
        answers = await asyncio.gather(*jobs)
        metrics = await load.metrics_text(session, server.url)
    elapsed = time.perf_counter() - t0

    wrong = []
    for i, (status, headers, body) in enumerate(answers):
        label, _, _, want_status, want_code, want_field, want_text = CASES[i % len(CASES)]
        error = body.get("error", {})
        problems = []
        if (status, error.get("code")) != (want_status, want_code):
            problems.append(f"got {status} {error.get('code')}")
        if want_field is not None and error.get("field") != want_field:
            problems.append(f"field {error.get('field')!r}")
        if want_text is not None and want_text not in error.get("message", "") + error.get("codePoint", ""):
            problems.append(f"message {error.get('message')!r}")
        if not error.get("message", "").endswith(".") or len(headers.get("X-Request-Id", "")) != 32:
            problems.append(f"no sentence message or request id: {error.get('message')!r} {headers}")
        if "Traceback" in json.dumps(body) or headers.get("Content-Type") != "application/json":
            problems.append("not a clean JSON error")
        if problems:
            wrong.append((label, want_status, want_code, problems))
    report = load.Report(results=[load.Result(0, s, 0, error=b.get("error", {}).get("code")) for s, _, b in answers],
                         duration=elapsed)
    load.record("6a-bad-input", order=40, fault=f"Bad input: {len(CASES)} kinds, each sent {ROUNDS}x concurrently",
                injected="malformed JSON, content types, oversized (also chunked), wrong types, every §5 name rule, "
                         "languages, seeds, idempotency keys",
                report=report, recovery_s=None,
                notes=f"every one its expected 4xx code and field; {len(card_files(cards))} files written; "
                      f"no card counted", cases=len(CASES), wrong=wrong[:20])
    assert not wrong, "\n".join(map(str, wrong))
    # Nothing else changed: no file in the card directory, no card counted, still healthy.
    assert card_files(cards) == before == []
    assert "citizen_cards_issued_total{" not in metrics
    async with aiohttp.ClientSession() as session:
        async with session.post(server.url + "/citizen-card", json=OK) as response:
            assert response.status == 201  # and the server still works


# --- arbitrary JSON bodies ----------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)
good_names = st.text("abcXYZ 준성맛쿠키抹茶ラテ餅乾-'.", min_size=1, max_size=24)
odd_names = (st.text(st.characters(codec="utf-8") | st.characters(categories=("Cs",)), max_size=40)
             | st.text("abcXYZ 준성맛쿠키\u0301\u202e\u200b\t\x00", min_size=1, max_size=30))
languages = st.sampled_from(["ko", "en", "ja", "zh-TW"])
plausible = st.fixed_dictionaries(  # valid often enough that 201s are part of the mix
    {"nameOnCard": good_names | good_names | odd_names | json_values,
     "language": languages | languages | languages | json_values},
    optional={"seed": st.integers(min_value=0, max_value=2**63 - 1) | st.integers() | json_values})
bodies = plausible | plausible | json_values | st.dictionaries(st.sampled_from(["nameOnCard", "language", "seed", "x"]),
                                                    json_values, max_size=4)


@pytest.fixture(scope="module")
def hypothesis_server(request, base_atlas_version, tmp_path_factory):
    """One server for every hypothesis example (started with the same code as start_server)."""
    import os
    import subprocess
    import sys

    from tests.atlas_roots import clone_atlas_root
    from tests.conftest import ROOT, listening_line, wait_http

    tmp = tmp_path_factory.mktemp("hypothesis-server")
    root = clone_atlas_root(base_atlas_version, tmp / "atlas")
    env = {**os.environ, "CITIZEN_RATE_LIMIT": "0", "CITIZEN_STORAGE": f"file://{tmp}/cards",
           "CITIZEN_IDEMPOTENCY_DIR": str(tmp / "idem"), "CITIZEN_LOG_REQUESTS": "0"}
    with (tmp / "server.log").open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", "0", "--atlas",
                                 str(root), "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = listening_line(tmp / "server.log", proc)["url"]
        wait_http(url + "/readyz", proc=proc)
        background = load.BackgroundLoad(url, concurrency=2).start()  # valid cards meanwhile
        yield url, tmp / "server.log", background
    finally:
        background.stop()
        proc.terminate()
        proc.wait(30)


def post_sync(url: str, raw: bytes) -> tuple[int, bytes, str | None]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", "/citizen-card", body=raw, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type")
    finally:
        connection.close()


def fetch_sync(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(8)


SEEN: list[tuple[int, str | None]] = []
BACKGROUND: list[load.BackgroundLoad] = []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(body=bodies)
def test_arbitrary_json_bodies_never_get_a_5xx(hypothesis_server, body):
    url, log, background = hypothesis_server
    BACKGROUND[:] = [background]
    raw = json.dumps(body, ensure_ascii=True).encode()  # \u escapes: lone surrogates travel too
    status, answer, content_type = post_sync(url, raw)
    assert status < 500, (status, answer[:500], log.read_text(errors="replace")[-2000:])
    assert content_type == "application/json"
    payload = json.loads(answer)
    SEEN.append((status, None if status == 201 else payload["error"]["code"]))
    if status == 201:
        assert fetch_sync(payload["url"]) == load.PNG_SIGNATURE
    else:
        assert status in (400, 413, 415, 422) and re.fullmatch(r"[a-z_]+", payload["error"]["code"]), payload


def test_zz_hypothesis_figures():
    """Figures of the hypothesis run above (runs after it, in file order), and the valid
    load that ran meanwhile: all 201."""
    if not SEEN or not BACKGROUND:
        pytest.skip("the hypothesis test did not run")
    background = BACKGROUND[0].stop()
    report = load.Report(results=[load.Result(0, s, 0, error=code) for s, code in SEEN])
    load.record("6b-arbitrary-json", order=41, fault="Arbitrary JSON bodies (hypothesis)",
                injected=f"{len(SEEN)} generated bodies (any JSON value; names from all of Unicode incl. lone "
                         "surrogates) while 2 clients mint valid cards",
                report=report, recovery_s=None,
                notes=f"never a 5xx; every 201's URL serves a PNG; the {background.sent} valid requests meanwhile: "
                      f"{len(background.of(201))} 201",
                background=background.summary())
    assert all(s < 500 for s, _ in SEEN)
    assert background.sent and background.statuses() == {201: background.sent}, background.summary()
