"""SPEC §8 / issue 5 item 7: abuse, with real clients against the real server.

- A per-client-IP token bucket answers 429 + Retry-After; X-Forwarded-For is believed only
  from a configured trusted proxy (both ways: forged headers from anyone else change
  nothing; behind a trusted proxy each client has its own bucket, and prepending forged
  hops does not escape it).
- Slow clients (a body trickling in one byte a second) time out with 408 without holding
  a render worker, while other requests keep succeeding fast.
- `/cards/..%2f..`-style paths and non-id names never read outside the card directory.
- Card ids are 128 random bits: unique, unpredictable, and guessing finds nothing.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import re
import secrets
import time
from pathlib import Path

import aiohttp

from tests import load

CARD = {"nameOnCard": "Gingerbrave", "language": "en"}


async def raw_request(url: str, request: bytes, *, read_timeout: float = 10.0) -> tuple[int, bytes]:
    """Send bytes as they are (no client-side path normalisation); return (status, body)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), read_timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# --- rate limit ---------------------------------------------------------------------------

async def burst(url: str, n: int, forwarded_for, concurrency: int = 4) -> load.Report:
    """n requests, `concurrency` at a time (below the admission limit: no 503 can mix in)."""
    headers = iter(forwarded_for(i) for i in range(n))
    return await load.closed_loop(url, concurrency=concurrency, requests=n, body=lambda: CARD,
                                  headers=lambda: {"X-Forwarded-For": next(headers)})


async def test_rate_limit_believes_x_forwarded_for_only_from_trusted_proxies(serve):
    limits = {"CITIZEN_RATE_LIMIT": "2", "CITIZEN_RATE_BURST": "4"}
    direct = serve(env=limits)
    proxied = serve(env={**limits, "CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32,10.0.0.0/8"})

    # From an untrusted peer, a forged X-Forwarded-For (a new address each time) is ignored:
    # everything counts against 127.0.0.1, so the burst runs out at once.
    forged = await burst(direct.url, 24, lambda i: f"203.0.113.{i}")
    # Behind a trusted proxy each client address has its own bucket...
    clients = await burst(proxied.url, 48, lambda i: f"198.51.100.{i % 6}")
    # ...and a client cannot escape its bucket by prepending forged hops: the right-most
    # untrusted address is the client (10.0.0.0/8 is a trusted internal hop here).
    chained = await burst(proxied.url, 24, lambda i: f"203.0.113.{i}, 192.0.2.7, 10.1.2.3")

    for report in (forged, clients, chained):
        assert set(report.statuses()) <= {201, 429}, report.summary()
        assert all(r.error == "rate_limited" and int(r.retry_after) >= 1 for r in report.of(429))
    # bucket of 4 + 2/s refill over the run: a few more than 4, far fewer than sent
    assert 4 <= len(forged.of(201)) <= 4 + 2 * forged.duration + 1, forged.summary()
    assert len(clients.of(201)) >= 6 * 4, clients.summary()
    assert 4 <= len(chained.of(201)) <= 4 + 2 * chained.duration + 1, chained.summary()
    everything = load.Report()
    for report in (forged, clients, chained):
        everything += report
    lost = await load.verify_cards(everything)
    assert lost == 0
    load.record("7a-rate-limit", order=50, fault="Abuse: one client over its rate; forged X-Forwarded-For",
                injected="4 concurrent clients, 24-48 requests each run, rate 2/s burst 4: forged XFF from an "
                         "untrusted peer; 6 clients behind a trusted proxy; forged hops prepended",
                report=everything, recovery_s=None,
                notes=f"forged XFF: {len(forged.of(201))}/24 201 (one bucket); behind the trusted proxy: "
                      f"{len(clients.of(201))}/48 (6 buckets); prepended hops: {len(chained.of(201))}/24 "
                      "(still one bucket); every 429 with Retry-After",
                forged=forged.summary(), clients=clients.summary(), chained=chained.summary())


# --- slow clients -------------------------------------------------------------------------

CLOSED: list[float] = []


