"""SPEC §8 / issue 5 item 1: overload. A bounded admission queue in front of the pool:
at 3x the sustainable rate the excess is shed at once with 503 + Retry-After, the accepted
requests' p99 stays within 2x of its value at the sustainable rate, memory stays flat, and
nothing else fails."""

from __future__ import annotations

import asyncio
import os

import pytest

from tests import load
from tests.reliability_fixtures import base_atlas_version, private_atlas, serve  # noqa: F401

WORKERS = 2
OVERLOAD_SECONDS = float(os.environ.get("CITIZEN_RELIABILITY_OVERLOAD_SECONDS", "15"))


async def sample_rss(pid: int, stop: asyncio.Event, into: list[int]) -> None:
    while not stop.is_set():
        into.append(sum(load.tree_rss_kb(pid).values()))
        await asyncio.sleep(0.25)


@pytest.mark.slow
async def test_three_times_the_sustainable_rate_is_shed_not_queued(serve):
    server = serve(workers=WORKERS)

    # Capacity: closed loop with a little queueing, which also warms the workers up
    # (atlas pages touched, fonts, allocator high-water marks).
    # The machine is shared: other processes only ever make us slower, so the capacity is
    # the best one-second window, not the average.
    warm = await load.closed_loop(server.url, concurrency=2 * WORKERS, duration=5)
    assert warm.statuses() == {201: warm.sent}, warm.summary()
    capacity = max(load.per_second(warm)[1:])

    # The sustainable rate: a fixed arrival rate the workers keep up with: half the
    # capacity, so 3x it is 1.5x the capacity (a third of the offered load is excess).
    rate = 0.5 * capacity
    before = await load.open_loop(server.url, rate=rate, duration=6)
    steady_rss = max(sum(load.tree_rss_kb(server.pid).values()) for _ in range(3))

    stop, samples = asyncio.Event(), []
    sampler = asyncio.create_task(sample_rss(server.pid, stop, samples))
    over = await load.open_loop(server.url, rate=3 * rate, duration=OVERLOAD_SECONDS)
    stop.set()
    await sampler
    # The sustainable rate again after the overload: the machine is shared, so the baseline
    # is measured on both sides of the overload and the two windows are pooled.
    after = await load.open_loop(server.url, rate=rate, duration=6)
    base = load.Report()
    base += before
    base += after
    lost = await load.verify_cards(over)
    lost += await load.verify_cards(base)

    assert set(base.statuses()) <= {201, 503}, base.summary()
    # (a shared 2-core machine stalls now and then: a few sheds at the sustainable rate are noise)
    assert len(base.of(503)) <= 0.03 * base.sent, f"not a sustainable rate: {base.summary()}"
    base_p99 = base.percentile(99)
    shed = over.of(503)
    over_p99 = over.percentile(99)
    peak_rss = max(samples)
    figures = dict(capacity_per_s=round(capacity, 1), sustainable_rate_per_s=round(rate, 1),
                   offered_rate_per_s=round(3 * rate, 1), overload_seconds=OVERLOAD_SECONDS,
                   base=base.summary(), overload=over.summary(),
                   base_p99_ms=round(base_p99 * 1000, 1), overload_p99_ms=round(over_p99 * 1000, 1),
                   p99_ratio=round(over_p99 / base_p99, 2),
                   shed_p50_ms=round(over.percentile(50, 503) * 1000, 1),
                   shed_p99_ms=round(over.percentile(99, 503) * 1000, 1),
                   steady_rss_mib=round(steady_rss / 1024, 1), peak_rss_mib=round(peak_rss / 1024, 1),
                   rss_ratio=round(peak_rss / steady_rss, 3))
    load.record("1-overload", order=1, fault=f"overload: 3x the sustainable rate for {OVERLOAD_SECONDS:g} s",
                injected=f"open-loop arrivals at {3 * rate:.0f}/s (sustainable {rate:.0f}/s, "
                         f"{WORKERS} workers)",
                report=over, recovery_s=0.0,
                notes=f"accepted p99 {over_p99 * 1000:.0f} ms vs {base_p99 * 1000:.0f} ms at the sustainable rate "
                      f"(x{over_p99 / base_p99:.2f}); shed p99 {over.percentile(99, 503) * 1000:.0f} ms; "
                      f"RSS peak/steady {peak_rss / steady_rss:.3f}", **figures)

    # The generator kept its schedule; the server answered every request.
    assert over.skipped == 0, figures
    # Excess shed with 503 overloaded + Retry-After, nothing else failed, no card lost.
    assert set(over.statuses()) == {201, 503}, figures
    assert all(r.error == "overloaded" and r.retry_after == "1" for r in shed), figures
    assert len(shed) >= 0.2 * over.sent, figures  # really overloaded (a third is excess)
    assert lost == 0, figures
    # Shedding is immediate: a shed request does not wait for the queue.
    assert over.percentile(50, 503) < 0.025 and over.percentile(95, 503) <= over.percentile(50), figures
    # Accepted requests' p99 within 2x of the sustainable rate's; memory flat within 10%.
    assert over_p99 <= 2 * base_p99, figures
    assert peak_rss <= 1.10 * steady_rss, figures
