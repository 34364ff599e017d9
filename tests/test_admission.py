"""The admission rule (service/render/admission.py), step by step with explicit clocks, and
against an independent oracle: a discrete-event simulation of a FIFO queue in front of
`workers` servers, which knows when each admitted render really finishes."""

from __future__ import annotations

import heapq
import math
import random

import pytest

from service.render.admission import (ALPHA, IDLE_SECONDS, INITIAL_SERVICE_SECONDS, INTERVAL_SECONDS,
                                      SPIKE_FACTOR, STANDING_AFTER, STANDING_FRACTION, TARGET_SECONDS,
                                      Admission)

LONG_WAIT = 2 * TARGET_SECONDS
SHORT_WAIT = TARGET_SECONDS / 2
BUDGET = 1.0  # the latency budget of these admissions
STANDS_AT = STANDING_AFTER * BUDGET  # waits above target this long, with demand above capacity, stand
RENDER_EVERY = 0.005  # seconds between two renders leaving the queue in `traffic`


def timed(admission: Admission, seconds: float, renders: int = 300) -> Admission:
    for _ in range(renders):
        admission.served(seconds)
    return admission


def traffic(admission: Admission, start: float, end: float, asks: int, wait: float = LONG_WAIT,
            shed: bool = False) -> float:
    """From `start` to `end`, a render leaves the queue every RENDER_EVERY seconds after
    waiting `wait`, and `asks` requests arrive per render (all shed if `shed`, else
    admitted); returns the clock at the end."""
    now = start
    while now < end - 1e-9:
        for _ in range(asks):
            assert admission.admits(admission.limit if shed else 0) is not shed
            if not shed:
                admission.joined()
        admission.served(0.0048)
        admission.waited(wait, now=now)
        now += RENDER_EVERY
    return now


def overloaded(admission: Admission) -> float:
    """Drive an admission into its standing state (an open loop at 3x: 3 asks per render,
    every render waiting long); returns the clock at that point."""
    now = traffic(admission, 0.0, STANDS_AT - 2 * RENDER_EVERY, asks=3)
    assert not admission.standing  # not for long enough yet: a burst could still be being read
    now = traffic(admission, now, STANDS_AT + RENDER_EVERY, asks=3)
    assert admission.standing
    return now


def simulate(admission: Admission, arrivals: list[float], service: float) -> tuple[list[float], list[float]]:
    """FIFO queue, `admission.workers` servers, every render `service` s. Returns the
    latencies of the admitted requests and, for each shed one, the latency it would have
    had if admitted (computed by the same simulation, not by the rule under test)."""
    free = [0.0] * admission.workers  # when each worker is next free, as a heap
    done: list[float] = []  # completion times of admitted renders (a heap)
    admitted, shed = [], []
    for t in arrivals:
        while done and done[0] <= t:
            heapq.heappop(done)
        would_finish = max(t, free[0]) + service  # FIFO: it takes the first worker to come free
        if admission.admits(len(done)):
            heapq.heapreplace(free, would_finish)
            heapq.heappush(done, would_finish)
            admitted.append(would_finish - t)
        else:
            shed.append(would_finish - t)
    return admitted, shed


def test_service_time_is_a_moving_average_of_renders():
    admission = Admission(workers=2, budget=1.0)
    assert admission.service_seconds == INITIAL_SERVICE_SECONDS
    admission.served(0.020)
    assert admission.service_seconds == pytest.approx(INITIAL_SERVICE_SECONDS + ALPHA * 0.010)
    timed(admission, 0.005)
    assert admission.service_seconds == pytest.approx(0.005)
    admission.served(0.105)  # one slow render counts as SPIKE_FACTOR x the estimate, with weight ALPHA
    assert admission.service_seconds == pytest.approx(0.005 + ALPHA * (SPIKE_FACTOR - 1) * 0.005)


@pytest.mark.parametrize("workers, service, budget", [(2, 0.006, 1.0), (2, 0.004, 0.25), (4, 0.007, 1.0),
                                                      (1, 0.030, 1.0), (3, 0.0123, 0.5)])
def test_a_simultaneous_burst_is_admitted_as_far_as_it_finishes_within_the_budget(workers, service, budget):
    admission = timed(Admission(workers, budget), service)
    admitted, shed = simulate(admission, [0.0] * 2000, service)
    # The oracle: a FIFO burst's k-th render ends at ceil(k / workers) * service.
    fits = workers * math.floor(budget / service + 1e-9)
    assert fits <= len(admitted) <= fits + workers - 1
    assert max(admitted) <= budget + service and min(shed) > budget - service
    # Retry-After: what the pool holds drains when the simulation says it does.
    assert admission.drain_seconds(len(admitted)) == pytest.approx(max(admitted), abs=service)


