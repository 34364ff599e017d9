"""Typed keys for what the app holds: one place to find every shared object."""

from __future__ import annotations

import asyncio

import diskcache
from aiohttp import web

from service.atlas_state import AtlasInfo
from service.config import Settings
from service.metrics import Metrics
from service.ratelimit import RateLimiter
from service.render.pool import RenderPool
from service.storage import Storage

SETTINGS = web.AppKey("settings", Settings)
METRICS = web.AppKey("metrics", Metrics)
LIMITER = web.AppKey("limiter", RateLimiter)
ATLAS = web.AppKey("atlas", AtlasInfo)
POOL = web.AppKey("pool", RenderPool)
STORAGE = web.AppKey("storage", Storage)
IDEMPOTENCY = web.AppKey("idempotency", diskcache.Cache)
DRAINING = web.AppKey("draining", asyncio.Event)
