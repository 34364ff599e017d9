"""Typed keys for what the app holds: one place to find every shared object."""

from __future__ import annotations

import asyncio

import diskcache
from aiohttp import web

from service.config import Settings
from service.metrics import Metrics
from service.ratelimit import RateLimiter, TrustedProxies
from service.atlas.live import Rendering
from service.storage import Storage

SETTINGS = web.AppKey("settings", Settings)
METRICS = web.AppKey("metrics", Metrics)
LIMITER = web.AppKey("limiter", RateLimiter)
PROXIES = web.AppKey("proxies", TrustedProxies)  # who the client is, and the scheme it used
RENDERING = web.AppKey("rendering", Rendering)
STORAGE = web.AppKey("storage", Storage)
IDEMPOTENCY = web.AppKey("idempotency", diskcache.Cache)
DRAINING = web.AppKey("draining", asyncio.Event)
READINESS = web.AppKey("readiness", dict)  # the last storage check: {"at": monotonic, "problems": [...]}
MINTING = web.AppKey("minting", dict)  # card id -> Future, for idempotent requests in flight