@pytest.mark.parametrize("seed", range(6))
def test_random_arrivals_admit_what_finishes_within_the_budget_and_nothing_else(seed):
    rng = random.Random(seed)
    workers, service = rng.choice([1, 2, 4]), rng.uniform(0.003, 0.02)
    budget = rng.choice([0.1, 0.5, 1.0])
    admission = timed(Admission(workers, budget), service)
    capacity = workers / service
    t, arrivals = 0.0, []
    while t < 5.0:  # Poisson arrivals at 0.5-3x the capacity, with simultaneous bursts now and then
        t += rng.expovariate(capacity * rng.choice([0.5, 1.0, 3.0]))
        arrivals += [t] * (rng.randint(20, 400) if rng.random() < 0.01 else 1)
    admitted, shed = simulate(admission, arrivals, service)
    assert shed, "the arrivals were meant to overload the pool at times"
    assert max(admitted) <= budget + service  # nobody admitted waits past the budget
    assert min(shed) > budget - service  # nobody shed could have been served within it


def test_a_worker_is_always_free_to_take_a_render():
    admission = timed(Admission(workers=2, budget=0.1), 0.5)  # one render takes longer than the budget
    assert admission.admits(0) and admission.admits(1) and not admission.admits(2)
    assert admission.limit == 2


def test_a_few_descheduled_renders_do_not_halve_the_next_burst():
    """Three renders at 30 ms among 6 ms ones (workers descheduled while the loop read a
    burst) moved the average to 13 ms and the limit to half; each now counts at most twice
    the estimate."""
    admission = timed(Admission(workers=2, budget=1.0), 0.006)
    for _ in range(3):
        admission.served(0.030)
    assert admission.service_seconds == pytest.approx(0.006 * (1 + ALPHA * (SPIKE_FACTOR - 1)) ** 3)
    assert admission.service_seconds < 0.008
    assert admission.limit >= 0.75 * 333


def test_a_host_that_really_got_slower_is_followed():
    admission = timed(Admission(workers=2, budget=1.0), 0.006)
    timed(admission, 0.030, renders=40)
    assert admission.service_seconds == pytest.approx(0.030, rel=0.05)
    assert admission.limit == pytest.approx(2 / 0.030, rel=0.05)


def test_limit_and_retry_after_follow_the_measured_service_time():
    admission = timed(Admission(workers=2, budget=1.0), 0.0048)
    assert admission.limit == 416 and admission.admits(415) and not admission.admits(416)
    assert admission.drain_seconds(416) == pytest.approx(0.9984)
    timed(admission, 0.0096)  # the machine got slower (or busier): half as many
    assert admission.limit == 208 and admission.admits(207) and not admission.admits(208)


def test_a_queue_that_waits_long_while_asks_outpace_renders_stands():
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    overloaded(admission)
    assert admission.standing and admission.bound == pytest.approx(STANDING_FRACTION)
    assert admission.limit == 208 and admission.admits(207) and not admission.admits(208)


def test_long_waits_after_the_arrivals_stopped_never_cut_the_bound():
    """A burst within the budget, read in 0.2 s: its queue waits long for most of a
    second, but nothing arrives after it was read."""
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    now = traffic(admission, 0.0, 0.2, asks=3)
    traffic(admission, now, 0.95 * BUDGET, asks=0)
    assert not admission.standing and admission.limit == 416


def test_a_closed_loop_keeping_a_long_queue_is_not_standing():
    """wrk with many connections: a long queue, but each answer brings one new request;
    now and then a few more at once (the loop read them in one go) do not change that."""
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    now = 0.0
    for _ in range(6):
        now = traffic(admission, now, now + 0.4 * BUDGET, asks=1)
        now = traffic(admission, now, now + 3 * RENDER_EVERY, asks=4)  # 9 more asked than answered
        now = traffic(admission, now, now + 9 * RENDER_EVERY, asks=0)  # and answered
    assert not admission.standing and admission.limit == 416


def test_a_queue_already_full_stands_when_it_still_sheds():
    """Ten times the capacity fills the budget's queue before it has waited long: it no
    longer grows, but it sheds."""
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    now = traffic(admission, 0.0, STANDS_AT - 2 * RENDER_EVERY, asks=9, shed=True)
    assert not admission.standing
    traffic(admission, now, STANDS_AT + 2 * RENDER_EVERY, asks=9, shed=True)
    assert admission.standing and admission.limit == 208


