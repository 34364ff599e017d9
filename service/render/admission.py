"""Whether the pool takes one more render: by the wait it would predict, within a latency budget.

A request is admitted while the renders in flight (queued or on a worker), plus its own,
shared among the workers, times the measured service time of one render stays within the
latency budget (`CITIZEN_LATENCY_BUDGET`):

    predicted = (in_flight + 1) / workers * service_time  <=  budget

and always while a worker is idle. Past the budget the answer is 503 at once with
Retry-After = the time the pool needs to drain what it holds (`drain_seconds`), rounded up
by the middleware. So a burst that the workers finish within the budget is queued and
served (a shed costs its user at least a second; a queue that drains in 300 ms costs 300
ms), and what cannot finish within it is refused before any work is spent on it.

The budget covers the whole request, and a request is admitted only once the event loop
has read it: on a busy loop (a burst being read, a host whose CPU is shared) that alone
takes a while, which the render queue does not show. So the loop's lag (`lagged`: how
late a timer of the pool's fires, and how overdue it is right now) counts as time
already spent: `lag + predicted <= budget`.

The service time is a moving estimate, not a constant: an exponentially weighted average
(weight ALPHA per render) of how long a worker is taken by one render (pipe, render,
PNG copy and the loop's own delay in noticing the answer), so it follows the machine: a
busier or slower host admits less. A stall of the loop (reading a burst of requests) is
left out of that sample, since the lag term counts it: counted in both, one stalled render
would triple the estimate in the middle of a burst that fits (pool.py).

A standing queue still tightens the bound (CoDel, Nichols & Jacobson 2012): once every
render taken from the queue for STANDING_AFTER of the budget has waited longer than
TARGET_SECONDS, and demand is still above capacity at its end, the queue is not a burst
draining; a long queue then only adds wait without adding throughput, so only
STANDING_FRACTION of the budget may be queued. Demand is above capacity when, in each of
the last WINDOW_INTERVALS, requests arrived faster than the workers finished them by a
share EXCESS_RATIO: renders admitted plus requests shed, less renders finished, at least
that share of the renders finished (in each: a closed loop stepping up from 32 to 128
connections brings 96 at once, then only as many as are answered).
- A burst is read within a fraction of the budget (1,000 POSTs in about 0.2 s here), so
  by then its queue only shrinks and its sheds have stopped: neither what it admitted nor
  its shed excess cuts the bound.
- A closed loop with a long queue (wrk at 32 or 128 connections) asks only as fast as
  it is answered: its queue neither grows nor is shed, so it does not stand (a shed
  connection sends again at once, so a few sheds do not make it stand either; many
  are the spin below).
- Sustained overload is caught before its queue holds a whole budget (at 3x it takes
  0.7 s to fill), by its growth: what it admits first is the slowest it serves, and
  waiting for its first sheds, or for a whole budget of them, admitted waits of a whole
  budget (a 3x open loop's accepted p99 was 0.94-1.08 s over 30 s, over the budget in a
  CI run; 0.71-0.95 s waiting half a budget for a recent shed). At 3x the queue holds
  about 0.56 s of work when it stands at 0.4 of the budget: accepted p99 0.63-0.75 s in
  thirteen of fourteen runs here, 0.90 s in one (0.68-0.87 s standing at half the budget).
Standing lapses when a worker waits IDLE_SECONDS for its next render (demand fell below
capacity). It also lapses when, over the last WINDOW_INTERVALS, more than SPIN_RATIO
requests were shed per render: that is not a crowd arriving faster than we render (an
open loop at 3x sheds 1.5-2 per render) but clients that resend at once whatever
Retry-After says (wrk, a retry loop); for them a tighter bound only turns renders into
refusals, each costing the loop a round trip (with a tenth of the budget as the standing
bound, wrk at 128 connections got x0.48 of its 8-connection cards/s on a busy machine;
docs/RELIABILITY.md). Over the window, not one interval: in an interval where the workers
got little CPU (7 renders instead of 30) an open loop's 60 sheds look like spinning, and
a lapse there lets the half-full queue grow to a whole budget before it stands again.
"""

from __future__ import annotations

import math
import time
from collections import deque

ALPHA = 0.1  # weight of each new render in the service-time average (about the last 20 renders)
INITIAL_SERVICE_SECONDS = 0.010  # the estimate before any render is timed (one takes 4-7 ms here)
TARGET_SECONDS = 0.010  # CoDel's target: about two renders' time
INTERVAL_SECONDS = 0.100  # the period over which arrivals, sheds and renders are counted
STANDING_AFTER = 0.4  # share of the budget a queue waits above target, demand above capacity, before it stands
WINDOW_INTERVALS = 3  # arrivals and renders are compared in each of this many intervals (300 ms)
EXCESS_RATIO = 0.5  # arrivals 1.5x the renders (at 3x: 2.4x; a closed loop: 1x, give or take a few)
IDLE_SECONDS = 0.010  # a worker idle this long means the queue has really drained (not a blip)
STANDING_FRACTION = 0.5  # share of the budget a standing queue may hold (500 ms of a 1 s budget)
# One render can take several times the usual on a shared host (its worker descheduled while
# the loop reads a burst: 20-40 ms against 6). Counted whole, such samples took the average
# from 6.5 to 13 ms in a 1,000-card burst, which halves what the next burst is admitted
# (most likely a CI run's 256-card burst served under 149); capped at twice the estimate,
# one sample moves it by at most 10%, and a host that really got slower is still followed
# (x2 within ~8 renders).
SPIKE_FACTOR = 2.0
LAG_ALPHA = 0.3  # weight of each loop-lag sample (one per LAG_PERIOD_SECONDS in pool.py)
SPIN_RATIO = 8  # sheds per render, over the window, that tell clients resending at once (see below)


