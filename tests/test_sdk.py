"""The SDK (sdk/, citizen-card-client) against the real app, served in process by `app_server`.

Fault injection uses small aiohttp servers on 127.0.0.1 ephemeral ports made here: a
proxy that loses responses in front of the real server, and a stub for answers the real
server will not give on demand (500 pages, storage_unavailable, a slow reply).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import tomllib
import zipfile
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import orjson
import pytest
from aiohttp import web

from tests.conftest import ROOT, free_port

SDK = ROOT / "sdk"
if importlib.util.find_spec("citizen_card_client") is None:  # not installed (`pip install -e ./sdk`)
    sys.path.insert(0, str(SDK))  # test the checkout anyway

from citizen_card_client import (Card, CitizenCardClient, CitizenCardError, IdempotencyKeyReused,  # noqa: E402
                                 InvalidIdempotencyKey, InvalidName, InvalidRequest, InvalidSeed, IssueRequest,
                                 NotFound, Overloaded, RateLimited, ServerError, ServiceUnavailable, StorageUnavailable,
                                 TransportError, UnexpectedResponse, UnsupportedLanguage)
from citizen_card_client.errors import error_from_response  # noqa: E402

NAMES = {"ko": "준성맛 쿠키", "en": "Gingerbrave Cookie", "ja": "ジンジャーブレイブ", "zh-TW": "薑餅人餅乾"}
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, after checking the signature and the IHDR CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, tag = struct.unpack_from(">I4s", data, 8)
    assert tag == b"IHDR" and length == 13
    (crc,) = struct.unpack_from(">I", data, 16 + length)
    assert crc == zlib.crc32(data[12:16 + length])
    return struct.unpack_from(">II", data, 16)


async def serve_app(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


@pytest.fixture
async def stub() -> AsyncIterator[Callable[[Callable[[web.Request], Awaitable[web.StreamResponse]]], Awaitable[str]]]:
    """Factory: serve one handler for every path on an ephemeral port; returns its URL."""
    runners: list[web.AppRunner] = []

    async def start(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner, url = await serve_app(app)
        runners.append(runner)
        return url

    yield start
    for runner in runners:
        await runner.cleanup()


# --- packaging ---------------------------------------------------------------------------

def test_pyproject_depends_on_aiohttp_and_orjson_only() -> None:
    project = tomllib.loads((SDK / "pyproject.toml").read_text())["project"]
    assert project["name"] == "citizen-card-client" and project["version"] == "0.1.0"
    assert project["requires-python"] == ">=3.11"
    names = {re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0].lower() for dep in project["dependencies"]}
    assert names == {"aiohttp", "orjson"}
    assert not project.get("optional-dependencies")
    assert (SDK / "citizen_card_client" / "py.typed").is_file()


def test_import_does_not_load_pillow() -> None:
    code = ("import sys, citizen_card_client; "
            "bad = sorted(m for m in sys.modules if m == 'PIL' or m.startswith('PIL.')); "
            "print(citizen_card_client.__file__); assert not bad, bad")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SDK), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).is_relative_to(SDK)


def test_wheel_has_typed_package_and_two_requirements(tmp_path: Path) -> None:
    """Build the distribution offline (from a copy: no build/ left in sdk/) and read the wheel."""
    source = shutil.copytree(SDK, tmp_path / "src", ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                          "-w", str(tmp_path), str(source)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("citizen_card_client-0.1.0-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    assert {f"citizen_card_client/{f}" for f in ("__init__.py", "client.py", "errors.py", "models.py",
                                                  "py.typed")} <= names
    requires = sorted(line.split(":", 1)[1].strip() for line in metadata.splitlines()
                      if line.startswith("Requires-Dist:"))
    assert [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in requires] == ["aiohttp", "orjson"]


def test_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                          str(SDK / "citizen_card_client")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


SAMPLE = """
import asyncio

from citizen_card_client import Card, CitizenCardClient, NotFound


