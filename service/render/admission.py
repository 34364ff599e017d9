"""How many renders the pool admits at once: a burst bound, tightened while a queue stands.

At most `workers * (1 + queue_per_worker)` renders may be in flight (on a worker or
queued); past that a request is shed with 503 at once rather than queued without bound.
That bound is for bursts. A queue that is not draining is told by how long renders wait
in it (CoDel, Nichols & Jacobson 2012): once every render taken from the queue for
INTERVAL_SECONDS has waited longer than TARGET_SECONDS, and the burst bound has been hit
meanwhile, the queue stands (overload, not a burst), and only one render per worker may
then wait, so an accepted request waits for at most one render ahead of it. Waits under
that rule are short by construction, so it lapses only when demand falls below capacity:
a worker waits IDLE_SECONDS for its next render. Load that never reaches the burst bound
(a few clients in a closed loop) is never cut.
"""

from __future__ import annotations

import time

TARGET_SECONDS = 0.010  # about two renders' time: a burst drains within it, a standing queue does not
INTERVAL_SECONDS = 0.030  # how long waits must stay above the target before the queue counts as standing
IDLE_SECONDS = 0.010  # a worker idle this long means the queue has really drained (not a blip)
STANDING_QUEUE_PER_WORKER = 1  # renders that may wait per worker while a queue stands


class Admission:
    def __init__(self, workers: int, queue_per_worker: int) -> None:
        self.burst_limit = workers * (1 + queue_per_worker)
        self.standing_limit = min(self.burst_limit, workers * (1 + STANDING_QUEUE_PER_WORKER))
        self.standing = False
        self._above_since: float | None = None  # when waits went over the target, if they still are
        self._shed_while_above = False

    @property
    def limit(self) -> int:
        return self.standing_limit if self.standing else self.burst_limit

    def admits(self, in_flight: int) -> bool:
        """Whether one more render may join `in_flight` ones; a refusal is counted as shed."""
        if in_flight < self.limit:
            return True
        self._shed_while_above = self._above_since is not None
        return False

    def waited(self, seconds: float, now: float | None = None) -> None:
        """A render left the queue after waiting `seconds`."""
        now = time.monotonic() if now is None else now
        if seconds < TARGET_SECONDS:
            self._above_since, self._shed_while_above = None, False
        elif self._above_since is None:
            self._above_since = now
        elif self._shed_while_above and now - self._above_since >= INTERVAL_SECONDS:
            self.standing = True

    def worker_waited(self, seconds: float) -> None:
        """A worker found the queue empty and waited `seconds` for its next render."""
        if seconds >= IDLE_SECONDS:
            self.standing, self._above_since, self._shed_while_above = False, None, False
