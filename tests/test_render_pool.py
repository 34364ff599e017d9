"""The render pool on its own (service/render/pool.py, worker_handle.py,
worker_main.py, worker_messages.py, png_window.py):
real worker processes on the real atlas, no HTTP in between."""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import io
import os
import signal
import time

import pytest
from PIL import Image

from service.atlas import format as fmt
from service.errors import Unavailable
from service.recipe import make_recipe
from service.render.pool import RenderPool
from service.render.worker_handle import RenderFailed, WorkerStartFailed
from service.render.worker_messages import PIPELINE_DEPTH

POISON = "Poison Pill"


def recipe(atlas_dir, seed: int, name: str = "Pool Cookie"):
    version = fmt.resolve(atlas_dir)
    manifest = fmt.read(version)
    return make_recipe(manifest.catalog, manifest.texts["en"], name=name, language="en", seed=seed,
                       atlas_version=version.name, issued=dt.date(2026, 11, 26))


def windows() -> set[str]:
    return set(glob.glob("/dev/shm/citizen-card-png-*"))


async def replaced(pool: RenderPool) -> None:
    """Wait (up to 10 s) until a replacement worker is up."""
    for _ in range(100):
        if pool.replacements and len(pool.pids) == pool.workers:
            return
        await asyncio.sleep(0.1)


@pytest.fixture
async def pool(atlas_dir):
    before = windows()
    pool = RenderPool(str(fmt.resolve(atlas_dir)), workers=2, latency_budget=1.0,
                      fault_injection=f"raise:{POISON}")
    await pool.start()
    yield pool
    await pool.close()
    assert windows() <= before  # whatever happened to the workers, no name is left in /dev/shm


async def test_renders_come_back_as_pngs_through_unlinked_windows(pool, atlas_dir):
    before = windows()
    results = await asyncio.gather(*(pool.render(recipe(atlas_dir, seed)) for seed in range(8)))
    for rendered, submitted in results:
        assert Image.open(io.BytesIO(rendered.png)).size == (1200, 760)
        assert rendered.started >= submitted and min(rendered.blend, rendered.text, rendered.encode) > 0
    assert len({r.png for r, _ in results}) == 8  # each job got its own bytes, none overwritten
    assert windows() <= before  # the worker unlinked its window's name once it had mapped it


async def test_a_busy_worker_finds_its_next_recipe_waiting_while_the_loop_is_busy(pool, atlas_dir):
    """Each worker holds the recipe after the one it renders (PIPELINE_DEPTH), so it goes on
    rendering while the loop is stuck elsewhere; its replies, both in the window before the
    loop reads either, come back whole and each to its own request."""
    seeds = range(6)
    renders = [asyncio.ensure_future(pool.render(recipe(atlas_dir, seed))) for seed in seeds]
    await asyncio.sleep(0.002)  # two on each worker, two queued
    stall_from = time.time()
    time.sleep(0.3)  # the loop stalls (a burst being read) while the workers render
    stall_to = time.time()
    results = await asyncio.gather(*renders)
    started_in_stall = [r.started for r, _ in results if stall_from < r.started < stall_to]
    assert len(started_in_stall) == 2 * (PIPELINE_DEPTH - 1), [r.started - stall_from for r, _ in results]
    for seed, (rendered, _) in zip(seeds, results):
        alone, _ = await pool.render(recipe(atlas_dir, seed))
        assert Image.open(io.BytesIO(rendered.png)).tobytes() == Image.open(io.BytesIO(alone.png)).tobytes()


def cpu_ns(pid: int) -> int:
    with open(f"/proc/{pid}/schedstat") as handle:
        return int(handle.read().split()[0])


async def test_at_low_rates_one_worker_takes_every_render(pool, atlas_dir):
    """The worker that went idle last takes the next job, so the other one sleeps."""
    before = {pid: cpu_ns(pid) for pid in pool.pids}
    for seed in range(30):  # one at a time
        await pool.render(recipe(atlas_dir, seed))
    spent = sorted(cpu_ns(pid) - ns for pid, ns in before.items())
    assert spent[0] < 0.05 * spent[1], spent


async def test_a_render_that_raises_fails_alone(pool, atlas_dir):
    pids = pool.pids
    with pytest.raises(RenderFailed, match="injected fault"):
        await pool.render(recipe(atlas_dir, 1, name=POISON))
    rendered, _ = await pool.render(recipe(atlas_dir, 2))
    assert rendered.png.startswith(b"\x89PNG") and pool.pids == pids and pool.replacements == 0


