"""The render pool: worker processes fed from one queue, behind an admission bound.

A job goes to an idle worker if there is one (the one that went idle last), else to a
busy worker with room in its pipeline (PIPELINE_DEPTH recipes: the one it renders and the
next), else into the queue. Whenever a worker answers, in the same callback, it is handed
the next queued job, so a busy worker never waits for the loop between renders. The event
loop reads the workers' pipes itself, so a render costs the server two small pipe
messages and one copy of the PNG out of shared memory (no executor threads, no tasks per
worker, no pickled images).

A worker that dies (OOM kill, segfault, SIGKILL) fails only the renders it held: the one
it was running is retried once, the one waiting behind it is sent again without counting
that against it (the request sees nothing either way), and a fresh worker replaces it
while the other workers carry on. A render that raises in the worker fails only its own
request (a logged 500). Admission: service/render/admission.py.
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
from service.render.worker_handle import NotStarted, WorkerDied, WorkerHandle, WorkerStartFailed
from service.render.worker_messages import PIPELINE_DEPTH, Rendered

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
        self._pending: deque[_Job] = deque()  # jobs no worker has taken yet, oldest first
        self._processes: list[WorkerHandle | None] = [None] * workers  # by slot; None while replaced
        self._idle: dict[WorkerHandle, float] = {}  # workers with nothing to do -> since when, in that order
        self._answered: dict[WorkerHandle, float] = {}  # when each worker last answered
        self._replacing: set[asyncio.Task] = set()
        self._drained: asyncio.Future | None = None  # close() waits on it
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
        for slot, process in enumerate(started):
            self._enlist(slot, process)
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
            attempt = 1
            while attempt <= 2:
                job = _Job(recipe, asyncio.get_running_loop().create_future())
                self._submit(job)
                try:
                    return await job.future, job.submitted
                except NotStarted as exc:  # sent again, not counted: another render killed its worker
                    log.warning("render worker died before this render began: %s", exc)
                except WorkerDied as exc:
                    log.error("render worker died (attempt %d): %s", attempt, exc)
                    attempt += 1
            raise Unavailable("A render worker failed twice for this request; please retry.", code="render_failed",
                              retry_after=1)
        finally:
            self.in_flight -= 1

    def _submit(self, job: _Job) -> None:
        """Hand a job to a worker with room for it (`_free_worker`), or queue it."""
        process = self._free_worker()
        if process is None:
            if self._closing and not self.pids:  # the last worker died while closing: none will come
                job.future.set_exception(Unavailable("The service is shutting down; please retry.", retry_after=1))
            else:
                self._pending.append(job)
            return
        self._dispatch(process, job)

    def _free_worker(self) -> WorkerHandle | None:
        """The worker that went idle last, if any is idle (at low rates one worker takes every
        render, with its caches warm, while the other sleeps: worker CPU per card at 25-100/s
        6-12% lower than first-idle-first-out, measured in the same hour; docs/BENCHMARKS.md);
        else the busy worker with the fewest recipes on it, if it has room for one more."""
        if self._idle:
            return next(reversed(self._idle))
        busy = [p for p in self._processes if p is not None and p.alive and p.outstanding < PIPELINE_DEPTH]
        return min(busy, key=lambda p: p.outstanding, default=None)

    def _dispatch(self, process: WorkerHandle, job: _Job) -> None:
        taken = time.monotonic()
        idle_since = self._idle.pop(process, None)
        if idle_since is not None:
            self.admission.worker_waited(taken - idle_since)
        self.admission.waited(taken - job.queued)
        try:
            process.submit(job.recipe, lambda outcome: self._answered_job(process, job, taken, outcome))
        except NotStarted as exc:  # gone before the loop read its end-of-file: sent again, not counted
            job.future.set_exception(exc)

    def _answered_job(self, process: WorkerHandle, job: _Job, taken: float, outcome: Rendered | Exception) -> None:
        """A worker's answer to a job (from its pipe's reader): settle the job, refill the worker."""
        now = time.monotonic()
        if isinstance(outcome, Rendered):
            # The worker's time on this render: from when it was sent, or, if it waited in the
            # pipeline, from the answer before it. Less what the answer may have waited for a
            # stalled loop (reading a burst): the lag term counts that stall once, and one
            # stalled sample would otherwise take the average from 5 to 15 ms and shed the
            # rest of a burst that fits (issue 17).
            began = max(taken, self._answered.get(process, taken))
            stalled = max(0.0, now - self._tick_due)
            self.admission.served(max(outcome.busy_seconds, now - began - stalled))
            if not job.future.done():
                job.future.set_result(outcome)
        elif not job.future.done():  # RenderFailed, WorkerDied: the request decides what to do
            job.future.set_exception(outcome)
        self._answered[process] = now
        if process.alive:
            self._refill(process, now)

    def _refill(self, process: WorkerHandle, now: float) -> None:
        """Give a worker queued jobs up to its pipeline's depth; note it idle if none are left.
        A send that fails (the worker died since its answer) leaves it unreachable: no more."""
        while self._pending and process.alive and process.outstanding < PIPELINE_DEPTH:
            job = self._pending.popleft()
            if not job.future.done():  # else its request gave up (timeout) while it queued
                self._dispatch(process, job)
        if process.alive and process.outstanding == 0:
            self._idle[process] = now
            self._note_drained()

    def _enlist(self, slot: int, process: WorkerHandle) -> None:
        self._processes[slot] = process
        process.on_exit = lambda gone: self._exited(slot, gone)
        self._refill(process, time.monotonic())

    def _exited(self, slot: int, process: WorkerHandle) -> None:
        """A worker's pipe read end-of-file (its renders have failed with WorkerDied and retry)."""
        self._processes[slot] = None
        self._idle.pop(process, None)
        self._answered.pop(process, None)
        task = asyncio.create_task(self._replace(slot, process), name=f"render-slot-{slot}-replacement")
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, slot: int, dead: WorkerHandle) -> None:
        """Reap a dead worker and start a fresh one in its slot (none for a pool that is
        closing: the others take the queue)."""
        await dead.close()
        if self._closing:
            self._fail_pending_if_orphaned()
            return
        process = await self._replacement(slot)
        self.replacements += 1
        self._on_replace()
        log_json(log, logging.INFO, {"event": "worker_replaced", "slot": slot, "pid": process.pid})
        self._enlist(slot, process)

    async def _replacement(self, slot: int) -> WorkerHandle:
        """A fresh worker for a slot whose worker died; keeps trying (with a logged error each
        time) if it cannot start, e.g. while its atlas version is being removed."""
        for attempt in itertools.count(1):
            try:
                return await WorkerHandle.start(self._initargs)
            except (WorkerStartFailed, WorkerDied) as exc:
                delay = RESTART_BACKOFF_SECONDS[min(attempt, len(RESTART_BACKOFF_SECONDS)) - 1]
                log.error("replacement render worker for slot %d failed to start (%s); retrying in %.1f s",
                          slot, exc, delay)
                await asyncio.sleep(delay)

    def _fail_pending_if_orphaned(self) -> None:
        if not self.pids:
            while self._pending:
                job = self._pending.popleft()
                if not job.future.done():
                    job.future.set_exception(Unavailable("The service is shutting down; please retry.",
                                                         retry_after=1))
            self._note_drained()

    def _note_drained(self) -> None:
        """Wake close() once nothing is queued and no worker holds a recipe."""
        if (self._drained is not None and not self._drained.done() and not self._pending
                and all(p.outstanding == 0 for p in self._processes if p is not None)):
            self._drained.set_result(None)

    async def _watch_lag(self) -> None:
        """Sample how late the loop runs a timer (time.monotonic: uvloop's own clock stands
        still within a loop iteration, which is exactly the delay to see)."""
        while True:
            self._tick_due = time.monotonic() + LAG_PERIOD_SECONDS
            await asyncio.sleep(LAG_PERIOD_SECONDS)
            self.admission.lagged(time.monotonic() - self._tick_due)

    async def close(self) -> None:
        """Finish every render already queued, then stop the workers."""
        self._closing = True
        if self._lag_watch is not None:
            self._lag_watch.cancel()
        self._drained = asyncio.get_running_loop().create_future()
        self._fail_pending_if_orphaned()
        self._note_drained()
        await self._drained
        for task in list(self._replacing):
            task.cancel()  # still starting a replacement, which may never come up
        await asyncio.gather(*self._replacing, return_exceptions=True)
        processes, self._processes = [p for p in self._processes if p is not None], [None] * self.workers
        await asyncio.gather(*(p.close() for p in processes))
