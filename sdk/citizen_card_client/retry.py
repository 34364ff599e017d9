"""How the client spreads its retries: jittered waits, a retry budget, an adaptive batch window.

A crowd whose requests were shed together must not come back together. Three rules:

- ``retry_delay``: the server's Retry-After plus *full jitter* over a window as long as
  the Retry-After (at least ``backoff``), doubling with each retry, so retries of requests
  shed at the same moment spread over [RA, 2 RA], then [RA, 3 RA], [RA, 5 RA] instead of
  arriving as one wave at RA, and a crowd that is still too large at the second try
  spreads wider at the third. Without a Retry-After: full jitter over an exponential
  backoff (uniform between 0 and ``backoff * 2**attempt``).
- ``RetryBudget``: one per client; retries may be at most ``ratio`` of the calls made plus
  ``per_second`` a second, so a client cannot multiply the load on a service that keeps
  refusing it (the retry budgets of Finagle and gRPC).
- ``Window``: ``issue_many``'s concurrency, additive increase and multiplicative decrease
  (AIMD, like TCP's congestion window): halved when an answer says "later" (429/503, once
  per round trip), grown by one per window of successes back up to the ``concurrency``
  asked for.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["RetryBudget", "Window", "retry_delay"]


def retry_delay(attempt: int, retry_after: float | None, *, backoff: float, cap: float,
                rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0)."""
    uniform = (rng or random).uniform
    if retry_after is None:
        return uniform(0.0, min(backoff * 2**attempt, cap))
    wait = min(retry_after, cap)
    return min(wait + uniform(0.0, max(wait, backoff) * 2**attempt), cap)


class RetryBudget:
    """Retries allowed to one client: ``ratio`` per call made, plus ``per_second`` a second,
    saved up for at most ``per_second * window`` retries (a token bucket; it starts full).

    A retry that the budget refuses is not made: the call fails at once with the error it
    got (``error.retry_denied`` is true). The defaults let a client retry every failure of
    an occasional call (up to 100 in a row) but no more than 20% of its calls plus 10 a
    second when a service refuses most of them.
    """

    def __init__(self, ratio: float = 0.2, per_second: float = 10.0, window: float = 10.0) -> None:
        if ratio < 0 or per_second < 0 or window <= 0:
            raise ValueError("ratio and per_second must not be negative; window must be positive")
        self.ratio = ratio
        self.per_second = per_second
        self.capacity = max(1.0, per_second * window)
        self._tokens = self.capacity
        self._at = time.monotonic()

    @classmethod
    def unlimited(cls) -> RetryBudget:
        """A budget that never refuses a retry (only ``retries`` bounds them)."""
        return cls(ratio=0.0, per_second=float("inf"))

    @property
    def tokens(self) -> float:
        """Retries available right now."""
        if self.capacity == float("inf"):
            return self.capacity
        now = time.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.per_second)
        self._at = now
        return self._tokens

    def called(self) -> None:
        """A call (its first attempt) was made: it earns ``ratio`` of a retry."""
        self._tokens = min(self.capacity, self.tokens + self.ratio)

    def spend(self) -> bool:
        """Take one retry from the budget; False if none is left."""
        if self.tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True


class Window:
    """How many requests of a batch may be in flight: AIMD between 1 and ``ceiling``."""

    def __init__(self, ceiling: int) -> None:
        if ceiling < 1:
            raise ValueError("concurrency must be at least 1")
        self.ceiling = ceiling
        self.size = float(ceiling)
        self.in_flight = 0
        self.lowest = ceiling  # the smallest the window became (for tests and curious callers)
        self._cut_at = float("-inf")  # when the window was last halved
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold one place in the window for one HTTP attempt; yields when it was sent."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < int(self.size))
            self.in_flight += 1
        try:
            yield time.monotonic()
        finally:
            async with self._changed:
                self.in_flight -= 1
                self._changed.notify(max(1, int(self.size) - self.in_flight))

    def refused(self, sent_at: float) -> None:
        """An attempt sent at ``sent_at`` was answered 429/503: halve the window, once for
        all the attempts that were already in flight when it was last halved."""
        if sent_at >= self._cut_at:
            self.size = max(1.0, self.size / 2)
            self.lowest = min(self.lowest, int(self.size))
            self._cut_at = time.monotonic()

    async def succeeded(self) -> None:
        """An attempt succeeded: grow by 1/size (one place per window of successes)."""
        before = int(self.size)
        self.size = min(float(self.ceiling), self.size + 1.0 / self.size)
        if int(self.size) > before:
            async with self._changed:
                self._changed.notify(int(self.size) - self.in_flight)