def test_a_short_wait_restarts_the_period():
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    now = traffic(admission, 0.0, 0.6 * STANDS_AT, asks=3)
    now = traffic(admission, now, now + RENDER_EVERY, asks=3, wait=SHORT_WAIT)  # the queue drained
    restart = now
    now = traffic(admission, now, restart + STANDS_AT - 2 * RENDER_EVERY, asks=3)
    assert not admission.standing  # above target for most of a period twice, but not in one go
    traffic(admission, now, restart + STANDS_AT + 2 * RENDER_EVERY, asks=3)
    assert admission.standing


def test_a_burst_a_little_over_the_budget_sheds_its_excess_but_does_not_stand():
    """Its queue waits above target from the first renders, and the loop sheds its tail
    while reading it (within about 0.2 s); what was admitted drains within the budget, and
    nothing arrives after the burst was read, so the bound stays whole."""
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    now = traffic(admission, 0.0, 0.2 * BUDGET, asks=3, shed=True)  # the excess, shed while read
    now = traffic(admission, now, 0.95 * BUDGET, asks=0)  # the admitted ~1 s of work drains
    assert not admission.standing and admission.limit == 416
    traffic(admission, now, 1.1 * BUDGET, asks=0, wait=SHORT_WAIT)
    assert not admission.standing


def test_sustained_overload_stands_before_its_queue_holds_a_whole_budget():
    """An open loop at 3x fills the budget's queue in about 0.7 s: it stands at half the
    budget, before the first shed, so what it admits first does not wait a whole budget."""
    admission = timed(Admission(workers=2, budget=BUDGET), 0.0048)
    traffic(admission, 0.0, STANDS_AT + RENDER_EVERY, asks=3)  # filling: every ask admitted
    assert STANDS_AT < 0.7 * BUDGET and admission.standing and admission.limit == 208


def test_standing_survives_short_waits_and_idle_blips_but_not_a_real_pause():
    admission = timed(Admission(workers=2, budget=1.0), 0.0048)
    now = overloaded(admission)
    admission.waited(SHORT_WAIT, now=now + 0.01)  # short by construction while standing
    admission.worker_waited(IDLE_SECONDS / 2)  # a worker between two renders
    assert admission.standing
    admission.worker_waited(IDLE_SECONDS)  # demand fell below capacity
    assert not admission.standing and admission.limit == 416


def test_clients_resending_at_once_are_let_in_rather_than_spun():
    """Standing, a 3x open loop sheds about 2 per render: the bound stays tight. Clients that
    resend each 503 at once shed dozens per render: the tighter bound only spins them."""
    admission = timed(Admission(workers=2, budget=1.0), 0.0048)
    start = overloaded(admission)
    tick = 1.01 * INTERVAL_SECONDS  # a little over an interval: no tie between float clocks
    for step in range(1, 4):  # three intervals of an open loop: 2 sheds per render
        for _ in range(20):
            admission.served(0.0048)
            for _ in range(2):
                assert not admission.admits(admission.limit)
        admission.waited(LONG_WAIT, now=start + step * tick)
        assert admission.standing
    for _ in range(20):  # wrk: every shed connection is back at once, 50 times per render
        admission.served(0.0048)
        for _ in range(50):
            admission.admits(admission.limit)
    admission.waited(LONG_WAIT, now=start + 4 * tick)
    assert not admission.standing and admission.limit == 416


def test_one_interval_of_stalled_workers_is_not_taken_for_clients_spinning():
    """Standing under an open loop, the workers get little CPU for one interval (7 renders
    instead of 20) while the loop sheds its usual arrivals: the queue still stands."""
    admission = timed(Admission(workers=2, budget=1.0), 0.0048)
    now = overloaded(admission)
    tick = 1.01 * INTERVAL_SECONDS
    for _ in range(7):
        admission.served(0.0048)
    for _ in range(60):
        assert not admission.admits(admission.limit)
    admission.waited(LONG_WAIT, now=now + tick)
    assert admission.standing
    traffic(admission, now + tick, now + 3 * tick, asks=3, shed=True)
    assert admission.standing


def test_the_loops_lag_counts_as_time_already_spent():
    """A request read by a loop running 300 ms late has 700 ms of a 1 s budget left: the
    burst admitted is the one the oracle finishes within 0.7 s."""
    service, lagging = 0.0048, timed(Admission(workers=2, budget=1.0), 0.0048)
    reference = timed(Admission(workers=2, budget=0.7), service)
    admitted = [n for n in range(1000) if lagging.admits(n, overdue=0.3)]
    assert len(admitted) == reference.limit == 291
    for _ in range(50):  # a lag that persists is remembered, not only while a timer is overdue
        lagging.lagged(0.3)
    assert not lagging.admits(291) and lagging.admits(290)
    for _ in range(50):
        lagging.lagged(-0.001)  # early (uvloop's clock is cached per iteration): no lag
    assert lagging.admits(400) and not lagging.admits(416)

