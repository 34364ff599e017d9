"""create_app(settings): routes, typed state, set-up/tear-down pairs, the error middleware."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import uuid

import diskcache
import orjson
from aiohttp import web

from service import keys
from service.atlas_state import load_atlas_info
from service.config import Settings
from service.connections import SERVER_NAME
from service.cors import cors_middleware
from service.errors import BadRequest, PayloadTooLarge, RequestTimeout, ServiceError
from service.metrics import Metrics
from service.ratelimit import RateLimiter, TrustedProxies
from service.rendering import Rendering, new_pool
from service.routes import healthz, json_response, metrics_response, setup_routes
from service.storage import create_storage

log = logging.getLogger("citizen_card")
access_log = logging.getLogger("citizen_card.access")

HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
CLIENT_CLOSED = 499  # nginx's status for "the client closed the connection before the answer"


def error_response(exc: ServiceError, request_id: str) -> web.Response:
    headers = {"X-Request-Id": request_id}
    if exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(exc.retry_after + 0.499)))
    return json_response(exc.to_json(), exc.status, headers)


@web.middleware
async def request_context(request: web.Request, handler) -> web.StreamResponse:
    """Request id, timings, JSON errors, one log line and metrics per request."""
    app = request.app
    request_id = uuid.uuid4().hex
    request["timings"] = {}
    started = time.perf_counter()
    try:
        if request.method == "POST" and request.path == "/citizen-card":
            app[keys.RENDERING].pool.admit()  # shed before spending anything on a request we cannot take
        async with asyncio.timeout(app[keys.SETTINGS].request_timeout):
            response = await handler(request)
        response.headers["X-Request-Id"] = request_id
    except ServiceError as exc:
        response = error_response(exc, request_id)
        if exc.closes_connection:
            response.force_close()
        if exc.code == "overloaded":
            app[keys.METRICS].shed.inc()
    except TimeoutError:
        if not request.content.is_eof():  # still waiting for the client's body (a slow client)
            response = error_response(RequestTimeout("The request body did not arrive in time."), request_id)
            response.force_close()
        else:
            response = error_response(ServiceError("The request took too long; please retry.", code="timeout",
                                                   retry_after=1), request_id)
            response.set_status(503)
    except web.HTTPException as exc:
        if exc.status == 413:
            response = error_response(PayloadTooLarge("The body is over the size limit."), request_id)
        else:
            error = ServiceError(exc.reason, code=HTTP_CODES.get(exc.status, f"http_{exc.status}"))
            error.status = exc.status
            response = error_response(error, request_id)
            if "Allow" in exc.headers:  # a 405 must list the allowed methods (RFC 9110)
                response.headers["Allow"] = exc.headers["Allow"]
    except Exception as exc:
        transport = request.transport
        left = transport is None or transport.is_closing()
        if left and isinstance(exc, (ConnectionError, web.RequestPayloadError)):  # the client left mid-body
            error = ServiceError("The client closed the connection before the answer.", code="client_closed_request")
            error.status = CLIENT_CLOSED
            response = error_response(error, request_id)
        elif isinstance(exc, web.RequestPayloadError):  # a body aiohttp could not decode (bad chunking)
            response = error_response(BadRequest(f"The request body is malformed: {exc}.", code="malformed_body"),
                                      request_id)
            response.force_close()
        else:
            log.exception("unhandled error in %s %s (request id %s)", request.method, request.path, request_id)
            error = ServiceError(f"Something went wrong on our side; request id {request_id}.")
            response = error_response(error, request_id)
    elapsed = time.perf_counter() - started
    route = request.match_info.route.resource.canonical if request.match_info.route.resource else "unmatched"
    metrics = app[keys.METRICS]
    metrics.requests.labels(route, str(response.status)).inc()
    metrics.latency.labels(route).observe(elapsed)
    for stage, seconds in request["timings"].items():
        metrics.stage.labels(stage).observe(seconds)
    if app[keys.SETTINGS].log_requests:
        access_log.info(orjson.dumps({
            "ts": time.time(), "request_id": request_id, "method": request.method, "path": request.path,
            "status": response.status, "ms": round(elapsed * 1000, 2),
            "timings_ms": {k: round(v * 1000, 2) for k, v in request["timings"].items()},
        }).decode())
    return response


async def rendering_ctx(app: web.Application):
    """Atlas + render pool, and the watcher that hot-reloads a newly published atlas."""
    settings = app[keys.SETTINGS]
    atlas = load_atlas_info(settings.atlas)  # AtlasError if missing or unreadable: never built here
    pool = new_pool(settings, atlas, app[keys.METRICS])
    await pool.start()
    rendering = app[keys.RENDERING] = Rendering(settings, app[keys.METRICS], atlas, pool)
    watcher = asyncio.create_task(rendering.watch()) if settings.atlas_poll_seconds > 0 else None
    yield
    if watcher is not None:
        watcher.cancel()
    await rendering.close()
    log.info('{"event": "pool_closed", "replacements": %d}', rendering.pool.replacements)


async def storage_ctx(app: web.Application):
    storage = create_storage(app[keys.SETTINGS])
    app[keys.STORAGE] = storage
    try:
        await storage.check()  # also opens the client now rather than on the first card
    except ServiceError as exc:
        log.warning('{"event": "storage_not_ready_at_start", "reason": "%s"}', exc.message)
    yield
    await storage.close()
    log.info('{"event": "storage_closed", "backend": "%s"}', type(storage).__name__)


async def idempotency_ctx(app: web.Application):
    cache = diskcache.Cache(str(app[keys.SETTINGS].idempotency_dir), size_limit=2**28)
    app[keys.IDEMPOTENCY] = cache
    yield
    cache.close()


async def server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = SERVER_NAME  # aiohttp's default names its version


def create_app(settings: Settings) -> web.Application:
    # CORS outside the error middleware, so error answers carry the CORS headers too.
    app = web.Application(middlewares=[cors_middleware(settings.cors_origins), request_context],
                          client_max_size=settings.max_body_bytes)
    app[keys.SETTINGS] = settings
    metrics = app[keys.METRICS] = Metrics()
    app[keys.LIMITER] = RateLimiter(settings.rate_limit, settings.rate_burst)
    app[keys.PROXIES] = TrustedProxies(settings.trusted_proxies, on_untrusted_forward=metrics.untrusted_forwarded.inc)
    app[keys.DRAINING] = asyncio.Event()
    app[keys.MINTING] = {}
    app[keys.READINESS] = {}
    app.cleanup_ctx.extend([storage_ctx, idempotency_ctx, rendering_ctx])
    app.on_response_prepare.append(server_header)
    setup_routes(app, metrics_route=settings.metrics_endpoint is None)
    return app


def create_metrics_app(main: web.Application) -> web.Application:
    """The app of the internal listener (`CITIZEN_METRICS_ADDRESS`): /metrics of `main`, and
    /healthz, so a liveness probe still gets through while the public port is at its
    connection cap (a full port is no reason to restart the process)."""

    async def metrics(request: web.Request) -> web.Response:
        return metrics_response(main)

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.on_response_prepare.append(server_header)
    return app


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # Lines are "%(message)s" alone: the caller's file and line (a stack walk per record),
    # thread and process names would be looked up for every request and never printed.
    # These switches are the logging HOWTO's "Optimization" section.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.getLogger("botocore").setLevel(logging.WARNING)  # keep stderr one JSON line per event
    logging.getLogger("aiobotocore").setLevel(logging.WARNING)
