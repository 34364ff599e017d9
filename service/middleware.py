"""The request middlewares, one job each, outermost first (CORS, service/cors.py, wraps them all):

  observe   request id, stage timings, metrics and one log line per request
  errors    every exception as the JSON error shape of service/errors.py, with its status
  deadline  CITIZEN_REQUEST_TIMEOUT: a typed 408 (the client's body is still arriving) or 503

No middleware knows a route: what a route needs (shedding load, reading its body) its
handler does.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from aiohttp import web

from service import keys
from service.errors import (ClientClosedRequest, HTTPRefusal, MalformedBody, PayloadTooLarge, RequestTimeout,
                            ServiceError, TookTooLong)
from service.json_log import log_json
from service.routes import json_response

log = logging.getLogger("citizen_card")
access_log = logging.getLogger("citizen_card.access")


@web.middleware
async def observe(request: web.Request, handler) -> web.StreamResponse:
    """Give the request an id (X-Request-Id on every answer) and a `timings` dict for its
    stages; count it, time it and log it once answered."""
    app = request.app
    request_id = request[keys.REQUEST_ID] = uuid.uuid4().hex
    request[keys.TIMINGS] = {}
    started = time.perf_counter()
    response = await handler(request)
    response.headers["X-Request-Id"] = request_id
    elapsed = time.perf_counter() - started
    route = request.match_info.route.resource.canonical if request.match_info.route.resource else "unmatched"
    metrics = app[keys.METRICS]
    error = request.get(keys.ERROR)
    if error is not None and error.code == "overloaded":
        metrics.shed.inc()
    metrics.record_request(route, response.status, elapsed, request[keys.TIMINGS])
    if app[keys.SETTINGS].log_requests:
        log_json(access_log, logging.INFO, {
            "ts": time.time(), "request_id": request_id, "method": request.method, "path": request.path,
            "status": response.status, "ms": round(elapsed * 1000, 2),
            "timings_ms": {k: round(v * 1000, 2) for k, v in request[keys.TIMINGS].items()},
        })
    return response


@web.middleware
async def errors(request: web.Request, handler) -> web.StreamResponse:
    """Answer any exception as a JSON error (kept as request[keys.ERROR] for `observe`); one that
    is not a ServiceError is our fault: a logged 500 naming the request id."""
    try:
        return await handler(request)
    except Exception as exc:
        error = request[keys.ERROR] = as_service_error(request, exc)
    response = error_response(error)
    if error.closes_connection:
        response.force_close()
    return response


def as_service_error(request: web.Request, exc: Exception) -> ServiceError:
    """The typed error that answers `exc`."""
    if isinstance(exc, ServiceError):
        return exc
    if isinstance(exc, web.HTTPException):  # aiohttp's own refusals: no route, wrong method
        if exc.status == 413:
            return PayloadTooLarge("The body is over the size limit.")
        return HTTPRefusal(exc.status, exc.reason, allow=exc.headers.get("Allow"))
    if isinstance(exc, (ConnectionError, web.RequestPayloadError)):
        transport = request.transport
        if transport is None or transport.is_closing():  # the client left mid-body
            return ClientClosedRequest("The client closed the connection before the answer.")
        if isinstance(exc, web.RequestPayloadError):  # a body aiohttp could not decode (bad chunking)
            return MalformedBody(f"The request body is malformed: {exc}.")
    request_id = request[keys.REQUEST_ID]
    log.exception("unhandled error in %s %s (request id %s)", request.method, request.path, request_id,
                  exc_info=exc)
    return ServiceError(f"Something went wrong on our side; request id {request_id}.")


def error_response(error: ServiceError) -> web.Response:
    headers = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(error.retry_after + 0.499)))
    if isinstance(error, HTTPRefusal) and error.allow is not None:
        headers["Allow"] = error.allow
    return json_response(error.to_json(), error.status, headers)


@web.middleware
async def deadline(request: web.Request, handler) -> web.StreamResponse:
    """Bound the whole request by CITIZEN_REQUEST_TIMEOUT."""
    try:
        async with asyncio.timeout(request.app[keys.SETTINGS].request_timeout):
            return await handler(request)
    except TimeoutError:
        if not request.content.is_eof():  # still waiting for the client's body (a slow client)
            raise RequestTimeout("The request body did not arrive in time.") from None
        raise TookTooLong("The request took too long; please retry.", retry_after=1) from None
