"""The HTTP API of the real app (in process: `app_server`) with local storage (SPEC §2, §7)."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

NAME = {"nameOnCard": "준성맛 쿠키", "language": "ko"}


@pytest.fixture
async def server(app_server):
    return await app_server()


async def post(session, url, body=None, *, raw=None, headers=None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    data = raw if raw is not None else json.dumps(body)
    async with session.post(url + "/citizen-card", data=data, headers=headers) as response:
        return response.status, response.headers.copy(), await response.json(content_type=None)


async def test_mint_a_card_and_fetch_its_url(server, tmp_path: Path):
    async with aiohttp.ClientSession() as session:
        status, headers, body = await post(session, server.url, {**NAME, "seed": 7})
        assert status == 201, body
        assert len(headers["X-Request-Id"]) == 32
        assert set(body) >= {"id", "url", "language", "seed", "atlasVersion", "recipe"}
        assert body["seed"] == 7 and body["language"] == "ko" and body["recipe"]["name"] == "준성맛 쿠키"
        assert len(body["id"]) == 22
        async with session.get(body["url"]) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "image/png"
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            png = await response.read()
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 760) and image.mode == "RGB"
    record = json.loads((tmp_path / "cards" / f"{body['id']}.json").read_text())
    assert record["recipe"] == body["recipe"]


async def test_error_statuses_are_json_with_stable_codes(app_server):
    server = await app_server(env={"CITIZEN_MAX_BODY_BYTES": "4096"})
    cases = [
        (dict(raw="{not json"), 400, "malformed_json"),
        (dict(raw=json.dumps({**NAME, "pad": "x" * 5000})), 413, "body_too_large"),
        (dict(raw=json.dumps(NAME), headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type"),
        (dict(body={**NAME, "language": "fr"}), 422, "unsupported_language"),
        (dict(body={"language": "ko"}), 422, "missing_field"),
        (dict(body={**NAME, "seed": -1}), 422, "invalid_seed"),
        (dict(body={**NAME, "seed": 1.5}), 422, "invalid_seed"),
        (dict(body={**NAME, "nameOnCard": "a\u202eb"}), 422, "name_forbidden_character"),
        (dict(body=[1, 2]), 422, "invalid_body"),
        (dict(body=NAME, headers={"Idempotency-Key": "bad key with spaces"}), 422, "invalid_idempotency_key"),
    ]
    async with aiohttp.ClientSession() as session:
        for kwargs, status, code in cases:
            got, headers, body = await post(session, server.url, **kwargs)
            assert (got, body["error"]["code"]) == (status, code), (kwargs, body)
            assert body["error"]["message"].endswith(".")
            assert "X-Request-Id" in headers
        fr = (await post(session, server.url, {**NAME, "language": "fr"}))[2]
        assert "ko, en, ja, zh-TW" in fr["error"]["message"] and fr["error"]["field"] == "language"
        async with session.get(server.url + "/nope") as response:
            assert response.status == 404 and (await response.json())["error"]["code"] == "not_found"


async def test_chunked_body_over_the_limit_is_413(server):
    async def chunks():
        for _ in range(10):
            yield b" " * 1000

    async with aiohttp.ClientSession() as session:
        async with session.post(server.url + "/citizen-card", data=chunks(),
                                headers={"Content-Type": "application/json"}) as response:
            assert response.status == 413
            assert (await response.json())["error"]["code"] == "body_too_large"


async def test_rate_limit_answers_429_with_retry_after(app_server):
    server = await app_server(env={"CITIZEN_RATE_LIMIT": "0.5", "CITIZEN_RATE_BURST": "2"})
    async with aiohttp.ClientSession() as session:
        statuses = [(await post(session, server.url, NAME)) for _ in range(4)]
    assert [s for s, _, _ in statuses][:2] == [201, 201]
    limited = [(h, b) for s, h, b in statuses if s == 429]
    assert limited and int(limited[0][0]["Retry-After"]) >= 1
    assert limited[0][1]["error"]["code"] == "rate_limited"


async def test_overload_sheds_with_503_and_retry_after(app_server):
    server = await app_server(env={"CITIZEN_LATENCY_BUDGET": "0.001"}, workers=1)
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(post(session, server.url, NAME) for _ in range(12)))
    statuses = [s for s, _, _ in results]
    assert 201 in statuses and 503 in statuses
    shed = next((h, b) for s, h, b in results if s == 503)
    assert shed[0]["Retry-After"] == "1" and shed[1]["error"]["code"] == "overloaded"


async def test_a_burst_that_fits_the_budget_is_queued_not_shed(app_server):
    """One worker, 8 requests at once: about 50 ms of renders (0.5 s on a very busy machine),
    within the default 1 s budget: all served (a fixed bound of 1 + 4 per worker shed 3);
    /metrics shows the service time the admission measured."""
    server = await app_server(workers=1)
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(post(session, server.url, NAME) for _ in range(8)))
        async with session.get(server.url + "/metrics") as response:
            metrics = await response.text()
    assert [s for s, _, _ in results] == [201] * 8
    (service,) = [float(line.split()[1]) for line in metrics.splitlines()
                  if line.startswith("citizen_pool_service_seconds ")]
    assert 0 < service < 0.5


async def test_card_paths_cannot_escape_the_card_directory(server, tmp_path: Path):
    (tmp_path / "secret.png").write_bytes(b"not for you")
    async with aiohttp.ClientSession() as session:
        for path in ("/cards/..%2fsecret.png", "/cards/../secret.png", "/cards/%2e%2e%2fsecret.png",
                     "/cards/AAAAAAAAAAAAAAAAAAAAAA.png", "/cards/short.png", "/cards/..%2f..%2fetc%2fpasswd"):
            async with session.get(server.url + path) as response:
                assert response.status == 404, path
                assert b"not for you" not in await response.read()


async def test_healthz_stays_fast_while_the_pool_is_saturated(app_server):
    server = await app_server(workers=2)
    async with aiohttp.ClientSession() as session:
        async def hammer():
            for _ in range(15):
                await post(session, server.url, NAME)

        load = [asyncio.create_task(hammer()) for _ in range(8)]
        await asyncio.sleep(0.5)
        took = []
        for _ in range(20):
            t0 = time.perf_counter()
            async with session.get(server.url + "/healthz") as response:
                assert response.status == 200
            took.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)
        await asyncio.gather(*load)
    # A probe queued behind the renders would be slow every time; one slow sample in 20 is
    # the shared 2-core machine descheduling this process (seen at load 7-11: 58 ms once).
    second_worst = sorted(took)[-2]
    assert second_worst < 0.05, f"/healthz took {[round(t * 1000, 1) for t in took]} ms under load"


async def test_idempotency_key_returns_the_same_card(server):
    async with aiohttp.ClientSession() as session:
        key = {"Idempotency-Key": "campaign-42:user-7"}
        first = await post(session, server.url, NAME, headers=key)
        second = await post(session, server.url, NAME, headers=key)
        assert first[0] == second[0] == 201
        assert (first[2]["id"], first[2]["url"], first[2]["seed"]) == (second[2]["id"], second[2]["url"],
                                                                       second[2]["seed"])
        reused = await post(session, server.url, {**NAME, "nameOnCard": "Other"}, headers=key)
        assert reused[0] == 422 and reused[2]["error"]["code"] == "idempotency_key_reused"
        other = await post(session, server.url, NAME, headers={"Idempotency-Key": "another"})
        assert other[2]["id"] != first[2]["id"]


async def test_probes_metrics_and_request_log(server):
    async with aiohttp.ClientSession() as session:
        await post(session, server.url, NAME)
        async with session.get(server.url + "/healthz") as response:
            assert response.status == 200
        async with session.get(server.url + "/readyz") as response:
            assert response.status == 200 and (await response.json())["status"] == "ready"
        async with session.get(server.url + "/metrics") as response:
            text = await response.text()
    for metric in ("citizen_requests_total", "citizen_request_seconds_bucket", "citizen_stage_seconds_bucket",
                   "citizen_pool_queue_depth", "citizen_shed_total", "citizen_atlas_info{version=",
                   "citizen_storage_uploads_in_flight 0.0", "citizen_storage_upload_seconds ",
                   "citizen_pool_standing 0.0"):
        assert metric in text
    assert 'stage="blend"' in text and 'stage="encode"' in text and 'stage="upload"' in text
    lines = [json.loads(line) for line in server.log_text().splitlines() if line.startswith('{"ts"')]
    minted = [line for line in lines if line["path"] == "/citizen-card" and line["status"] == 201]
    assert minted and set(minted[0]["timings_ms"]) >= {"validate", "queue", "blend", "text", "encode", "upload"}


async def test_concurrent_requests_with_one_key_mint_one_card(server):
    async with aiohttp.ClientSession() as session:
        key = {"Idempotency-Key": "race-1"}
        same = await asyncio.gather(*(post(session, server.url, NAME, headers=key) for _ in range(4)))
        assert {s for s, _, _ in same} == {201}
        assert len({b["id"] for _, _, b in same}) == 1
        key = {"Idempotency-Key": "race-2"}
        mixed = await asyncio.gather(post(session, server.url, NAME, headers=key),
                                     post(session, server.url, {**NAME, "nameOnCard": "Other"}, headers=key))
    assert sorted(s for s, _, _ in mixed) == [201, 422]
    assert next(b for s, _, b in mixed if s == 422)["error"]["code"] == "idempotency_key_reused"
