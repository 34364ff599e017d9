"""The render worker process: map the atlas and load fonts once, then turn recipes into
PNG bytes. Only a Recipe goes in and only bytes (plus stage timings) come out."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from service.recipe import Recipe

_renderer = None
_fault: tuple[str, str] | None = None  # (mode, name) from Settings.fault_injection; chaos tests only


@dataclass(frozen=True, slots=True)
class Rendered:
    png: bytes
    started: float  # time.time() when the worker picked the job up (queue wait = started - submitted)
    blend: float  # seconds
    text: float
    encode: float


def init_worker(atlas_dir: str, renderer: str, assets_dir: str, fault_injection: str = "") -> None:
    """Process-pool initializer: build this worker's renderer once."""
    global _renderer, _fault
    if fault_injection:
        mode, _, name = fault_injection.partition(":")
        _fault = (mode, name)
    if renderer == "reference":
        from atlas_builder.reference import ReferenceRenderer

        _renderer = ReferenceRenderer(Path(assets_dir))
    else:
        from service.render.atlas import Atlas
        from service.render.compositor import Compositor

        _renderer = Compositor(Atlas(Path(atlas_dir)))


def render(recipe: Recipe) -> Rendered:
    started = time.time()
    if _fault is not None and recipe.name == _fault[1]:
        _inject(_fault[0])
    t0 = time.perf_counter()
    card = _renderer.blend(recipe)
    t1 = time.perf_counter()
    _renderer.draw_text(card, recipe)
    t2 = time.perf_counter()
    png = _renderer.encode(card, recipe.language)
    t3 = time.perf_counter()
    return Rendered(png, started, t1 - t0, t2 - t1, t3 - t2)


def _inject(mode: str) -> None:
    """CITIZEN_FAULT_INJECTION: fail this render the way a bug ("raise") or a crash ("exit") would."""
    if mode == "exit":
        os._exit(70)
    raise RuntimeError("injected fault (CITIZEN_FAULT_INJECTION)")


def worker_pid() -> int:
    return os.getpid()
