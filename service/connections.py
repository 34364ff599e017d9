"""The connection layer under the app: header timeout, a cap on open connections, and
protocol errors answered in our JSON error shape.

aiohttp reads a request's line and headers before any middleware runs, so what can go wrong
there is decided here (issue 17):

1. *Header timeout*: a new connection must send a complete request line and headers within
   `header_timeout`, and so must a kept-alive connection once the first byte of its next
   request arrives. A connection that sent part of a request gets `408` and is closed; one
   that never sent a byte is closed quietly (like nginx's `client_header_timeout`). aiohttp
   itself only has the keep-alive timeout, which bounds an idle connection but not one
   that trickles a header byte every few seconds.
2. *Connection cap*: past `max_connections` open connections a new one is answered `503
   too_many_connections` with `Retry-After` at once and closed, so a flood of idle sockets
   cannot take the file descriptors every other client needs.
3. *Protocol errors* (a request aiohttp cannot parse) are answered by aiohttp's own error
   handler, not by the app: we override it to answer the JSON error shape with an
   `X-Request-Id`, log one line without a traceback, and count it in /metrics. aiohttp
   still writes that answer as HTTP/1.0 (it has no request version to go by).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
import uuid
from dataclasses import dataclass
from http import HTTPStatus

import orjson
from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from service.json_log import log_json
from service.metrics import Metrics

log = logging.getLogger("citizen_card")

SERVER_NAME = "citizen-card"  # the Server header: no version for scanners to match
PROTOCOL_ROUTE = "(protocol error)"  # the route label of requests aiohttp could not parse
RESERVED_FDS = 256  # descriptors kept for the workers' pipes, S3 connections, the caches, logs
REFUSAL_LINGER = 1.0  # seconds a refused connection is kept half-closed so the client reads the answer
MAX_LINGERING_REFUSALS = 256  # past this many at once (a flood), refused connections are closed at once


@dataclass(frozen=True)
class ConnectionLimits:
    header_timeout: float
    max_connections: int


def raw_error(status: int, code: str, message: str, *, retry_after: int | None = None) -> bytes:
    """A complete HTTP/1.1 error response in our JSON shape, for answers given outside any request."""
    body = orjson.dumps({"error": {"code": code, "message": message}})
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "Content-Type: application/json",
            f"Content-Length: {len(body)}", "Connection: close", f"Server: {SERVER_NAME}",
            f"X-Request-Id: {uuid.uuid4().hex}"]
    if retry_after is not None:
        head.append(f"Retry-After: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


OVER_CAPACITY = raw_error(503, "too_many_connections",
                          "The server has too many open connections; please retry.", retry_after=1)


class CardProtocol(RequestHandler):
    """aiohttp's HTTP/1.1 protocol with the header timeout, the cap and JSON protocol errors."""

    __slots__ = ("_header_timer", "_header_bytes", "_refused")

    def __init__(self, manager: CardServer, **kwargs) -> None:
        super().__init__(manager, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = False  # part of a request arrived since the last complete one
        self._refused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        server = self._manager
        assert isinstance(server, CardServer)
        if server.open >= server.limits.max_connections:
            self._refuse(transport, server)
            return
        super().connection_made(transport)
        self._arm_header_timer()

    def _refuse(self, transport: asyncio.BaseTransport, server: CardServer) -> None:
        self._refused = True
        self._force_close = True  # data_received ignores whatever the client sends
        self._manager = None  # never registered: connection_lost has nothing to undo
        server.refused()
        transport.write(OVER_CAPACITY)  # type: ignore[attr-defined]
        if server.lingering >= MAX_LINGERING_REFUSALS:  # a flood: no descriptor is held a second longer
            transport.close()
            return
        try:  # half-close: the client reads the answer, we drop its request, then close
            transport.write_eof()  # type: ignore[attr-defined]
        except (OSError, NotImplementedError, RuntimeError):
            transport.close()
            return
        server.lingering += 1

        def close() -> None:
            server.lingering -= 1
            transport.close()

        self._loop.call_later(REFUSAL_LINGER, close)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        waiter = self._waiter
        waiting = waiter is not None and not waiter.done()  # between requests, not inside one
        before = self._request_count
        super().data_received(data)
        if self._request_count != before:  # a request line and headers are complete
            self._header_bytes = False
            self._cancel_header_timer()
        elif waiting and data:
            self._header_bytes = True
            if self._header_timer is None:
                self._arm_header_timer()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._cancel_header_timer()
        if self._refused:
            return
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        timeout = self._manager.limits.header_timeout if isinstance(self._manager, CardServer) else 0
        if timeout > 0:
            self._header_timer = self._loop.call_later(timeout, self._header_timeout)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        waiter = self._waiter
        if waiter is None or waiter.done() or self.transport is None:
            return  # a request is being handled: its own timeouts apply
        server = self._manager
        if isinstance(server, CardServer):
            server.metrics.connections_closed.labels("header_timeout").inc()
        if self._header_bytes:
            self.transport.write(raw_error(408, "header_timeout",
                                           "The request line and headers did not arrive in time."))
        self.force_close()

    def handle_error(self, request: web.BaseRequest, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        """aiohttp's last-resort answer (unparseable request, or an exception past every
        middleware), in our JSON shape with a request id."""
        if request.writer.output_size > 0:  # an answer has started: nothing else can be sent
            raise ConnectionError("Response is sent already, cannot send another response with the error message")
        request_id = uuid.uuid4().hex
        if status >= 500:
            self.log_exception("unhandled error outside the app (request id %s)", request_id, exc_info=exc)
            code, public = "internal_error", f"Something went wrong on our side; request id {request_id}."
        else:
            code = "malformed_request"
            reason = getattr(exc, "message", None) or message or HTTPStatus(status).phrase
            public = f"The request is not valid HTTP/1.1: {str(reason)[:200]}"
            log_json(log, logging.INFO, {"event": "protocol_error", "request_id": request_id, "status": status,
                                         "peer": request.remote, "reason": str(reason)[:200]})
        if isinstance(self._manager, CardServer):
            self._manager.metrics.requests.labels(PROTOCOL_ROUTE, str(status)).inc()
        response = web.Response(body=orjson.dumps({"error": {"code": code, "message": public}}), status=status,
                                content_type="application/json",
                                headers={"X-Request-Id": request_id, "Server": SERVER_NAME})
        response.force_close()
        return response


class CardServer(web.Server):
    """aiohttp's Server making CardProtocol connections, counting them against the cap."""

    def __init__(self, server: web.Server, limits: ConnectionLimits, metrics: Metrics) -> None:
        # aiohttp builds its Server inside AppRunner; take over its handler and settings.
        super().__init__(server.request_handler, request_factory=server.request_factory,
                         handler_cancellation=server.handler_cancellation, **server._kwargs)
        self.limits = limits
        self.metrics = metrics
        self.open = 0
        self.lingering = 0  # refused connections still half-open
        self._refusals = 0
        self._refusal_logged = 0.0

    def __call__(self) -> CardProtocol:
        return CardProtocol(self, loop=self._loop, **self._kwargs)

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self.open += 1
        self.metrics.connections_open.set(self.open)

    def connection_lost(self, handler: RequestHandler, exc: BaseException | None = None) -> None:
        super().connection_lost(handler, exc)
        self.open -= 1
        self.metrics.connections_open.set(self.open)

    def refused(self) -> None:
        self.metrics.connections_closed.labels("over_capacity").inc()
        self._refusals += 1
        now = time.monotonic()
        if now - self._refusal_logged >= 10.0:  # one line per 10 s, however many are refused
            log_json(log, logging.WARNING, {"event": "connections_over_capacity", "open": self.open,
                                            "max_connections": self.limits.max_connections,
                                            "refused": self._refusals})
            self._refusal_logged, self._refusals = now, 0


class CardRunner(web.AppRunner):
    """An AppRunner whose server is a CardServer."""

    def __init__(self, app: web.Application, *, limits: ConnectionLimits, metrics: Metrics, **kwargs) -> None:
        super().__init__(app, **kwargs)
        self.limits = limits
        self.metrics = metrics

    async def _make_server(self) -> web.Server:
        return CardServer(await super()._make_server(), self.limits, self.metrics)


def fit_connection_cap(max_connections: int) -> int:
    """Raise the soft descriptor limit so `max_connections` fit beside RESERVED_FDS; if the
    hard limit does not allow it, lower the cap to what fits (and say so)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + RESERVED_FDS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted:
        fitted = max(1, soft - RESERVED_FDS)
        log_json(log, logging.WARNING, {"event": "max_connections_lowered", "configured": max_connections,
                                        "effective": fitted, "nofile_limit": soft})
        return fitted
    return max_connections
