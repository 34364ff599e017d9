"""What renders cards right now: an atlas version and the pool whose workers map it.

Both are swapped together on a hot reload, so a recipe made from one atlas version is
always rendered by workers holding that version. A reload is triggered by SIGHUP or by
the periodic check of the atlas root's `current` pointer; a new version is verified
(manifest, sizes, hashes) before any worker maps it, and refused, with a logged error,
if anything is wrong (once per bad version: the periodic check does not re-verify it).
The old pool is retired once no request can still use it: a request reads the live pair
before it may await (an idempotent replay looks up storage), so the old workers are kept
until `request_timeout` has passed since the switch (the middleware has ended every older
request by then) and have finished their queued renders; then they exit, releasing the
old mappings.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from service.atlas import format as fmt
from service.atlas.catalog import AtlasInfo, load_atlas_info
from service.config import Settings
from service.json_log import log_json
from service.metrics import Metrics
from service.render.pool import RenderPool

log = logging.getLogger("citizen_card.reload")


def new_pool(settings: Settings, atlas: AtlasInfo, metrics: Metrics) -> RenderPool:
    return RenderPool(atlas.directory, workers=settings.workers, latency_budget=settings.latency_budget,
                      renderer=settings.renderer, assets_dir=settings.assets,
                      fault_injection=settings.fault_injection, variants=settings.variants,
                      on_replace=metrics.pool_replacements.inc)


class Rendering:
    """The live (atlas, pool) pair. Read `.live` once per request and use that pair."""

    def __init__(self, settings: Settings, metrics: Metrics, atlas: AtlasInfo, pool: RenderPool) -> None:
        self.settings = settings
        self.metrics = metrics
        self.live: tuple[AtlasInfo, RenderPool] = (atlas, pool)
        self._lock = asyncio.Lock()
        self._retiring: set[asyncio.Task] = set()
        self._closing = asyncio.Event()
        self._refused: tuple | None = None  # the last version refused, to log it once, not every poll
        metrics.atlas.labels(atlas.version).set(1)

    @property
    def atlas(self) -> AtlasInfo:
        return self.live[0]

    @property
    def pool(self) -> RenderPool:
        return self.live[1]

    async def reload(self, *, polled: bool = False) -> bool:
        """Switch to the version `current` points at, if it is new and sound. A polled check
        skips a version already refused (unless its files changed); SIGHUP always re-checks."""
        async with self._lock:
            old_atlas, old_pool = self.live
            try:
                target = fmt.resolve(Path(self.settings.atlas))
            except fmt.AtlasError as exc:
                if not (polled and self._refused == ("unresolved", str(exc))):
                    log_json(log, logging.ERROR, {"event": "atlas_reload_refused", "reason": str(exc)})
                self._refused = ("unresolved", str(exc))
                return False
            if target == old_atlas.directory:
                return False
            seen = _identity(target)
            if polled and seen == self._refused:
                return False
            try:
                atlas = await asyncio.to_thread(load_atlas_info, target)
                problems = await asyncio.to_thread(fmt.verify, target)
                if problems:
                    raise fmt.AtlasError("; ".join(problems))
            except fmt.AtlasError as exc:
                self._refused = seen
                log_json(log, logging.ERROR, {"event": "atlas_reload_refused", "version": target.name,
                                              "reason": str(exc)})
                return False
            pool = new_pool(self.settings, atlas, self.metrics)
            pool.admission.service_seconds = old_pool.admission.service_seconds  # same machine, same cards
            try:
                await pool.start()
            except Exception:
                log.exception("new atlas %s failed to load in a worker; keeping %s", atlas.version,
                              old_atlas.version)
                await pool.close()
                return False
            self.live = (atlas, pool)
            self.metrics.atlas.clear()
            self.metrics.atlas.labels(atlas.version).set(1)
            log_json(log, logging.INFO, {"event": "atlas_reloaded", "from": old_atlas.version, "to": atlas.version})
            task = asyncio.create_task(self._retire(old_atlas, old_pool))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
            return True

    async def _retire(self, atlas: AtlasInfo, pool: RenderPool) -> None:
        """Shut the old pool down once no request can still submit to it (module docstring)."""
        try:
            await asyncio.wait_for(self._closing.wait(), self.settings.request_timeout)
        except TimeoutError:
            pass
        await pool.close()  # finishes the renders already queued first
        log_json(log, logging.INFO, {"event": "atlas_retired", "version": atlas.version})

    async def watch(self) -> None:
        """Poll the pointer every atlas_poll_seconds (runs until cancelled)."""
        while True:
            await asyncio.sleep(self.settings.atlas_poll_seconds)
            try:
                await self.reload(polled=True)
            except Exception:
                log.exception("atlas check failed")

    async def close(self) -> None:
        self._closing.set()  # the server has drained its requests: retire old pools now
        await self.pool.close()
        if self._retiring:
            await asyncio.gather(*self._retiring, return_exceptions=True)


def _identity(version_dir: Path) -> tuple:
    """What a version directory holds now (name, size, mtime of each file): a refused version
    is checked again by the periodic poll only if one of its files changes."""
    try:
        return (version_dir, tuple(sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns)
                                          for f in version_dir.iterdir())))
    except OSError:
        return (version_dir, None)