async def trickle(url: str, seconds: float) -> tuple[int, bytes, float]:
    """POST whose body arrives one byte a second; returns (status, body, seconds until answered)."""
    body = json.dumps(CARD).encode()
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    t0 = time.perf_counter()
    writer.write(b"POST /citizen-card HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body))
    await writer.drain()

    async def drip() -> None:
        for byte in body:
            await asyncio.sleep(1.0)
            writer.write(bytes([byte]))
            try:
                await writer.drain()
            except ConnectionError:
                return

    dripping = asyncio.create_task(drip())
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), seconds)
        answered = time.perf_counter() - t0
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        answer = await asyncio.wait_for(reader.readexactly(length), seconds)
        try:
            await asyncio.wait_for(reader.read(), seconds)  # the server closes the connection...
        except ConnectionResetError:
            pass  # ...with a reset if our next byte arrived after it stopped reading
        CLOSED.append(time.perf_counter() - t0)
    finally:
        dripping.cancel()
        writer.close()
    return int(head.split()[1]), answer, answered


async def test_slow_clients_time_out_without_holding_a_worker(serve):
    timeout = 3
    server = serve(env={"CITIZEN_REQUEST_TIMEOUT": str(timeout)})
    base = await load.closed_loop(server.url, concurrency=2, duration=2)

    CLOSED.clear()
    slow = [asyncio.create_task(trickle(server.url, 20)) for _ in range(24)]
    await asyncio.sleep(0.5)
    async with load.new_session() as session:
        metrics = await load.metrics_text(session, server.url)
    in_flight = float(re.search(r"^citizen_pool_in_flight (\S+)", metrics, re.M).group(1))
    during = await load.closed_loop(server.url, concurrency=2, duration=2)
    answers = await asyncio.gather(*slow)
    lost = await load.verify_cards(during)

    statuses = [s for s, _, _ in answers]
    waited = [t for _, _, t in answers]
    report = load.Report(results=[load.Result(0, s, t, error=json.loads(b)["error"]["code"])
                                  for s, b, t in answers], duration=max(waited))
    report += during
    load.record("7b-slow-clients", order=51, fault="Abuse: 24 clients sending their body one byte a second",
                injected=f"raw sockets, Content-Length announced, 1 byte/s; request timeout {timeout} s; "
                         "2 normal clients meanwhile",
                report=report, recovery_s=None,
                notes=f"each slow client: 408 request_timeout after {min(waited):.1f}-{max(waited):.1f} s, "
                      f"connection closed after {max(CLOSED):.0f} s (aiohttp lingers to drain the body); renders in flight meanwhile: {in_flight:g}; normal requests p99 "
                      f"{during.percentile(99) * 1000:.0f} ms (before: {base.percentile(99) * 1000:.0f} ms)",
                normal_before=base.summary(), normal_during=during.summary())

    assert statuses == [408] * len(slow), statuses
    assert all(json.loads(b)["error"]["code"] == "request_timeout" for _, b, _ in answers)
    assert all(timeout - 0.5 <= t <= timeout + 2 for t in waited), waited
    assert len(CLOSED) == len(slow)  # and the server closed every connection
    assert in_flight == 0  # the slow clients hold no render slot
    assert during.statuses() == {201: during.sent} and lost == 0, during.summary()
    assert during.percentile(99) < max(0.25, 3 * base.percentile(99)), (base.summary(), during.summary())


# --- paths --------------------------------------------------------------------------------

TRAVERSALS = [
    "/cards/..%2fsecret.png", "/cards/..%2f..%2f..%2f..%2fetc%2fpasswd", "/cards/%2e%2e%2fsecret.png",
    "/cards/%2e%2e/secret.png", "/cards/../secret.png", "/cards/..%5csecret.png", "/cards/%252e%252e%252fsecret.png",
    "/cards/....//secret.png", "/cards/%2fetc%2fpasswd", "/cards/not-a-card-id.png", "/cards/not-a-card-id",
    "/cards/.%2e/secret.png", "/cards/%00.png", "/cards/AAAAAAAAAAAAAAAAAAAAA%00.png", "/cards/",
    "/cards/..%2f..%2fsecret.png%00.png", "/cards/%2e%2e%2f%2e%2e%2fsecret.png", "/cards/..;/secret.png",
    "/../secret.png", "/%2e%2e/secret.png", "/cards/~/secret.png", "/cards//etc/passwd",
]


