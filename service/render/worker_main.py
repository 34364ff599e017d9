"""Inside a render worker process: map the atlas and load fonts once, then turn recipes
into PNGs, one at a time in the order they come, for as long as the server holds its end
of the pipe.

`serve` is the process's main loop; the messages it exchanges with the server are in
service/render/worker_messages.py, the server's side in service/render/worker_handle.py.
"""

from __future__ import annotations

import os
import pickle
import signal
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from service.recipe import Recipe
from service.render.png_window import WorkerWindow
from service.render.worker_messages import Ready, RenderDone, Rendered, RenderRaised, StartFailed


class Renderer:
    """One worker's renderer (fast compositor or the reference), plus the chaos-test hook."""

    def __init__(self, atlas_dir: str, renderer: str, assets_dir: str, fault_injection: str = "",
                 variants: str = "") -> None:
        mode, _, name = fault_injection.partition(":")
        self._fault = (mode, name) if fault_injection else None  # Settings.fault_injection; chaos tests only
        if renderer == "reference":
            from service.render.reference import ReferenceRenderer

            self._impl = ReferenceRenderer(Path(assets_dir))
        else:
            from service.atlas.pages import Atlas
            from service.render.compositor import Compositor

            self._impl = Compositor(Atlas(Path(atlas_dir)))
        self._variants = None
        if variants:
            from service.render.variants import VariantMaker

            self._variants = VariantMaker(variants)

    def render(self, recipe: Recipe) -> Rendered:
        started = time.time()
        if self._fault is not None and recipe.name == self._fault[1]:
            _inject(self._fault[0])
        t0 = time.perf_counter()
        card = self._impl.blend(recipe)
        t1 = time.perf_counter()
        self._impl.draw_text(card, recipe)
        t2 = time.perf_counter()
        png = self._impl.encode(card, recipe.language)
        t3 = time.perf_counter()
        if self._variants is None:
            return Rendered(png, started, t1 - t0, t2 - t1, t3 - t2)
        made, seconds = self._variants.make(self._impl.whole(card, recipe.language))
        return Rendered(png, started, t1 - t0, t2 - t1, t3 - t2, tuple(made), seconds)


def serve(conn: Connection, window_path: str, atlas_dir: str, renderer: str, assets_dir: str,
          fault_injection: str, variants: str = "") -> None:
    """The worker's main loop (the target of its Process)."""
    # Ctrl-C in a terminal reaches the whole process group: the server decides when we stop
    # (it closes the pipe), so a drain is not cut short under it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A CPU-bound batch job: without this, the server's write of the next recipe wakes us
    # on the server's CPU and we preempt the server there for a whole render (its event loop
    # stalled ~1 ms at the median, measured). SCHED_BATCH tasks do not preempt on wakeup.
    os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    try:
        renderer = Renderer(atlas_dir, renderer, assets_dir, fault_injection, variants)
        window = WorkerWindow(window_path)
    except Exception as exc:
        conn.send_bytes(pickle.dumps(StartFailed(f"{type(exc).__name__}: {exc}")))
        return
    conn.send_bytes(pickle.dumps(Ready(os.getpid())))
    while True:
        try:
            recipe = pickle.loads(conn.recv_bytes())
        except EOFError:
            return  # the server closed the pipe (shutdown, retirement) or died
        try:
            rendered = renderer.render(recipe)
            reply: RenderDone | RenderRaised = RenderDone.of(rendered, window.write(rendered.window_bytes()))
        except Exception as exc:
            reply = RenderRaised(f"{type(exc).__name__}: {exc}", traceback.format_exc())
        conn.send_bytes(pickle.dumps(reply))


def _inject(mode: str) -> None:
    """CITIZEN_FAULT_INJECTION: fail this render the way a bug ("raise") or a crash ("exit") would."""
    if mode == "exit":
        os._exit(70)
    raise RuntimeError("injected fault (CITIZEN_FAULT_INJECTION)")
