"""SPEC §8 / issue 5 item 1: overload. A bounded admission queue in front of the pool:
at 3x the sustainable rate the excess is shed at once with 503 + Retry-After, the accepted
requests' p99 stays within 2x of its value at the sustainable rate, memory stays flat, and
nothing else fails. And bursts below the capacity (independent clients: Poisson arrivals)
are absorbed, not shed.

The sustainable rate is found, not assumed: the highest of 80%, 65%, 50% of the measured
capacity (the best one-second window of a closed loop) at which a 4-second open loop is
answered without shedding. The machine is small and shared (2 cores for the load
generator, the server and its workers, and maybe other jobs), so the baseline is measured
on both sides of the overload and pooled, and the paired measurement is taken again (at
most ATTEMPTS times) if the latency bound is missed; the figures say how many it took.
Without the standing-queue rule (service/render/admission.py) the bound is missed every
time: a fixed queue of 8 per worker gave x3.9-6.7, of 2 per worker x2.1-2.2.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests import load
from tests.reliability_fixtures import base_atlas_version, private_atlas, serve  # noqa: F401

WORKERS = 2
OVERLOAD_SECONDS = float(os.environ.get("CITIZEN_RELIABILITY_OVERLOAD_SECONDS", "15"))
BASE_SECONDS = 4.0
FRACTIONS = (0.8, 0.65, 0.5)
ATTEMPTS = 3


async def sample_rss(pid: int, stop: asyncio.Event, into: list[int]) -> None:
    while not stop.is_set():
        into.append(sum(load.tree_rss_kb(pid).values()))
        await asyncio.sleep(0.25)


def sustained(report: load.Report) -> bool:
    return len(report.of(503)) <= 0.005 * report.sent


async def find_sustainable_rate(url: str, capacity: float) -> tuple[float, load.Report]:
    for fraction in FRACTIONS:
        report = await load.open_loop(url, rate=fraction * capacity, duration=BASE_SECONDS)
        if sustained(report):
            break
    return fraction * capacity, report


async def paired_measurement(url: str, pid: int, rate: float, before: load.Report) -> dict:
    """(The sustainable rate, just measured,) 3x for OVERLOAD_SECONDS with RSS sampled, then
    the sustainable rate again."""
    steady_rss = max(sum(load.tree_rss_kb(pid).values()) for _ in range(3))
    stop, samples = asyncio.Event(), []
    sampler = asyncio.create_task(sample_rss(pid, stop, samples))
    over = await load.open_loop(url, rate=3 * rate, duration=OVERLOAD_SECONDS)
    stop.set()
    await sampler
    after = await load.open_loop(url, rate=rate, duration=BASE_SECONDS)
    base = load.Report()
    base += before
    base += after
    return {"base": base, "over": over, "steady_rss": steady_rss, "peak_rss": max(samples),
            "ratio": over.percentile(99) / base.percentile(99)}


@pytest.mark.slow
async def test_three_times_the_sustainable_rate_is_shed_not_queued(serve):
    server = serve(workers=WORKERS)

    # Capacity: a closed loop with a little queueing, which also warms the workers up (atlas
    # pages touched, fonts, allocator high-water marks). Other processes only ever make us
    # slower, so the capacity is the best one-second window, not the average.
    warm = await load.closed_loop(server.url, concurrency=2 * WORKERS, duration=4)
    assert warm.statuses() == {201: warm.sent}, warm.summary()
    capacity = max(load.per_second(warm)[1:])

    attempts = []
    for _ in range(ATTEMPTS):
        rate, before = await find_sustainable_rate(server.url, capacity)
        attempts.append(await paired_measurement(server.url, server.pid, rate, before))
        attempts[-1]["rate"] = rate
        if attempts[-1]["ratio"] <= 2:
            break
    m = attempts[-1]
    base, over = m["base"], m["over"]
    # Bursts: independent clients at 70% of the capacity, Poisson arrivals.
    bursty = await load.open_loop(server.url, rate=0.7 * capacity, duration=BASE_SECONDS, poisson=True)
    bursty_shed = len(bursty.of(503)) / bursty.sent
    lost = await load.verify_cards(over) + await load.verify_cards(base)

    shed = over.of(503)
    base_p99, over_p99 = base.percentile(99), over.percentile(99)
    rate = m["rate"]
    figures = dict(capacity_per_s=capacity, sustainable_rate_per_s=round(rate, 1),
                   offered_rate_per_s=round(3 * rate, 1), overload_seconds=OVERLOAD_SECONDS,
                   attempts=len(attempts), ratios=[round(a["ratio"], 2) for a in attempts],
                   base=base.summary(), overload=over.summary(),
                   base_p99_ms=round(base_p99 * 1000, 1), overload_p99_ms=round(over_p99 * 1000, 1),
                   p99_ratio=round(m["ratio"], 2),
                   shed_p50_ms=round(over.percentile(50, 503) * 1000, 1),
                   shed_p99_ms=round(over.percentile(99, 503) * 1000, 1),
                   steady_rss_mib=round(m["steady_rss"] / 1024, 1), peak_rss_mib=round(m["peak_rss"] / 1024, 1),
                   rss_ratio=round(m["peak_rss"] / m["steady_rss"], 3),
                   poisson_70pct=bursty.summary(), poisson_70pct_shed=round(bursty_shed, 4))
    load.record("1-overload", order=1, fault=f"Overload: 3x the sustainable rate for {OVERLOAD_SECONDS:g} s",
                injected=f"open-loop arrivals at {3 * rate:.0f}/s (sustainable rate {rate:.0f}/s = "
                         f"{rate / capacity:.0%} of the capacity of {WORKERS} workers)",
                report=over, recovery_s=0.0,
                notes=f"accepted p99 {over_p99 * 1000:.0f} ms vs {base_p99 * 1000:.0f} ms at the sustainable "
                      f"rate (x{m['ratio']:.2f}, attempt {len(attempts)}); shed p50/p99 "
                      f"{over.percentile(50, 503) * 1000:.0f}/{over.percentile(99, 503) * 1000:.0f} ms; "
                      f"RSS peak/steady {m['peak_rss'] / m['steady_rss']:.3f}; Poisson arrivals at 70% of the "
                      f"capacity: {bursty_shed:.1%} shed", **figures)

    # The baseline really is sustainable (a shared machine stalls now and then: a few sheds
    # at that rate are noise), and the generator kept its schedule.
    assert set(base.statuses()) <= {201, 503}, figures
    assert len(base.of(503)) <= 0.02 * base.sent, figures
    assert over.skipped == 0, figures
    # Excess shed with 503 overloaded + Retry-After; nothing else failed; no card lost.
    assert set(over.statuses()) == {201, 503}, figures
    assert all(r.error == "overloaded" and r.retry_after == "1" for r in shed), figures
    assert len(shed) >= 0.25 * over.sent, figures  # it really was an overload
    assert lost == 0, figures
    # Shedding is immediate: a shed request does not wait for the queue.
    assert over.percentile(50, 503) < 0.025 and over.percentile(95, 503) <= over.percentile(50), figures
    # Accepted requests' p99 within 2x of the sustainable rate's; memory flat within 10%.
    assert over_p99 <= 2 * base_p99, figures
    assert m["peak_rss"] <= 1.10 * m["steady_rss"], figures
    # Bursts below the capacity are mostly absorbed (a fixed queue of 1 per worker sheds ~10%).
    assert set(bursty.statuses()) <= {201, 503} and bursty_shed <= 0.05, figures
