"""Per-client token buckets, and who the client is (trusted-proxy aware)."""

from __future__ import annotations

import ipaddress
import time

from aiohttp import web

MAX_BUCKETS = 100_000  # idle buckets are dropped past this, so memory stays bounded


def client_ip(request: web.BaseRequest, trusted_proxies: tuple[str, ...]) -> str:
    """The peer address, or the right-most untrusted X-Forwarded-For hop when the peer
    is a trusted proxy. Never trust the header from anyone else: it is free to forge."""
    peer = request.remote or "unknown"
    if not trusted_proxies:
        return peer
    networks = [ipaddress.ip_network(c, strict=False) for c in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in networks)

    if not trusted(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop
    return hops[0] if hops else peer


class RateLimiter:
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
