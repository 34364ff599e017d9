"""Who the client is (trusted-proxy aware), and per-client token buckets.

Two buckets per client (SPEC §8, issue 17 item 5): every POST spends from a *request*
bucket REQUEST_FACTOR times larger than the configured rate, which bounds what cheap
refusals (415, 413, 400, 422) and replays cost us; only a request that is about to render
spends from the *render* bucket (`CITIZEN_RATE_LIMIT` / `CITIZEN_RATE_BURST`). A client's
typo or an idempotent retry does not use up its cards.

These buckets live in one process: with N pods behind a load balancer a client gets up
to N times the configured rate. The shared limit belongs in front (deploy/README.md,
"Rate limits").
"""

from __future__ import annotations

import ipaddress
import logging
import time

from aiohttp import web

from service.json_log import log_json
from service.errors import RateLimited

log = logging.getLogger("citizen_card")

MAX_BUCKETS = 100_000  # idle buckets are dropped past this, so memory stays bounded
REQUEST_FACTOR = 5  # the request bucket's rate and burst, as multiples of the render bucket's


class TrustedProxies:
    """The proxies whose X-Forwarded-For / X-Forwarded-Proto we believe (`CITIZEN_TRUSTED_PROXIES`).

    `on_untrusted_forward` is called for every request that carries X-Forwarded-For from a
    peer we do not trust: either a forgery, or a proxy missing from the setting (then every
    user shares the proxy's bucket). The first one is also logged, once per process.
    """

    def __init__(self, cidrs: tuple[str, ...], on_untrusted_forward=None) -> None:
        self.networks = [ipaddress.ip_network(c, strict=False) for c in cidrs]
        self.on_untrusted_forward = on_untrusted_forward
        self._warned = False

    def trusts(self, address: str | None) -> bool:
        if not self.networks or not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def client_ip(self, request: web.BaseRequest) -> str:
        """The peer address, or the right-most untrusted X-Forwarded-For hop when the peer
        is a trusted proxy. Never trust the header from anyone else: it is free to forge."""
        peer = request.remote or "unknown"
        forwarded = request.headers.get("X-Forwarded-For")
        if not self.trusts(peer):
            if forwarded is not None:
                self._untrusted_forward(peer)
            return peer
        hops = [h.strip() for h in (forwarded or "").split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer

    def scheme(self, request: web.BaseRequest) -> str:
        """http or https as the client used it: X-Forwarded-Proto from a trusted proxy, else ours."""
        if self.trusts(request.remote):
            proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                return proto
        return request.scheme

    def _untrusted_forward(self, peer: str) -> None:
        if self.on_untrusted_forward is not None:
            self.on_untrusted_forward()
        if not self._warned:
            self._warned = True
            log_json(log, logging.WARNING, {
                "event": "untrusted_x_forwarded_for", "peer": peer,
                "message": "X-Forwarded-For from a peer not in CITIZEN_TRUSTED_PROXIES is ignored: if this peer is "
                           "your proxy, every client behind it shares one rate-limit bucket. Logged once; counted "
                           "in citizen_untrusted_forwarded_total."})


class TokenBucket:
    """Token bucket per key: `rate` tokens per second, at most `burst` saved up."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str) -> float:
        """0 if the request may go ahead, else seconds until a token is available."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._remember(key, (tokens - 1, now))
            return 0.0
        self._remember(key, (tokens, now))
        return (1 - tokens) / self.rate

    def _remember(self, key: str, state: tuple[float, float]) -> None:
        if len(self._buckets) >= MAX_BUCKETS and key not in self._buckets:
            cutoff = time.monotonic() - self.burst / self.rate
            self._buckets = {k: v for k, v in self._buckets.items() if v[1] > cutoff}
        self._buckets[key] = state


class RateLimiter:
    """The two buckets of every client: `request` (any POST) and `render` (a card about to be drawn)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.render = TokenBucket(rate, burst)
        self.request = TokenBucket(rate * REQUEST_FACTOR, max(1, burst) * REQUEST_FACTOR)

    def admit_request(self, client: str) -> None:
        """Spend one of the client's request tokens (any POST), or raise RateLimited."""
        wait = self.request.acquire(client)
        if wait:
            raise RateLimited("Too many requests from this address; please slow down.", retry_after=wait)

    def admit_render(self, client: str) -> None:
        """Spend one of the client's render tokens (a card about to be drawn: replays and
        refusals spend none), or raise RateLimited."""
        wait = self.render.acquire(client)
        if wait:
            raise RateLimited("Too many cards from this address; please slow down.", retry_after=wait)
