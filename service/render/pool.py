"""The render pool: worker processes fed from one queue, behind an admission bound.

Each worker slot is a task that takes the next job from the queue, hands it to its
worker process and settles the job's future with the result. The event loop reads the
workers' pipes itself, so a render costs the server two small pipe messages and one copy
of the PNG out of shared memory (no executor threads, no pickled images).

A worker that dies (OOM kill, segfault, SIGKILL) fails only the render it was running:
that render is retried once (the request sees nothing), and the slot starts a fresh
worker while the other workers carry on. A render that raises in the worker fails only
its own request (a logged 500). Admission: service/render/admission.py.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from service.errors import Unavailable
from service.json_log import log_json
from service.recipe import Recipe
from service.render.admission import Admission
from service.render.worker_handle import WorkerDied, WorkerHandle, WorkerStartFailed
from service.render.worker_messages import Rendered

log = logging.getLogger("citizen_card.pool")

RESTART_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0)  # between failed starts of a replacement worker
LAG_PERIOD_SECONDS = 0.02  # how often the loop's lag is sampled for admission (50 cheap wake-ups a second)


class Overloaded(Unavailable):
    """The renders already admitted would not finish within the latency budget; retry after
    they have drained (Retry-After)."""

    code = "overloaded"


@dataclass(eq=False)
class _Job:
    recipe: Recipe
    future: asyncio.Future
    submitted: float = field(default_factory=time.time)  # for the queue-wait timing in the log line
    queued: float = field(default_factory=time.monotonic)


class RenderPool:
    def __init__(self, atlas_dir: str, *, workers: int, latency_budget: float, renderer: str = "fast",
                 assets_dir: str = "assets", fault_injection: str = "", variants: tuple[str, ...] = (),
                 on_replace: Callable[[], None] = lambda: None) -> None:
        self.workers = workers
        self.admission = Admission(workers, latency_budget)
        self.in_flight = 0  # admitted renders not yet answered (queued or on a worker)
        self.shed = 0
        self.replacements = 0
        self._on_replace = on_replace  # e.g. a metrics counter
        self._initargs = (str(atlas_dir), renderer, str(assets_dir), fault_injection, ",".join(variants))
        self._pending: deque[_Job | None] = deque()  # jobs no worker has taken yet, oldest first
        self._idle: list[asyncio.Future] = []  # slots waiting for a job, the most recently idle last
        self._processes: list[WorkerHandle | None] = [None] * workers
        self._slots: list[asyncio.Task] = []
        self._lag_watch: asyncio.Task | None = None
        self._tick_due = float("inf")  # when the lag timer should fire next (not before start)
        self._closing = False

    @property
    def queue_depth(self) -> int:
        """Renders waiting for a worker."""
        return len(self._pending)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p is not None]

    async def start(self) -> None:
        """Start every worker (map the atlas, load fonts) before taking requests; raises
        WorkerStartFailed, with the worker's reason, if one cannot."""
        started = await asyncio.gather(*(WorkerHandle.start(self._initargs) for _ in range(self.workers)),
                                       return_exceptions=True)
        failures = [s for s in started if isinstance(s, BaseException)]
        if failures:
            await asyncio.gather(*(s.close() for s in started if isinstance(s, WorkerHandle)))
            raise failures[0]
        self._processes = list(started)
        self._slots = [asyncio.create_task(self._serve(i), name=f"render-slot-{i}") for i in range(self.workers)]
        self._lag_watch = asyncio.create_task(self._watch_lag(), name="render-pool-lag")

    def admit(self) -> None:
        """Raise Overloaded (503 at once, Retry-After: the predicted drain time) if one more
        render would not finish within the latency budget."""
        if not self.admission.admits(self.in_flight, overdue=time.monotonic() - self._tick_due):
            self.shed += 1
            raise Overloaded("The service is at capacity; please retry in a moment.",
                             retry_after=self.admission.drain_seconds(self.in_flight))

    async def render(self, recipe: Recipe) -> tuple[Rendered, float]:
        """PNG bytes and stage timings for a recipe, plus the submit time (time.time())."""
        self.admit()
        self.in_flight += 1
        self.admission.joined()
        try:
            for attempt in (1, 2):
                job = _Job(recipe, asyncio.get_running_loop().create_future())
                self._submit(job)
                try:
                    return await job.future, job.submitted
                except WorkerDied as exc:
                    log.error("render worker died (attempt %d): %s", attempt, exc)
            raise Unavailable("A render worker failed twice for this request; please retry.", code="render_failed",
                              retry_after=1)
        finally:
            self.in_flight -= 1

    def _submit(self, job: _Job | None) -> None:
        """Hand a job to the worker that went idle last, or queue it. Last-in-first-out idle
        workers: at low rates one worker takes every render, with its caches warm, while the
        other sleeps (worker CPU per card at 25-100/s 6-12% lower than first-idle-first-out,
        measured in the same hour; docs/BENCHMARKS.md)."""
        while self._idle:
            waiter = self._idle.pop()
            if not waiter.done():  # a slot cancelled while it waited (close)
                waiter.set_result(job)
                return
        self._pending.append(job)

    async def _next_job(self) -> _Job | None:
        if self._pending:
            return self._pending.popleft()
        waiter = asyncio.get_running_loop().create_future()
        self._idle.append(waiter)
        return await waiter

    async def _serve(self, slot: int) -> None:
        """One worker slot: feed its process jobs until close(); replace it if it dies."""
        process = self._processes[slot]
        while True:
            if process is None:
                if self._closing:
                    return  # no new worker for a pool that is closing; the others take the queue
                process = self._processes[slot] = await self._replacement(slot)
            idle_from = None if self._pending else time.monotonic()
            job = await self._next_job()
            if idle_from is not None:
                self.admission.worker_waited(time.monotonic() - idle_from)
            if job is None:  # close(): every job queued before it is done
                await process.close()
                self._processes[slot] = None
                return
            if job.future.done():  # its request gave up (timeout) while it queued
                continue
            taken = time.monotonic()
            self.admission.waited(taken - job.queued)
            try:
                result = await process.render(job.recipe)
            except Exception as exc:  # WorkerDied, RenderFailed: the request decides what to do
                if not job.future.done():
                    job.future.set_exception(exc)
                if isinstance(exc, WorkerDied):
                    await process.close()
                    process = self._processes[slot] = None
                continue
            # The slot's time, less what the answer may have waited for a stalled loop (reading a
            # burst): the lag term counts that stall once, and one stalled sample would otherwise
            # take the average from 5 to 15 ms and shed the rest of a burst that fits (issue 17).
            now = time.monotonic()
            stalled = max(0.0, now - self._tick_due)
            self.admission.served(max(result.busy_seconds, now - taken - stalled))
            if not job.future.done():
                job.future.set_result(result)

    async def _watch_lag(self) -> None:
        """Sample how late the loop runs a timer (time.monotonic: uvloop's own clock stands
        still within a loop iteration, which is exactly the delay to see)."""
        while True:
            self._tick_due = time.monotonic() + LAG_PERIOD_SECONDS
            await asyncio.sleep(LAG_PERIOD_SECONDS)
            self.admission.lagged(time.monotonic() - self._tick_due)

    async def _replacement(self, slot: int) -> WorkerHandle:
        """A fresh worker for a slot whose worker died; keeps trying (with a logged error each
        time) if it cannot start, e.g. while its atlas version is being removed."""
        for attempt in itertools.count(1):
            try:
                process = await WorkerHandle.start(self._initargs)
            except (WorkerStartFailed, WorkerDied) as exc:
                delay = RESTART_BACKOFF_SECONDS[min(attempt, len(RESTART_BACKOFF_SECONDS)) - 1]
                log.error("replacement render worker for slot %d failed to start (%s); retrying in %.1f s",
                          slot, exc, delay)
                await asyncio.sleep(delay)
                continue
            self.replacements += 1
            self._on_replace()
            log_json(log, logging.INFO, {"event": "worker_replaced", "slot": slot, "pid": process.pid})
            return process

    async def close(self) -> None:
        """Finish every render already queued, then stop the workers."""
        self._closing = True
        if self._lag_watch is not None:
            self._lag_watch.cancel()
        for slot, task in enumerate(self._slots):
            self._submit(None)
            if self._processes[slot] is None:
                task.cancel()  # still starting a replacement, which may never come up
        await asyncio.gather(*self._slots, return_exceptions=True)
