"""The app served in the test's own process, for the `http` tier (conftest's `app_server`)."""

from __future__ import annotations

import io
import socket
from dataclasses import dataclass

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from service import keys
from service.server import runner_options


class AppTestServer(TestServer):
    """pytest-aiohttp's test server on a socket bound before the app is made (so the app's
    settings, and the card URLs built on them, name the real port), run with serve()'s options."""

    def __init__(self, app: web.Application, listening: socket.socket) -> None:
        super().__init__(app, port=listening.getsockname()[1], socket_factory=lambda *_: listening)

    async def _make_runner(self, **kwargs) -> web.AppRunner:
        # serve()'s options in place of the test server's (its handler_cancellation=True would
        # cancel a mint whose client left, which a real server lets finish).
        return web.AppRunner(self.app, **runner_options(self.app[keys.SETTINGS]))


@dataclass
class AppServer:
    """The app service.app.create_app makes, served in this process: real render pool, real
    storage; no signals, no connection limits, no second process (those are start_server's)."""

    url: str
    client: TestClient
    log: io.StringIO

    def log_text(self) -> str:
        """The app's log lines, as a server process writes them."""
        return self.log.getvalue()
