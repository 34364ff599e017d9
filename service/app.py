"""create_app(settings): routes, typed state, set-up/tear-down pairs, the middlewares."""

from __future__ import annotations

import asyncio
import logging
import sys

from aiohttp import web

from service import keys
from service.atlas.catalog import load_atlas_info
from service.atlas.live import Rendering, new_pool
from service.config import Settings
from service.connections import SERVER_NAME
from service.cors import cors_middleware
from service.errors import ServiceError
from service.idempotency import idempotency_ctx
from service.json_log import log_json
from service.metrics import Metrics
from service.middleware import deadline, errors, observe
from service.ratelimit import RateLimiter, TrustedProxies
from service.routes import healthz, metrics_response, setup_routes
from service.storage import create_storage
from service.storage.admission import UploadAdmission

log = logging.getLogger("citizen_card")

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
    log_json(log, logging.INFO, {"event": "pool_closed", "replacements": rendering.pool.replacements})


async def storage_ctx(app: web.Application):
    storage = create_storage(app[keys.SETTINGS])
    app[keys.STORAGE] = storage
    try:
        await storage.check()  # also opens the client now rather than on the first card
    except ServiceError as exc:
        log_json(log, logging.WARNING, {"event": "storage_not_ready_at_start", "reason": exc.message})
    yield
    await storage.close()
    log_json(log, logging.INFO, {"event": "storage_closed", "backend": type(storage).__name__})


async def server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = SERVER_NAME  # aiohttp's default names its version


def create_app(settings: Settings) -> web.Application:
    # CORS outside the error middleware, so error answers carry the CORS headers too.
    app = web.Application(middlewares=[cors_middleware(settings.cors_origins), observe, errors, deadline],
                          client_max_size=settings.max_body_bytes)
    app[keys.SETTINGS] = settings
    metrics = app[keys.METRICS] = Metrics()
    app[keys.LIMITER] = RateLimiter(settings.rate_limit, settings.rate_burst)
    app[keys.PROXIES] = TrustedProxies(settings.trusted_proxies, on_untrusted_forward=metrics.untrusted_forwarded.inc)
    app[keys.DRAINING] = asyncio.Event()
    app[keys.READINESS] = {}
    app[keys.UPLOADS] = UploadAdmission(settings.latency_budget, retry_after=settings.storage_deadline)
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