async def test_card_paths_never_read_outside_the_card_directory(serve, tmp_path: Path):
    server = serve()
    secret = b"TOP SECRET, outside the card directory"
    (tmp_path / "secret.png").write_bytes(secret)
    (tmp_path / "cards").mkdir(exist_ok=True)
    (tmp_path / "cards" / "not-a-card-id.png").write_bytes(secret)  # in the directory, but not an id

    stop = asyncio.Event()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=2, stop=stop))
    await asyncio.sleep(0.5)
    real = next(r for r in (await load.closed_loop(server.url, concurrency=1, requests=1)).results)
    paths = [*TRAVERSALS, f"/cards/{real.card_id}.json", f"/cards/{real.card_id}.png/..%2f..%2fsecret.png",
             f"/cards/{real.card_id}%2f..%2f..%2fsecret.png"]
    answers = await asyncio.gather(*(raw_request(server.url, f"GET {p} HTTP/1.1\r\nHost: x\r\nConnection: close"
                                                             f"\r\n\r\n".encode()) for p in paths * 3))
    stop.set()
    report = await traffic
    leaked = [(p, s) for p, (s, body) in zip(paths * 3, answers) if b"TOP SECRET" in body or b"root:" in body]
    ok = [(p, s) for p, (s, _) in zip(paths * 3, answers) if s not in (400, 404)]
    report.results += [load.Result(0, s, 0, error=_code(body)) for s, body in answers]
    load.record("7c-paths", order=52, fault="Abuse: path traversal and non-id names under /cards/",
                injected=f"{len(paths)} raw request paths (encoded, double-encoded, backslash, NUL, ...) x3, "
                         "with 2 clients minting meanwhile",
                report=report, recovery_s=None,
                notes="every one 404 (or 400), nothing read outside the card directory; non-id files in it "
                      "are not served either")
    assert not leaked and not ok, (leaked, ok)
    async with aiohttp.ClientSession() as session, session.get(real.url) as response:
        assert response.status == 200  # the real card still is served


# --- ids ----------------------------------------------------------------------------------

async def test_card_ids_are_128_random_bits_and_cannot_be_guessed(serve):
    server = serve()
    report = await load.closed_loop(server.url, concurrency=4, requests=400)
    ids = [r.card_id for r in report.results if r.status == 201]
    assert len(ids) == 400 and len(set(ids)) == 400
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)
    raw = [base64.urlsafe_b64decode(i + "==") for i in ids]
    assert all(len(r) == 16 for r in raw)
    # Every one of the 128 bits is a coin flip (400 samples: 0.5 +- 5 sigma).
    ones = [sum((int.from_bytes(r, "big") >> bit) & 1 for r in raw) / len(raw) for bit in range(128)]
    assert all(0.37 < f < 0.63 for f in ones), min(ones, key=lambda f: abs(f - 0.5))
    # No structure between consecutive ids (not a counter, not time-ordered).
    longest_prefix = max(len(_common_prefix(a, b)) for a, b in zip(sorted(ids), sorted(ids)[1:]))
    assert longest_prefix <= 5
    # Guessing: neighbours of real ids and random well-formed ids are all unknown.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    guesses = [i[:-2] + random.choice(alphabet.replace(i[-2], "")) + i[-1] for i in ids[:100]]
    guesses += [base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=") for _ in range(100)]
    guesses += [base64.urlsafe_b64encode((int.from_bytes(raw[0], "big") + d).to_bytes(16, "big")).decode()
                .rstrip("=") for d in (-2, -1, 1, 2)]
    async with load.new_session(limit=8) as session:
        async def status(card_id: str) -> int:
            async with session.get(f"{server.url}/cards/{card_id}.png") as response:
                return response.status

        found = await asyncio.gather(*(status(g) for g in guesses if g not in set(ids)))
    assert set(found) == {404}
    load.record("7d-ids", order=53, fault="Abuse: enumerating card ids", injected=f"400 cards minted, "
                f"{len(found)} guessed ids (neighbours of real ids, +-1, random) fetched",
                report=report, recovery_s=None,
                notes=f"400 unique 22-char ids = 128 bits each, every bit 0.5 +- {max(abs(f - 0.5) for f in ones):.2f};"
                      f" longest shared prefix {longest_prefix} chars; all {len(found)} guesses 404")


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _code(body: bytes) -> str:
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return "not_json"
