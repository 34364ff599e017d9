"""Typed keys for what the app holds (one place to find every shared object) and for what a
request carries between the middlewares and its handler."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

from service.config import Settings
from service.errors import ServiceError
from service.metrics import Metrics
from service.ratelimit import RateLimiter, TrustedProxies
from service.atlas.live import Rendering
from service.storage import Storage
from service.storage.admission import UploadAdmission

if TYPE_CHECKING:  # for the annotation only: service.idempotency imports this module
    from service.idempotency import Idempotency

SETTINGS = web.AppKey("settings", Settings)
METRICS = web.AppKey("metrics", Metrics)
LIMITER = web.AppKey("limiter", RateLimiter)
PROXIES = web.AppKey("proxies", TrustedProxies)  # who the client is, and the scheme it used
RENDERING = web.AppKey("rendering", Rendering)
STORAGE = web.AppKey("storage", Storage)
UPLOADS = web.AppKey("uploads", UploadAdmission)  # refuses new cards while the store is behind
IDEMPOTENCY: web.AppKey[Idempotency] = web.AppKey("idempotency")
DRAINING = web.AppKey("draining", asyncio.Event)
READINESS = web.AppKey("readiness", dict)  # the last storage check: {"at": monotonic, "problems": [...]}

REQUEST_ID = web.RequestKey("request_id", str)  # set by middleware.observe, named in X-Request-Id and 500s
TIMINGS = web.RequestKey("timings", dict)  # stage -> seconds: the handler fills it, observe logs it
ERROR = web.RequestKey("error", ServiceError)  # what middleware.errors answered, for observe's metrics