async def main() -> None:
    async with CitizenCardClient("http://127.0.0.1:8080") as client:
        card: Card = await client.issue("Typed Cookie", language="en")
        again: Card = await client.get(card.id)
        og: str | None = again.urls.get("og")
        print(card.url, og, again.created_at, again.recipe.issued.year)
        try:
            await client.get("nope")
        except NotFound as exc:
            print(exc.code)


asyncio.run(main())
"""


def test_mypy_strict_sees_the_installed_sdk_from_outside_the_repo(tmp_path: Path) -> None:
    """The documented install (`pip install -e ./sdk`, what `make setup` runs) must be visible to mypy
    in a program elsewhere: setuptools' default editable hook is not (issue 16)."""
    pytest.importorskip("mypy")
    program = tmp_path / "sample.py"
    program.write_text(SAMPLE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache")]
    out = subprocess.run([*mypy, str(program)], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    # and it really reads the SDK's types (not Any): a wrong annotation is an error
    program.write_text(SAMPLE.replace("og: str | None", "og: int"))
    out = subprocess.run([*mypy, str(program)], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert out.returncode == 1 and "Incompatible types in assignment" in out.stdout, out.stdout


# --- happy path --------------------------------------------------------------------------

@pytest.mark.parametrize("language", list(NAMES))
async def test_issue_and_fetch_in_every_language(app_server, language: str) -> None:
    server = await app_server(workers=1)
    async with CitizenCardClient(server.url) as client:
        card = await client.issue(NAMES[language], language=language)
        assert isinstance(card, Card) and not card.replayed
        assert card.language == card.recipe.language == language
        assert card.recipe.name == NAMES[language]
        assert card.seed == card.recipe.seed and card.atlas_version == card.recipe.atlas_version
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", card.id) and card.id in card.url
        assert {"body", "face", "eyes", "mouth", "front_hair"} <= set(card.recipe.parts)
        assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", card.recipe.number)
        assert card.alt_text and isinstance(card.alt_text, str)
        with pytest.raises(TypeError):
            card.recipe.parts["body"] = "x"  # type: ignore[index]
        png = await client.fetch_image(card)
        width, height = png_size(png)
        assert width > height > 0
        assert await client.fetch_image(card.url) == png


async def test_get_reads_a_card_back_by_id(app_server) -> None:
    server = await app_server(workers=1, env={"CITIZEN_VARIANTS": "og"})
    async with CitizenCardClient(server.url) as client:
        card = await client.issue("Returning Cookie", "en", seed=3)
        again = await client.get(card.id)
        assert again == card  # id, URLs, recipe, alt text, creation time
        assert again.urls["png"] == card.url and "og" in again.urls
        assert again.created_at is not None and again.created_at.tzinfo is not None
        with pytest.raises(NotFound) as missing:
            await client.get("A" * 22)
        assert missing.value.code == "card_not_found" and missing.value.attempts == 1


async def test_seed_reproduces_the_drawing(app_server) -> None:
    server = await app_server(workers=1)
    async with CitizenCardClient(server.url) as client:
        a, b = await asyncio.gather(client.issue("Seedy", "en", seed=42), client.issue("Seedy", "en", seed=42))
    assert a.id != b.id and a.seed == b.seed == 42
    assert a.recipe == b.recipe


# --- typed errors from the real server -----------------------------------------------------

async def test_errors_from_the_real_server(app_server) -> None:
    server = await app_server(workers=1)
    async with CitizenCardClient(server.url, retries=3) as client:
        with pytest.raises(InvalidName) as bidi:
            await client.issue("evil\u202eeikooc", language="en")
        err = bidi.value
        assert isinstance(err, InvalidRequest) and isinstance(err, CitizenCardError)
        assert err.status == 422 and err.code == "name_forbidden_character" and err.field == "nameOnCard"
        assert "U+202E" in err.message and err.request_id and err.attempts == 1  # never retried
        assert HEX32.match(err.idempotency_key or "")

        with pytest.raises(UnsupportedLanguage) as lang:  # no local check: this is the server's answer
            await client.issue("Gingerbrave", language="fr")
        assert lang.value.status == 422 and lang.value.field == "language" and "zh-TW" in lang.value.message

        for bad_seed in (-1, 2**63):
            with pytest.raises(InvalidSeed) as seed:
                await client.issue("Gingerbrave", language="en", seed=bad_seed)
            assert seed.value.code == "invalid_seed" and seed.value.field == "seed"

        with pytest.raises(InvalidName) as empty:
            await client.issue("   ", language="ko")
        assert empty.value.code == "name_empty"


async def test_invalid_idempotency_key_locally_and_from_the_server(app_server) -> None:
    server = await app_server(workers=1)
    async with CitizenCardClient(server.url) as client:
        with pytest.raises(InvalidIdempotencyKey) as local:
            await client.issue("Gingerbrave", "en", idempotency_key="has space")
        assert local.value.status is None  # refused before sending
    async with aiohttp.ClientSession() as session:  # the server's own answer to the same key
        async with session.post(server.url + "/citizen-card", json={"nameOnCard": "Gingerbrave", "language": "en"},
                                headers={"Idempotency-Key": "has space"}) as response:
            error = error_from_response(response.status, await response.read(), response.headers)
    assert isinstance(error, InvalidIdempotencyKey) and error.status == 422


async def test_idempotency_key_replay_and_reuse(app_server) -> None:
    server = await app_server(workers=1)
    async with CitizenCardClient(server.url) as client:
        first = await client.issue("Replay", "ja", idempotency_key="campaign-7:user-1")
        again = await client.issue("Replay", "ja", idempotency_key="campaign-7:user-1")
        assert again == first and again.replayed and not first.replayed
        with pytest.raises(IdempotencyKeyReused) as reused:
            await client.issue("Another name", "ja", idempotency_key="campaign-7:user-1")
    assert reused.value.status == 422 and reused.value.field == "Idempotency-Key"
    assert reused.value.idempotency_key == "campaign-7:user-1"


async def test_rate_limited_without_retries(app_server) -> None:
    server = await app_server(env={"CITIZEN_RATE_LIMIT": "1", "CITIZEN_RATE_BURST": "1"}, workers=1)
    async with CitizenCardClient(server.url, retries=0) as client:
        await client.issue("First", "en")
        with pytest.raises(RateLimited) as limited:
            await client.issue("Second", "en")
    assert limited.value.status == 429 and limited.value.code == "rate_limited"
    assert limited.value.retry_after is not None and limited.value.retry_after >= 1
    assert limited.value.attempts == 1


async def test_rate_limited_retry_honours_retry_after_and_its_cap(app_server) -> None:
    # One token per 4 s: every attempt below that is not the first lands inside the window.
    server = await app_server(env={"CITIZEN_RATE_LIMIT": "0.25", "CITIZEN_RATE_BURST": "1"}, workers=1)
    async with CitizenCardClient(server.url, retries=2, max_retry_after=0.0) as capped:
        await capped.issue("First", "en")
        with pytest.raises(RateLimited) as limited:  # Retry-After capped to 0: retried at once, still limited
            await capped.issue("Second", "en")
    assert limited.value.attempts == 3 and (limited.value.retry_after or 0) >= 1

    def statuses() -> list[int]:
        lines = [orjson.loads(line) for line in server.log_text().splitlines() if line.startswith('{"ts"')]
        return [line["status"] for line in lines if line["path"] == "/citizen-card"]

    before = len(statuses())
    async with CitizenCardClient(server.url, retries=1, max_retry_after=10.0) as patient:
        started = time.monotonic()
        card = await patient.issue("Third", "en")  # 429, sleeps the server's Retry-After, then 201
        elapsed = time.monotonic() - started
    assert card.recipe.name == "Third"
    assert statuses()[before:] == [429, 201]
    assert elapsed >= 1.0  # the server's Retry-After is at least 1 s and was honoured


async def test_overloaded_is_returned_in_place_then_retried_to_success(app_server) -> None:
    server = await app_server(env={"CITIZEN_LATENCY_BUDGET": "0.001"}, workers=1)
    names = [f"Crowd {i}" for i in range(16)]
    async with CitizenCardClient(server.url, retries=0) as impatient:
        results = await impatient.issue_many([(n, "en") for n in names], concurrency=16)
    shed = [r for r in results if isinstance(r, Overloaded)]
    assert shed and any(isinstance(r, Card) for r in results)
    assert all(isinstance(r, ServiceUnavailable) and r.status == 503 and (r.retry_after or 0) >= 1 for r in shed)
    async with CitizenCardClient(server.url, retries=100, max_retry_after=0.05) as patient:
        results = await patient.issue_many([(n, "en") for n in names], concurrency=16)
    assert [r.recipe.name for r in results if isinstance(r, Card)] == names


# --- retries never mint a second card ----------------------------------------------------------

class LossyProxy:
    """Forwards POST /citizen-card to the real server, losing answers on the first attempts.

    mode "503": attempt 1 is forwarded but answered 503 (Retry-After: 0), attempt 2 is
    answered 503 without forwarding, later attempts are forwarded. mode "timeout": attempt 1
    is forwarded, then the answer is held past the client's timeout.
    """

    def __init__(self, upstream: str, mode: str) -> None:
        self.upstream, self.mode = upstream, mode
        self.keys: list[str | None] = []
        self.forwarded: list[tuple[int, dict]] = []
        self.session: aiohttp.ClientSession | None = None

    async def forward(self, request: web.Request, body: bytes) -> web.Response:
        assert self.session is not None
        headers = {k: v for k, v in request.headers.items() if k in ("Content-Type", "Idempotency-Key")}
        async with self.session.post(self.upstream + "/citizen-card", data=body, headers=headers) as upstream:
            data = await upstream.read()
            self.forwarded.append((upstream.status, await upstream.json()))
            keep = {k: v for k, v in upstream.headers.items() if k in ("X-Request-Id", "Idempotent-Replayed")}
            return web.Response(body=data, status=upstream.status, headers=keep, content_type="application/json")

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.keys.append(request.headers.get("Idempotency-Key"))
        attempt = len(self.keys)
        lost = web.json_response({"error": {"code": "overloaded", "message": "injected"}}, status=503,
                                 headers={"Retry-After": "0"})
        if attempt == 1:
            await self.forward(request, body)  # the server minted the card; the client never hears
            if self.mode == "timeout":
                await asyncio.sleep(2.5)
            return lost
        if attempt == 2 and self.mode == "503":
            return lost
        return await self.forward(request, body)


@pytest.mark.parametrize("mode", ["503", "timeout"])
async def test_retry_after_lost_answer_returns_the_first_card(app_server, tmp_path: Path, mode: str) -> None:
    server = await app_server(workers=1)
    proxy = LossyProxy(server.url, mode)
    app = web.Application()
    app.router.add_post("/citizen-card", proxy.handle)
    runner, url = await serve_app(app)
    try:
        async with aiohttp.ClientSession() as proxy.session, \
                CitizenCardClient(url, retries=3, timeout=1.5 if mode == "timeout" else 10.0) as client:
            card = await client.issue("Lost and found", language="ko")
    finally:
        await runner.cleanup()
    if mode == "503":
        assert len(proxy.keys) == 3
    else:  # 2, or more if a retry also outlived the timeout on a very busy machine
        assert len(proxy.keys) >= 2
    assert len(set(proxy.keys)) == 1 and HEX32.match(proxy.keys[0] or "")  # one client-made key, every attempt
    minted_status, minted = proxy.forwarded[0]
    assert minted_status == 201
    assert card.id == minted["id"] and card.url == minted["url"] and card.seed == minted["seed"]
    assert card.replayed
    assert [p.name for p in (tmp_path / "cards").glob("*.png")] == [f"{card.id}.png"]  # one card minted


# --- batches -----------------------------------------------------------------------------------

async def test_batch_of_100_in_order(app_server) -> None:
    server = await app_server(workers=2)
    languages = list(NAMES)
    requests = [IssueRequest(f"Cookie {i}", languages[i % 4]) if i % 2 else (f"Cookie {i}", languages[i % 4])
                for i in range(100)]
    async with CitizenCardClient(server.url) as client:
        results = await client.issue_many(requests, concurrency=8)
    assert len(results) == 100 and all(isinstance(r, Card) for r in results), \
        [r for r in results if not isinstance(r, Card)][:3]
    cards = [r for r in results if isinstance(r, Card)]
    assert [c.recipe.name for c in cards] == [f"Cookie {i}" for i in range(100)]
    assert [c.language for c in cards] == [languages[i % 4] for i in range(100)]
    assert len({c.id for c in cards}) == 100


async def test_batch_returns_each_error_in_place(app_server) -> None:
    server = await app_server(workers=1)
    items: list = [("Good", "en"), ("bad\u202e", "en"), ("Fine", "xx"), ("only a name",),
                   IssueRequest("Seeded", "zh-TW", seed=7), ("Also good", "ja", None)]
    async with CitizenCardClient(server.url) as client:
        results = await client.issue_many(items, concurrency=3)
    kinds = [type(r) for r in results]
    assert kinds == [Card, InvalidName, UnsupportedLanguage, InvalidRequest, Card, Card]
    assert isinstance(results[3], InvalidRequest) and results[3].code == "invalid_item"
    assert isinstance(results[4], Card) and results[4].seed == 7


# --- transport faults and odd answers (stub servers) -----------------------------------------

async def test_connection_refused_is_retried_then_raised() -> None:
    async with CitizenCardClient(f"http://127.0.0.1:{free_port()}", retries=2, backoff=0.01) as client:
        with pytest.raises(TransportError) as refused:
            await client.issue("Nobody home", "en")
    assert refused.value.status is None and refused.value.attempts == 3 and refused.value.code == "connection_error"


async def test_timeout_is_a_transport_error(stub) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({})

    async with CitizenCardClient(await stub(slow), timeout=0.2, retries=0) as client:
        with pytest.raises(TransportError) as late:
            await client.issue("Slowpoke", "en")
    assert late.value.code == "timeout"


async def test_odd_answers_map_to_typed_errors(stub) -> None:
    answers = {
        "/storage/citizen-card": web.json_response(
            {"error": {"code": "storage_unavailable", "message": "S3 is down."}}, status=503,
            headers={"Retry-After": "5", "X-Request-Id": "r1"}),
        "/html/citizen-card": web.Response(text="<html>Bad gateway</html>", status=502, content_type="text/html"),
        "/text/card.png": web.Response(text="not an image", content_type="text/plain"),
        "/garbled/citizen-card": web.Response(body=b'{"id": 1}', status=201, content_type="application/json"),
    }

    async def handler(request: web.Request) -> web.Response:
        return answers[request.path]

    url = await stub(handler)
    async with CitizenCardClient(url + "/storage", retries=0) as client:
        with pytest.raises(StorageUnavailable) as storage:
            await client.issue("x", "en")
    assert storage.value.retry_after == 5 and storage.value.request_id == "r1"
    async with CitizenCardClient(url + "/html", retries=0) as client:
        with pytest.raises(ServerError) as html:
            await client.issue("x", "en")
        assert html.value.status == 502 and "Bad gateway" in html.value.message
        assert not isinstance(html.value, ServiceUnavailable)
        with pytest.raises(UnexpectedResponse):
            await client.fetch_image(url + "/text/card.png")
    async with CitizenCardClient(url + "/garbled") as client:
        with pytest.raises(UnexpectedResponse):
            await client.issue("x", "en")


async def test_shared_session_stays_open(app_server) -> None:
    server = await app_server(workers=1)
    async with aiohttp.ClientSession() as session:
        async with CitizenCardClient(server.url, session=session) as client:
            cards = await asyncio.gather(*(client.issue(f"Shared {i}", "ko") for i in range(6)))
        assert not session.closed and len({c.id for c in cards}) == 6
