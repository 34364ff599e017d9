"""The server's handle on one render worker: a spawned process (whose main loop is
service/render/worker_main.py), a duplex pipe whose end the event loop watches (no helper
threads), and the shared PNG window. The messages on the pipe: worker_messages.py.

A worker that dies (SIGKILL, OOM kill, segfault) closes its end of the pipe: the loop
sees end-of-file at once, and the render that was on it fails with WorkerDied, so the
pool can retry it elsewhere and start a replacement. Nothing else is affected.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle

from service.recipe import Recipe
from service.render import worker_main
from service.render.png_window import ServerWindow
from service.render.worker_messages import Ready, RenderDone, Rendered, RenderRaised, StartFailed

_SPAWN = multiprocessing.get_context("spawn")  # no fork: the server's loop, threads and sockets stay out
STOP_SECONDS = 5.0  # how long a worker may take to exit after its pipe is closed


class WorkerDied(Exception):
    """The worker process ended while rendering (or before it was ready)."""


class WorkerStartFailed(Exception):
    """The worker could not build its renderer (missing or broken atlas, fonts...)."""


class RenderFailed(Exception):
    """The render raised inside the worker; the worker itself is fine."""


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
        self._waiting: asyncio.Future = self._loop.create_future()  # ready, then each reply
        self._died: WorkerDied | None = None  # set when the pipe reads end-of-file
        self._closed = False
        self._loop.add_reader(self._conn.fileno(), self._on_readable)

    @classmethod
    async def start(cls, initargs: tuple[str, str, str, str, str]) -> WorkerHandle:
        """A worker that has mapped the atlas and loaded its fonts, ready to render."""
        process = cls(initargs)
        try:
            await process._waiting
        except BaseException:
            await process.close()
            raise
        return process

    @property
    def pid(self) -> int:
        return self.process.pid

    async def render(self, recipe: Recipe) -> Rendered:
        """Render one recipe (one at a time per worker). Raises WorkerDied or RenderFailed."""
        if self._died is not None:  # it died while idle
            raise self._died
        self._waiting = self._loop.create_future()
        try:
            self._conn.send_bytes(pickle.dumps(recipe))  # a few hundred bytes into an empty socket: never blocks
        except OSError as exc:  # EPIPE: it died before we saw the end-of-file
            raise WorkerDied(f"render worker {self.pid} is gone ({exc})") from exc
        return await self._waiting

    def _on_readable(self) -> None:
        try:
            message = pickle.loads(self._conn.recv_bytes())  # one small message, written in one piece
        except (EOFError, OSError):
            self._stop_reading()
            self._died = WorkerDied(f"render worker {self.pid} exited")
            self._settle(exception=self._died)
            return
        match message:
            case RenderDone():
                self._settle(message.rendered(self._window.read(message.window_length)))
            case RenderRaised():
                self._settle(exception=RenderFailed(f"render failed in worker {self.pid}: {message.error}\n"
                                                    f"worker traceback:\n{message.traceback}"))
            case Ready():
                self._settle(self)
            case StartFailed():
                self._settle(exception=WorkerStartFailed(message.reason))

    def _settle(self, result=None, *, exception: Exception | None = None) -> None:
        if self._waiting.done():  # nobody waits: a reply after the awaiting slot was cancelled (close)
            return
        if exception is not None:
            self._waiting.set_exception(exception)
        else:
            self._waiting.set_result(result)

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
