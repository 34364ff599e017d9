"""The render pool: a ProcessPoolExecutor behind a bounded admission gate.

At most `workers * (1 + queue_per_worker)` renders are admitted at once; past that a
request is shed with 503 at once instead of queueing without bound. That bound is for
bursts: once requests are being shed and the queue has not emptied for STANDING_SECONDS,
it is overload, not a burst, and while that queue stands only one render per worker may
wait (CoDel's idea: a standing queue only adds latency). So independent clients' bursts
are absorbed, while under sustained overload an accepted request waits for at most one
render ahead of it (docs/RELIABILITY.md). Load that never reaches the bound (e.g. a few
clients in a closed loop) is never cut.

A pool broken by a dead worker (OOM kill, segfault) is replaced and the affected render
retried once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from service.errors import Unavailable
from service.recipe import Recipe
from service.render import worker

log = logging.getLogger("citizen_card.pool")

STANDING_SECONDS = 0.05  # a queue that has been non-empty this long is a standing queue...
IDLE_SECONDS = 0.01  # ...until it has been empty this long (refilled at once: it still stands)
STANDING_QUEUE_PER_WORKER = 1  # renders that may wait per worker while a queue stands


class Overloaded(Unavailable):
    """Every worker is busy and the admission queue is full; retry in a moment."""

    code = "overloaded"


class RenderPool:
    def __init__(self, atlas_dir: str, *, workers: int, queue_per_worker: int, renderer: str = "fast",
                 assets_dir: str = "assets", fault_injection: str = "",
                 on_replace: Callable[[], None] = lambda: None) -> None:
        self.workers = workers
        self.burst_limit = workers * (1 + queue_per_worker)
        self.standing_limit = min(self.burst_limit, workers * (1 + STANDING_QUEUE_PER_WORKER))
        self._queued_since: float | None = None  # time.monotonic() when the current queue formed
        self._idle_since: float | None = None  # ... and when it last emptied, if it is empty
        self._shedding = False  # requests were shed while the current queue stood
        self.in_flight = 0
        self.shed = 0
        self.replacements = 0
        self._on_replace = on_replace  # e.g. a metrics counter
        self._initargs = (str(atlas_dir), renderer, str(assets_dir), fault_injection)
        self._executor = self._new_executor()
        self._generation = 0

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=worker.init_worker, initargs=self._initargs)

    @property
    def queue_depth(self) -> int:
        """Admitted renders not yet on a worker (approximately: in flight beyond the workers)."""
        return max(0, self.in_flight - self.workers)

    async def start(self) -> None:
        """Start every worker now (map the atlas, load fonts) rather than on first use."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._executor, worker.worker_pid)
                               for _ in range(self.workers)))

    @property
    def limit(self) -> int:
        """How many renders may be admitted now (module docstring)."""
        now = time.monotonic()
        if self._queued_since is None or (self._idle_since is not None and now - self._idle_since >= IDLE_SECONDS):
            return self.burst_limit  # no queue, or it emptied for a while: a burst may queue
        if self._shedding and now - self._queued_since >= STANDING_SECONDS:
            return self.standing_limit
        return self.burst_limit

    def _track(self) -> None:
        """Note when a queue forms and when it empties (in_flight beyond the workers wait)."""
        now = time.monotonic()
        if self.in_flight <= self.workers:
            if self._idle_since is None:
                self._idle_since = now
        else:
            if self._queued_since is None or (self._idle_since is not None
                                              and now - self._idle_since >= IDLE_SECONDS):
                self._queued_since, self._shedding = now, False  # a new queue, after a real pause
            self._idle_since = None

    def admit(self) -> None:
        """Raise Overloaded (503 at once) if the admission queue is full."""
        if self.in_flight >= self.limit:
            self.shed += 1
            self._shedding = self._queued_since is not None
            raise Overloaded("The service is at capacity; please retry in a moment.", retry_after=1)

    async def render(self, recipe: Recipe) -> tuple[worker.Rendered, float]:
        """PNG bytes and stage timings for a recipe, plus the submit time (time.time())."""
        self.admit()
        self.in_flight += 1
        self._track()
        try:
            return await self._render_retrying(recipe)
        finally:
            self.in_flight -= 1
            self._track()

    async def _render_retrying(self, recipe: Recipe) -> tuple[worker.Rendered, float]:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            generation, executor = self._generation, self._executor
            submitted = time.time()
            try:
                return await loop.run_in_executor(executor, worker.render, recipe), submitted
            except BrokenProcessPool:
                log.error("render worker died (attempt %d); replacing the pool", attempt)
                self._replace(generation)
        raise Unavailable("A render worker failed twice for this request; please retry.", code="render_failed",
                          retry_after=1)

    def _replace(self, generation: int) -> None:
        if generation != self._generation:
            return  # another request already replaced this broken pool
        broken = self._executor
        self._executor = self._new_executor()
        self._generation += 1
        self.replacements += 1
        self._on_replace()
        broken.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        executor = self._executor
        await asyncio.get_running_loop().run_in_executor(None, lambda: executor.shutdown(wait=True))
