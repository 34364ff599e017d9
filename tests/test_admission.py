"""The admission rule (service/render/admission.py), step by step with explicit clocks."""

from __future__ import annotations

from service.render.admission import IDLE_SECONDS, INTERVAL_SECONDS, TARGET_SECONDS, Admission

LONG_WAIT = 2 * TARGET_SECONDS
SHORT_WAIT = TARGET_SECONDS / 2


def overloaded(admission: Admission) -> float:
    """Drive an admission into its standing state; returns the clock at that point."""
    admission.waited(LONG_WAIT, now=0.0)
    assert not admission.admits(admission.burst_limit)  # the burst bound is hit: a shed
    admission.waited(LONG_WAIT, now=INTERVAL_SECONDS / 2)
    assert not admission.standing  # not for long enough yet
    admission.waited(LONG_WAIT, now=INTERVAL_SECONDS)
    return INTERVAL_SECONDS


def test_limits_follow_workers_and_queue():
    admission = Admission(workers=2, queue_per_worker=4)
    assert (admission.burst_limit, admission.standing_limit, admission.limit) == (10, 4, 10)
    assert admission.admits(9) and not admission.admits(10)


def test_a_queue_that_waits_long_and_sheds_for_an_interval_stands():
    admission = Admission(workers=2, queue_per_worker=4)
    overloaded(admission)
    assert admission.standing and admission.limit == 4
    assert admission.admits(3) and not admission.admits(4)


def test_long_waits_without_shedding_never_cut_the_bound():
    """A closed loop below the burst bound queues (long waits) but is never shed."""
    admission = Admission(workers=2, queue_per_worker=4)
    for step in range(20):
        admission.waited(LONG_WAIT, now=step * INTERVAL_SECONDS)
    assert not admission.standing and admission.limit == 10


def test_a_short_wait_restarts_the_interval():
    admission = Admission(workers=2, queue_per_worker=4)
    admission.waited(LONG_WAIT, now=0.0)
    assert not admission.admits(10)
    admission.waited(SHORT_WAIT, now=INTERVAL_SECONDS / 2)  # the queue drained in time: a burst
    admission.waited(LONG_WAIT, now=INTERVAL_SECONDS)
    admission.waited(LONG_WAIT, now=1.5 * INTERVAL_SECONDS)
    assert not admission.standing  # a new above-target period, without a shed in it yet


def test_standing_survives_short_waits_and_idle_blips_but_not_a_real_pause():
    admission = Admission(workers=2, queue_per_worker=4)
    now = overloaded(admission)
    admission.waited(SHORT_WAIT, now=now + 0.01)  # short by construction while standing
    admission.worker_waited(IDLE_SECONDS / 2)  # a worker between two renders
    assert admission.standing
    admission.worker_waited(IDLE_SECONDS)  # demand fell below capacity
    assert not admission.standing and admission.limit == 10
