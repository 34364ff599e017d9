"""The store's admission (service/storage/admission.py), step by step on an explicit clock:
refuse new cards while the store is behind, never while it keeps up."""

from __future__ import annotations

import contextlib

import pytest

from service.storage import StorageUnavailable
from service.storage import admission as module
from service.storage.admission import ALPHA, MIN_IN_FLIGHT, UploadAdmission

BUDGET = 1.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(module.time, "monotonic", clock)
    return clock


def begin(uploads: UploadAdmission, stack: contextlib.ExitStack) -> None:
    """One upload admitted and begun (it runs until the stack closes)."""
    uploads.admit()
    stack.enter_context(uploads.uploading())


def refused(uploads: UploadAdmission) -> bool:
    try:
        uploads.admit()
    except StorageUnavailable as exc:
        assert exc.status == 503 and exc.code == "storage_unavailable" and exc.retry_after == 5.0
        return True
    return False


def finish(uploads: UploadAdmission, clock: Clock, seconds: float, *, fails: bool = False) -> None:
    """One upload that takes `seconds` (and raises, as a failed upload does, if `fails`)."""
    with contextlib.suppress(StorageUnavailable):
        with uploads.uploading():
            clock.now += seconds
            if fails:
                raise StorageUnavailable("no answer within 5 s", retry_after=5)


def test_a_healthy_store_under_heavy_load_is_never_behind(clock):
    """300 cards/s, 40 ms an upload: a dozen in flight; then a burst of 300 after an idle minute."""
    uploads = UploadAdmission(BUDGET, retry_after=5.0)
    with contextlib.ExitStack() as stack:
        for _ in range(300):
            begin(uploads, stack)
            clock.now += 0.0002  # all 300 begin within 60 ms, none finished yet
        assert uploads.in_flight == 300 and not uploads.behind
    clock.now += 60
    for _ in range(3000):
        finish(uploads, clock, 0.040)
        assert not refused(uploads)
    assert uploads.upload_seconds == pytest.approx(0.040)


def test_a_store_that_stalls_is_behind_one_budget_later(clock):
    uploads = UploadAdmission(BUDGET, retry_after=5.0)
    with contextlib.ExitStack() as stack:
        for _ in range(200):  # one second of arrivals at 200/s, nothing finishes
            begin(uploads, stack)
            clock.now += 0.005
        assert not uploads.behind  # the 8th oldest has run 0.97 s
        clock.now += 0.05
        assert uploads.behind and refused(uploads)
    # The deadline failed them all: their 5 s keep the store behind, but a few probes go through.
    for _ in range(20):
        finish(uploads, clock, 5.0, fails=True)
    assert uploads.upload_seconds > BUDGET and uploads.in_flight == 0
    with contextlib.ExitStack() as stack:
        for _ in range(MIN_IN_FLIGHT):
            begin(uploads, stack)
        assert refused(uploads)
    # The store answers again: quick finishes bring the average under the budget.
    finished = 0
    while uploads.behind:
        finish(uploads, clock, 0.040)
        finished += 1
    assert finished <= 30 and not refused(uploads)


def test_one_upload_retrying_for_seconds_is_not_a_stall(clock):
    uploads = UploadAdmission(BUDGET, retry_after=5.0)
    for _ in range(50):
        finish(uploads, clock, 0.040)
    with contextlib.ExitStack() as stack:
        begin(uploads, stack)  # this one hits a 500 and backs off for 3 s...
        clock.now += 3.0
        for _ in range(3 * MIN_IN_FLIGHT):  # ...while the next ones begin (and would finish) quickly
            begin(uploads, stack)
            clock.now += 0.003
        assert not uploads.behind and not refused(uploads)
    steady = UploadAdmission(BUDGET, retry_after=5.0)
    for _ in range(50):
        finish(steady, clock, 0.040)
    finish(steady, clock, 3.0)  # once finished, it moves the average by a tenth of its excess
    assert steady.upload_seconds == pytest.approx(0.040 + ALPHA * (3.0 - 0.040), rel=0.01)
    assert not steady.behind


def test_a_failed_upload_leaves_the_count_and_adds_its_time(clock):
    uploads = UploadAdmission(BUDGET, retry_after=5.0)
    finish(uploads, clock, 2.0, fails=True)
    assert uploads.in_flight == 0 and uploads.upload_seconds == pytest.approx(ALPHA * 2.0)
