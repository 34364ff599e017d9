"""The server's handle on one render worker: a spawned process (whose main loop is
service/render/worker_main.py), a duplex pipe whose end the event loop watches (no helper
threads), and the shared PNG window. The messages on the pipe: worker_messages.py.

Replies come back through plain callbacks, called from the pipe's reader: the pool can
hand the worker its next recipe in the same callback, with no task switch in between.

A worker that dies (SIGKILL, OOM kill, segfault) closes its end of the pipe: the loop
sees end-of-file at once, and the renders that were on it fail with WorkerDied, so the
pool can retry them elsewhere and start a replacement (`on_exit`). Nothing else is
affected.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable

from service.recipe import Recipe
from service.render import worker_main
from service.render.png_window import ServerWindow
from service.render.worker_messages import PIPELINE_DEPTH, Ready, RenderDone, Rendered, RenderRaised, StartFailed

_SPAWN = multiprocessing.get_context("spawn")  # no fork: the server's loop, threads and sockets stay out
STOP_SECONDS = 5.0  # how long a worker may take to exit after its pipe is closed


class WorkerDied(Exception):
    """The worker process ended while rendering (or before it was ready)."""


class NotStarted(WorkerDied):
    """The worker ended before it began this recipe (it waited in the worker's pipeline
    behind the render that was running): not the recipe's fault."""


class WorkerStartFailed(Exception):
    """The worker could not build its renderer (missing or broken atlas, fonts...)."""


class RenderFailed(Exception):
    """The render raised inside the worker; the worker itself is fine."""


Reply = Callable[[Rendered | Exception], None]  # called with a recipe's outcome (WorkerHandle.submit)


class WorkerHandle:
    """One worker process, seen from the server's event loop."""

    def __init__(self, initargs: tuple[str, str, str, str, str]) -> None:
        self._loop = asyncio.get_running_loop()
        self._conn, child_end = _SPAWN.Pipe(duplex=True)
        self._window = ServerWindow()
        self.process = _SPAWN.Process(target=worker_main.serve, args=(child_end, self._window.path, *initargs),
                                      daemon=True, name="citizen-card-render")
        self.process.start()
        child_end.close()  # ours is closed, so the worker's death is an EOF on our end
        self._ready: asyncio.Future = self._loop.create_future()  # settled by Ready or StartFailed
        self._replies: deque[Reply] = deque()  # one per recipe sent and not yet answered, oldest first
        self._died: WorkerDied | None = None  # set when the pipe reads end-of-file
        self._unreachable = False  # a send failed: it died, and its end-of-file is on its way
        self._closed = False
        self.on_exit: Callable[[WorkerHandle], None] | None = None  # called once, after its replies failed
        self._loop.add_reader(self._conn.fileno(), self._on_readable)

    @classmethod
    async def start(cls, initargs: tuple[str, str, str, str, str]) -> WorkerHandle:
        """A worker that has mapped the atlas and loaded its fonts, ready to render."""
        process = cls(initargs)
        try:
            await process._ready
        except BaseException:
            await process.close()
            raise
        return process

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        """False once the loop has seen the worker exit, or a recipe could not be sent to it."""
        return self._died is None and not self._unreachable

    @property
    def outstanding(self) -> int:
        """Recipes sent and not yet answered (at most PIPELINE_DEPTH)."""
        return len(self._replies)

    def submit(self, recipe: Recipe, reply: Reply) -> None:
        """Send a recipe; `reply` is called from the loop with the Rendered, or with RenderFailed
        or WorkerDied, replies in the order of the recipes. Raises NotStarted if the worker
        is already gone (then `reply` is never called)."""
        if not self.alive:
            raise NotStarted(f"render worker {self.pid} is gone")
        if len(self._replies) >= PIPELINE_DEPTH:
            raise RuntimeError(f"render worker {self.pid} already has {PIPELINE_DEPTH} recipes")
        try:
            self._conn.send_bytes(pickle.dumps(recipe))  # a few hundred bytes into a near-empty socket: never blocks
        except OSError as exc:  # EPIPE: it died before the loop read its end-of-file
            self._unreachable = True
            raise NotStarted(f"render worker {self.pid} is gone ({exc})") from exc
        self._replies.append(reply)

    def _on_readable(self) -> None:
        try:
            message = pickle.loads(self._conn.recv_bytes())  # one small message, written in one piece
        except (EOFError, OSError):
            self._exited()
            return
        match message:
            case RenderDone():
                self._replies.popleft()(message.rendered(self._window.read(message.window_offset,
                                                                             message.window_length)))
            case RenderRaised():
                self._replies.popleft()(RenderFailed(f"render failed in worker {self.pid}: {message.error}\n"
                                                     f"worker traceback:\n{message.traceback}"))
            case Ready():
                self._ready.set_result(None)
            case StartFailed():
                self._ready.set_exception(WorkerStartFailed(message.reason))

    def _exited(self) -> None:
        """End-of-file: the recipe the worker was on fails with WorkerDied, any behind it
        with NotStarted (the worker answers in order, and the pipe delivers every answer it
        wrote before the end-of-file)."""
        self._stop_reading()
        self._died = WorkerDied(f"render worker {self.pid} exited")
        if not self._ready.done():
            self._ready.set_exception(self._died)
        if self._replies:
            self._replies.popleft()(self._died)
        while self._replies:
            self._replies.popleft()(NotStarted(f"render worker {self.pid} exited before it began this recipe"))
        if self.on_exit is not None:
            self.on_exit(self)

    def _stop_reading(self) -> None:
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self._conn.fileno())

    async def close(self) -> None:
        """Close the pipe (the worker exits at its next read) and reap the process."""
        self._stop_reading()
        self._conn.close()
        self._window.close()
        await asyncio.to_thread(self.process.join, STOP_SECONDS)
        if self.process.exitcode is None:
            self.process.kill()
            await asyncio.to_thread(self.process.join)
