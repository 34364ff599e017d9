"""SPEC §8 / issue 5 item 2: render workers that die or raise, under concurrent load.

- A worker killed with SIGKILL mid-load (found in /proc as a spawned child of the server):
  the pool replaces it (a fresh process in its slot; the other worker is not disturbed),
  the render that was on it is retried once, later requests succeed; no 500 reaches a
  client.
- A worker that raises on a poisoned recipe: that request gets one clean JSON 500 naming
  its request id; the pool is not broken (same worker processes, no replacement).
- A worker that dies on a poisoned recipe (a crash, not an exception) dies again on the
  retry: that request gets a clean 503 render_failed with Retry-After, never a 500, and
  no other request fails.

Poisoned recipes cannot be made from outside (every name that passes §5 renders), so the
last two use CITIZEN_FAULT_INJECTION (Settings.fault_injection: off by default; in the
worker, a render of the named card raises or exits).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from tests import load

WORKERS = 2
CONCURRENCY = 4  # below the admission bound (2 x (1 + 4)): no shedding, so every non-201 is a failure
POISON = "Poison Pill"


def in_flight_at(report: load.Report, moment: float) -> list[load.Result]:
    return [r for r in report.results if r.started <= moment <= r.started + r.latency]


@pytest.mark.slow
async def test_sigkilled_worker_is_replaced_and_its_requests_retried(serve):
    server = serve(workers=WORKERS)
    first = load.worker_pids(server.pid)
    assert len(first) == WORKERS, first

    stop = asyncio.Event()
    t_zero = time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY, stop=stop, t_zero=t_zero))
    kills = []
    await asyncio.sleep(2.0)
    for _ in range(2):  # twice: the replacement is as replaceable as the first
        victims = load.worker_pids(server.pid)
        assert len(victims) == WORKERS, victims
        victim = victims[-1]  # the second time, the replacement started for the first kill
        os.kill(victim, signal.SIGKILL)
        killed_at = time.perf_counter() - t_zero
        replaced = await load.wait_for(
            lambda: len(now := load.worker_pids(server.pid)) == WORKERS and victim not in now, 20)
        assert replaced, (victims, load.worker_pids(server.pid))
        kills.append({"pid": victim, "at": killed_at, "worker_up_s": time.perf_counter() - t_zero - killed_at,
                      "old": victims, "new": load.worker_pids(server.pid)})
        await asyncio.sleep(3.0)
    stop.set()
    report = await traffic
    lost = await load.verify_cards(report)

    for kill in kills:
        hit = in_flight_at(report, kill["at"])
        later = [r for r in report.results if r.started > kill["at"] and r.status == 201]
        kill["in_flight"] = len(hit)
        kill["in_flight_201"] = sum(1 for r in hit if r.status == 201)
        kill["first_201_after_s"] = round(min(r.started + r.latency for r in later) - kill["at"], 3)
        kill["worker_up_s"] = round(kill["worker_up_s"], 2)
    log = server.log_text()
    figures = dict(kills=kills, load=report.summary(), died_log_lines=log.count("render worker died"))
    recovery = max(k["first_201_after_s"] for k in kills)
    load.record("2a-worker-sigkill", order=2, fault="Render worker killed (SIGKILL) mid-load, twice",
                injected=f"os.kill(worker pid from /proc/<server>/task/*/children, SIGKILL) under a closed loop "
                         f"of {CONCURRENCY}",
                report=report, recovery_s=recovery,
                notes=f"{sum(k['in_flight'] for k in kills)} requests were in flight at the kills: the renders on "
                      f"the dead worker were retried once, all answered 201; replacement worker up in "
                      f"{' and '.join(str(k['worker_up_s']) for k in kills)} s, the other worker undisturbed",
                **figures)

    # No 500 (nor anything else) reached a client: the requests on the dead pool were retried.
    assert report.statuses() == {201: report.sent}, figures
    assert all(k["in_flight"] >= 1 and k["in_flight_201"] == k["in_flight"] for k in kills), figures
    assert lost == 0, figures
    # Each victim was replaced by a new process; the other worker kept running; the render on
    # the victim was retried once (and that retry succeeded).
    for kill in kills:
        replacement = set(kill["new"]) - set(kill["old"])
        assert len(replacement) == 1 and set(kill["new"]) - replacement == set(kill["old"]) - {kill["pid"]}, figures
    assert log.count('"event":"worker_replaced"') == 2, log[-3000:]
    assert "attempt 1" in log and "attempt 2" not in log, log[-3000:]
    assert all(not load.alive(k["pid"]) for k in kills)


async def test_worker_raising_on_a_poisoned_recipe_is_one_clean_500(serve):
    server = serve(workers=WORKERS, env={"CITIZEN_FAULT_INJECTION": f"raise:{POISON}"})
    pids = load.worker_pids(server.pid)
    poisoned = {"nameOnCard": POISON, "language": "en"}

    stop = asyncio.Event()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY - 1, stop=stop))
    pills = load.Report()
    async with load.new_session() as session:
        for _ in range(5):
            await asyncio.sleep(0.4)
            pills.results.append(await load.one_request(session, server.url, poisoned, time.perf_counter()))
    await asyncio.sleep(1.0)
    stop.set()
    report = await traffic
    lost = await load.verify_cards(report)
    log = server.log_text()
    everything = load.Report()
    everything += report
    everything += pills
    load.record("2b-worker-raises", order=3, fault="Render worker raises on a poisoned recipe",
                injected="CITIZEN_FAULT_INJECTION=raise:NAME; 5 poisoned requests among a closed loop of 3",
                report=everything, recovery_s=0.0,
                notes="each poisoned request: one JSON 500 naming its request id; same worker processes; "
                      "the other requests all 201", load=report.summary())

    for pill in pills.results:
        assert pill.status == 500 and pill.error == "internal_error", pill
        assert pill.request_id and len(pill.request_id) == 32
        assert f"unhandled error in POST /citizen-card (request id {pill.request_id})" in log
    assert report.statuses() == {201: report.sent}, report.summary()
    assert lost == 0
    # The pool is not broken: the same workers, never replaced.
    assert load.worker_pids(server.pid) == pids
    assert "render worker died" not in log
    assert log.count("injected fault (CITIZEN_FAULT_INJECTION)") >= 5


async def test_worker_crashing_on_a_poisoned_recipe_is_a_clean_503_never_500(serve):
    server = serve(workers=WORKERS, env={"CITIZEN_FAULT_INJECTION": f"exit:{POISON}"})
    stop, t_zero = asyncio.Event(), time.perf_counter()
    traffic = asyncio.create_task(load.closed_loop(server.url, concurrency=CONCURRENCY - 1, stop=stop,
                                                   t_zero=t_zero))
    await asyncio.sleep(1.0)
    async with load.new_session() as session:
        pill = await load.one_request(session, server.url, {"nameOnCard": POISON, "language": "en"}, t_zero)
    await asyncio.sleep(3.0)
    stop.set()
    report = await traffic
    lost = await load.verify_cards(report)
    collateral = [r for r in report.results if r.status != 201]
    everything = load.Report()
    everything += report
    everything.results.append(pill)
    load.record("2c-worker-crashes", order=4, fault="Render worker crashes on a poisoned recipe (twice: "
                                                    "the retry crashes too)",
                injected="CITIZEN_FAULT_INJECTION=exit:NAME; 1 poisoned request among a closed loop of 3",
                report=everything, recovery_s=0.0,
                notes=f"the poisoned request: 503 render_failed + Retry-After (its worker died, and so did the "
                      f"one its retry ran on); {len(collateral)} other request(s) failed: a render waiting behind "
                      f"it on a worker that died is sent again without counting as an attempt",
                load=report.summary())

    assert pill.status == 503 and pill.error == "render_failed" and pill.retry_after == "1", pill
    # A render waiting behind the pill on a worker that died is sent again, not counted:
    # the crashes took no other request with them.
    assert collateral == [], collateral
    assert lost == 0
    tail = [r for r in report.results if r.started > pill.started + pill.latency + 0.5]
    assert tail and all(r.status == 201 for r in tail), ([r for r in tail if r.status != 201], pill)  # later requests succeed


async def test_workers_exit_by_themselves_when_the_server_is_killed(serve):
    """No orphans: a worker reads end-of-file on its pipe once the server's end is gone,
    however the server ended (here SIGKILL: no shutdown code runs)."""
    server = serve(workers=WORKERS)
    pids = load.worker_pids(server.pid)
    assert len(pids) == WORKERS
    os.kill(server.pid, signal.SIGKILL)
    server.proc.wait(10)
    assert await load.wait_for(lambda: not any(load.alive(pid) for pid in pids), 10), pids
