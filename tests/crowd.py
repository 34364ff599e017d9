"""A light HTTP/1.1 load generator for the overload tests: raw asyncio protocols, no client
library, so that a crowd of a thousand connections or a thousand requests a second costs
the two shared cores little next to the server it measures (aiohttp's client costs about
ten times as much per request, which on this machine comes out of the server's CPU).

- ``burst``: N connections opened first, then one POST on each, all written at once.
- ``open_loop``: arrivals on a fixed schedule whatever the answers (they never honour
  Retry-After), over keep-alive connections opened as needed.
- ``closed_loop``: N clients back to back (the capacity measurement).

Answers become ``tests.load.Result`` objects in a ``tests.load.Report``, like the rest of
the reliability harness; only POST /citizen-card is spoken, to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import random
import resource
import time
import urllib.parse

import orjson

from tests.load import Report, Result, random_card_body


def raise_fd_limit(needed: int) -> None:
    """Lift this process's soft limit on open files (a child server inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def request_bytes(host: str, body: dict) -> bytes:
    data = orjson.dumps(body)
    return (f"POST /citizen-card HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time, answers with a Content-Length."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None or self.waiter.done():
            return
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
        length = int(headers.get("content-length", "0"))
        if len(self.buffer) < end + 4 + length:
            return
        body = bytes(self.buffer[end + 4:end + 4 + length])
        del self.buffer[:end + 4 + length]
        if headers.get("connection", "").lower() == "close":
            self.closed = True
        self.waiter.set_result((int(head[0].split()[1]), headers, body))

    def connection_lost(self, exc) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionResetError("connection closed before the answer"))

    def send(self, request: bytes) -> asyncio.Future:
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter


def _result(answer: tuple[int, dict, bytes], started: float, t_zero: float, now: float) -> Result:
    status, headers, body = answer
    result = Result(started - t_zero, status, now - started, retry_after=headers.get("retry-after"),
                    request_id=headers.get("x-request-id"))
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        result.error = "not_json"
        return result
    if status == 201:
        result.url, result.card_id = payload.get("url"), payload.get("id")
    elif isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        result.error = payload["error"].get("code")
    return result


class Crowd:
    """Connections to one server, reused when idle and opened when none is."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.idle: list[_Connection] = []
        self.rng = random.Random(2026)

    async def connect(self) -> _Connection:
        _, protocol = await asyncio.get_running_loop().create_connection(_Connection, self.host, self.port)
        return protocol

    async def post(self, t_zero: float, connection: _Connection | None = None, timeout: float = 30.0) -> Result:
        """One POST /citizen-card with a random card body; never raises."""
        request = request_bytes(f"{self.host}:{self.port}", random_card_body(self.rng))
        started = time.perf_counter()
        try:
            if connection is None:
                connection = self.idle.pop() if self.idle else await self.connect()
            answer = await asyncio.wait_for(connection.send(request), timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            if connection is not None and connection.transport is not None:
                connection.transport.close()
            return Result(started - t_zero, 0, time.perf_counter() - started, error=type(exc).__name__)
        if connection.closed:
            connection.transport.close()
        else:
            self.idle.append(connection)
        return _result(answer, started, t_zero, time.perf_counter())

    def close(self) -> None:
        for connection in self.idle:
            connection.transport.close()
        self.idle.clear()


async def burst(url: str, n: int) -> Report:
    """n simultaneous POSTs: n connections opened first, then every request written at once."""
    crowd, report = Crowd(url), Report()
    connections = await asyncio.gather(*(crowd.connect() for _ in range(n)))
    t_zero = time.perf_counter()
    report.results = list(await asyncio.gather(*(crowd.post(t_zero, c) for c in connections)))
    report.duration = time.perf_counter() - t_zero
    crowd.close()
    return report


async def open_loop(url: str, *, rate: float, duration: float, max_outstanding: int = 2000) -> Report:
    """A request every 1/rate s for `duration` s, whatever the answers (arrivals beyond
    `max_outstanding` pending are counted as skipped, not queued in the generator)."""
    crowd, report = Crowd(url), Report()
    pending: set[asyncio.Task] = set()
    t_zero = time.perf_counter()

    async def send() -> None:
        report.results.append(await crowd.post(t_zero))

    n = 0
    while (due := t_zero + n / rate) - t_zero < duration:
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        n += 1
        if len(pending) >= max_outstanding:
            report.skipped += 1
            continue
        task = asyncio.create_task(send())
        pending.add(task)
        task.add_done_callback(pending.discard)
    report.duration = time.perf_counter() - t_zero
    if pending:
        await asyncio.gather(*pending)
    crowd.close()
    return report


async def closed_loop(url: str, *, concurrency: int, duration: float) -> Report:
    """`concurrency` clients, each sending its next POST when the last one is answered."""
    crowd, report = Crowd(url), Report()
    t_zero = time.perf_counter()

    async def client() -> None:
        while time.perf_counter() - t_zero < duration:
            report.results.append(await crowd.post(t_zero))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    report.duration = time.perf_counter() - t_zero
    crowd.close()
    return report