class Admission:
    def __init__(self, workers: int, budget: float) -> None:
        self.workers = workers
        self.budget = budget
        self.service_seconds = INITIAL_SERVICE_SECONDS
        self.lag_seconds = 0.0  # moving average of the event loop's lag
        self.standing = False
        self._above_since: float | None = None  # when waits went over the target, if they still are
        self._admitted = self._sheds = self._renders = 0  # since the interval began at _counted_from
        # (arrived, shed, rendered) per interval, the last WINDOW_INTERVALS of them
        self._window: deque[tuple[int, int, int]] = deque(maxlen=WINDOW_INTERVALS)
        self._counted_from = -math.inf  # the first render's wait closes the first interval

    @property
    def bound(self) -> float:
        """The predicted latency admitted right now: the budget, less while a queue stands."""
        return self.budget * STANDING_FRACTION if self.standing else self.budget

    @property
    def limit(self) -> int:
        """The most renders in flight the bound admits now, the loop's lag as it stands
        (at least one per worker)."""
        room = max(0.0, self.bound - self.lag_seconds)
        return max(self.workers, math.floor(room * self.workers / self.service_seconds + 1e-9))

    def predicted(self, in_flight: int) -> float:
        """Seconds until one more render, joining `in_flight` ones, would be done."""
        return max(in_flight + 1, self.workers) / self.workers * self.service_seconds

    def drain_seconds(self, in_flight: int) -> float:
        """Seconds the pool needs to finish `in_flight` renders: the Retry-After of a shed."""
        return in_flight / self.workers * self.service_seconds

    def admits(self, in_flight: int, overdue: float = 0.0) -> bool:
        """Whether one more render may join `in_flight` ones, for a request read by a loop
        whose lag timer is `overdue` seconds late right now; a refusal is counted as shed."""
        lag = max(self.lag_seconds, overdue)
        if in_flight < self.workers or lag + self.predicted(in_flight) <= self.bound:
            return True
        self._sheds += 1
        return False

    def joined(self) -> None:
        """An admitted render joined the queue (a request may be asked about more than once:
        before its body is read, and again when it is rendered)."""
        self._admitted += 1

    def served(self, seconds: float) -> None:
        """A worker spent `seconds` on one render (counted as at most SPIKE_FACTOR
        times the estimate: see the constant)."""
        seconds = min(seconds, SPIKE_FACTOR * self.service_seconds)
        self.service_seconds += ALPHA * (seconds - self.service_seconds)
        self._renders += 1

    def lagged(self, seconds: float) -> None:
        """The loop ran a timer `seconds` late."""
        self.lag_seconds += LAG_ALPHA * (max(0.0, seconds) - self.lag_seconds)

    def waited(self, seconds: float, now: float | None = None) -> None:
        """A render left the queue after waiting `seconds`."""
        now = time.monotonic() if now is None else now
        if now - self._counted_from >= INTERVAL_SECONDS:
            self._end_interval(now)
        if seconds < TARGET_SECONDS:
            self._above_since = None
        elif self._above_since is None:
            self._above_since = now
        elif (not self.standing and now - self._above_since >= STANDING_AFTER * self.budget
              and self._demand_above_capacity()):
            self.standing = True

    def _demand_above_capacity(self) -> bool:
        """In each of the last WINDOW_INTERVALS, arrivals (admitted or shed) exceeded the
        renders finished by EXCESS_RATIO of them."""
        return len(self._window) == WINDOW_INTERVALS and all(
            arrived - rendered >= EXCESS_RATIO * max(1, rendered) for arrived, _, rendered in self._window)

    def _end_interval(self, now: float) -> None:
        """Close the interval that ends `now`; judge the sheds per render over the window."""
        self._window.append((self._admitted + self._sheds, self._sheds, self._renders))
        shed, rendered = sum(w[1] for w in self._window), sum(w[2] for w in self._window)
        if self.standing and shed > SPIN_RATIO * max(1, rendered):  # resending at once: let them in
            self.standing, self._above_since = False, None
        self._admitted, self._sheds, self._renders, self._counted_from = 0, 0, 0, now

    def worker_waited(self, seconds: float) -> None:
        """A worker found the queue empty and waited `seconds` for its next render."""
        if seconds >= IDLE_SECONDS:
            self.standing, self._above_since = False, None
