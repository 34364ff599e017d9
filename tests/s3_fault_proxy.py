"""A fault-injecting HTTP proxy in front of the moto S3 server, for the reliability tests.

It runs its own event loop in a thread (so the test's load generator does not slow it
down) on 127.0.0.1 and forwards every request to the upstream S3 endpoint, unless told
otherwise. The mode can be switched at any time:

- ``pass``: forward (S3 is healthy);
- ``delay``: wait ``delay_seconds`` then forward (a slow but working S3);
- ``stall``: wait ``stall_seconds`` (5 s) before forwarding: longer than the client's
  read timeout, so every attempt times out;
- ``500``: answer ``500 InternalError``; ``503``: answer ``503 SlowDown`` (S3's XML);
- ``refuse``: close the listening socket and every open connection: connections are
  refused (ECONNREFUSED) until the mode changes again.

Every request is recorded (time, mode, method, path), so a test can count attempts per
object key and look at the gaps between them (backoff and jitter).
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "expect",
              "proxy-connection", "te", "trailer", "upgrade"}
ERRORS = {
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "SlowDown", "Please reduce your request rate."),
}


@dataclass(frozen=True)
class Seen:
    at: float  # time.monotonic()
    mode: str
    method: str
    path: str


class FaultProxy:
    def __init__(self, upstream: str, *, stall_seconds: float = 5.0, delay_seconds: float = 1.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.stall_seconds = stall_seconds
        self.delay_seconds = delay_seconds
        self.port = 0
        self.seen: list[Seen] = []
        self._mode = "pass"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="s3-fault-proxy", daemon=True)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._session: aiohttp.ClientSession | None = None

    # --- control, from the test's thread --------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        assert mode in ("pass", "delay", "stall", "500", "503", "refuse"), mode
        self._call(self._switch(mode))

    def start(self) -> FaultProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def attempts(self, method: str = "PUT", suffix: str = ".png") -> dict[str, list[Seen]]:
        """Requests seen per object path (e.g. every PUT of every card PNG)."""
        per_key: dict[str, list[Seen]] = {}
        for seen in list(self.seen):
            if seen.method == method and seen.path.endswith(suffix):
                per_key.setdefault(seen.path, []).append(seen)
        return per_key

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(15)

    # --- inside the proxy's loop ------------------------------------------------------------

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession(auto_decompress=False,
                                              timeout=aiohttp.ClientTimeout(total=30))
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]  # noqa: SLF001

    async def _switch(self, mode: str) -> None:
        previous, self._mode = self._mode, mode
        if mode == "refuse" and previous != "refuse":
            await self._site.stop()  # no more accepts: new connections are refused
            for connection in list(self._runner.server.connections):  # and drop the open ones
                connection.force_close()
        elif previous == "refuse" and mode != "refuse":
            await self._listen()

    async def _stop(self) -> None:
        await self._runner.cleanup()
        await self._session.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        mode = self._mode
        self.seen.append(Seen(time.monotonic(), mode, request.method, request.path))
        body = await request.read()
        if mode in ERRORS:
            status, code, message = ERRORS[mode]
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
                   f"<RequestId>fault-proxy</RequestId></Error>")
            return web.Response(status=status, body=xml.encode(), content_type="application/xml")
        if mode == "stall":
            await asyncio.sleep(self.stall_seconds)
        elif mode == "delay":
            await asyncio.sleep(self.delay_seconds)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        async with self._session.request(request.method, self.upstream + request.raw_path, headers=headers,
                                         data=body if body else None) as upstream:
            payload = await upstream.read()
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
            return web.Response(status=upstream.status, body=payload, headers=out)