async def test_a_killed_worker_is_replaced_and_its_render_retried(pool, atlas_dir):
    survivor, victim = pool.pids
    renders = [asyncio.create_task(pool.render(recipe(atlas_dir, seed))) for seed in range(6)]
    await asyncio.sleep(0.005)  # both workers busy, four queued
    os.kill(victim, signal.SIGKILL)
    assert all(r.png.startswith(b"\x89PNG") for r, _ in await asyncio.gather(*renders))
    await replaced(pool)
    assert pool.replacements == 1 and survivor in pool.pids and victim not in pool.pids


async def test_renders_behind_a_recipe_that_kills_its_worker_are_sent_again_and_served(atlas_dir):
    """The poison kills the worker it runs on, and its retry the next one: it fails alone.
    The renders that waited behind it in those workers' pipelines did not begin, so they are
    sent again without using up their one retry."""
    pool = RenderPool(str(fmt.resolve(atlas_dir)), workers=2, latency_budget=1.0, fault_injection=f"exit:{POISON}")
    await pool.start()
    try:
        poison = asyncio.ensure_future(pool.render(recipe(atlas_dir, 0, name=POISON)))
        innocent = [asyncio.ensure_future(pool.render(recipe(atlas_dir, seed))) for seed in range(1, 8)]
        with pytest.raises(Unavailable, match="failed twice"):
            await poison
        assert all(r.png.startswith(b"\x89PNG") for r, _ in await asyncio.gather(*innocent))
        await replaced(pool)
        assert pool.replacements >= 1
    finally:
        await pool.close()


def dead(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie: gone, not yet reaped


async def test_recipes_sent_to_a_worker_dead_before_the_loop_noticed_are_sent_again_uncounted(
        pool, atlas_dir, caplog):
    """Killed while idle, and the loop has not read its end-of-file yet: a send to it fails.
    The recipe never reached a worker, so it is sent elsewhere without using up its retry,
    and that worker is not picked again (each pick would cost a request an attempt)."""
    survivor, victim = pool.pids
    os.kill(victim, signal.SIGKILL)
    while not dead(victim):  # blocking: the loop must not run, or it would read the end-of-file
        time.sleep(0.001)
    renders = [asyncio.ensure_future(pool.render(recipe(atlas_dir, seed))) for seed in range(6)]
    assert all(r.png.startswith(b"\x89PNG") for r, _ in await asyncio.gather(*renders))
    assert "attempt" not in caplog.text  # no render counted a try against itself
    await replaced(pool)
    assert pool.replacements == 1 and survivor in pool.pids and victim not in pool.pids


async def test_a_worker_killed_while_idle_costs_no_request(pool, atlas_dir):
    survivor, victim = pool.pids
    os.kill(victim, signal.SIGKILL)
    await asyncio.sleep(0.5)  # the loop has read its end-of-file; nothing was on it
    results = await asyncio.gather(*(pool.render(recipe(atlas_dir, seed)) for seed in range(6)))
    assert all(r.png.startswith(b"\x89PNG") for r, _ in results)
    await replaced(pool)
    assert pool.replacements == 1 and survivor in pool.pids and victim not in pool.pids


async def test_close_finishes_queued_renders_then_stops_the_workers(atlas_dir):
    pool = RenderPool(str(fmt.resolve(atlas_dir)), workers=2, latency_budget=1.0)
    await pool.start()
    pids = pool.pids
    renders = [asyncio.create_task(pool.render(recipe(atlas_dir, seed))) for seed in range(6)]
    await asyncio.sleep(0)
    await pool.close()
    assert all(r.done() and r.result()[0].png.startswith(b"\x89PNG") for r in renders)
    assert pool.pids == [] and not any(os.path.exists(f"/proc/{pid}") for pid in pids)


async def test_a_worker_that_cannot_load_its_atlas_fails_the_start_with_the_reason(tmp_path):
    before = windows()
    pool = RenderPool(str(tmp_path / "no-such-version"), workers=2, latency_budget=1.0)
    with pytest.raises(WorkerStartFailed, match="no-such-version"):
        await pool.start()
    await pool.close()
    assert pool.pids == [] and windows() <= before


async def test_a_stalled_loop_does_not_teach_admission_a_slower_render(pool, atlas_dir):
    """While the loop is stuck reading a burst, a finished render waits unseen; that wait is
    the loop's lag (counted once by admission), not render time: counted as both, one stalled
    sample took the estimate from 5 to 15 ms and shed the rest of a burst that fit."""
    for seed in range(30):
        await pool.render(recipe(atlas_dir, seed))
    calm = pool.admission.service_seconds
    job = asyncio.ensure_future(pool.render(recipe(atlas_dir, 99)))
    await asyncio.sleep(0.002)  # taken by a slot, sent to its worker
    time.sleep(0.3)  # the loop stalls (a burst being read) while the worker finishes
    await job
    assert pool.admission.service_seconds < calm + 0.1 * 0.03, (calm, pool.admission.service_seconds)
