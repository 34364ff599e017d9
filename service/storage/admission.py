"""Whether a new card may be taken while earlier ones are still being stored (SPEC §8).

The render pool's admission (service/render/admission.py) sees only the render queue. When
the store slows down or stalls (S3 answering in seconds, or not at all until the per-upload
deadline), renders still finish in milliseconds, so every arriving request would be admitted,
rendered, and then held, PNG and all, waiting on the store. Measured with S3 stalled behind
the fault proxy and 200 requests/s arriving: the server process grew from 125 to 454 MiB in
8 s (and kept it), and every request was answered 503 after the 5 s deadline, each after a
render spent for nothing.

So the store is *behind* when its uploads take longer than the latency budget: the moving
average of finished uploads (failures count, with the time they took), or, for a store that
has just stalled and finished nothing since, MIN_IN_FLIGHT uploads already running for longer
than the budget (one upload retrying after a 500 is not a stall). While it is behind, a
request is refused if MIN_IN_FLIGHT uploads are in flight: 503 `storage_unavailable` at once,
before its body is read or anything rendered. Those few keep probing the store, and when it
answers again their quick finishes bring the average down within a few dozen uploads.
Memory stays bounded by about one budget's worth of arrivals, and users learn in
milliseconds rather than after the deadline. A healthy store is never behind, whatever the
load; a burst after an idle minute is not refused (nothing is old, the average is of
uploads that went well); local disk, written from the loop, has one upload in flight at most.

Only admission is refused: an admitted card is always stored or answered with its own error.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator

from service.storage import StorageUnavailable

MIN_IN_FLIGHT = 8  # uploads always allowed: they notice a store that comes back
ALPHA = 0.1  # weight of each finished upload in the average (one retried upload of 3 s: +0.3 s)


class UploadAdmission:
    """Uploads in flight, when each began, and the moving average of their times."""

    def __init__(self, budget: float, retry_after: float) -> None:
        self.budget = budget
        self.retry_after = retry_after
        self.upload_seconds = 0.0
        self._started: dict[int, float] = {}  # upload -> when it began; in starting order
        self._tokens = itertools.count()

    @property
    def in_flight(self) -> int:
        return len(self._started)

    @property
    def behind(self) -> bool:
        """Whether the store's uploads take longer than the budget."""
        if self.upload_seconds > self.budget:
            return True
        if len(self._started) < MIN_IN_FLIGHT:
            return False
        oldest_few = next(itertools.islice(self._started.values(), MIN_IN_FLIGHT - 1, None))
        return time.monotonic() - oldest_few > self.budget

    def admit(self) -> None:
        """Raise StorageUnavailable (503 at once, Retry-After) if the store is behind."""
        if len(self._started) >= MIN_IN_FLIGHT and self.behind:
            raise StorageUnavailable(
                f"The card store is answering slowly: {len(self._started)} cards are still being "
                "stored. Please retry in a moment.", retry_after=self.retry_after)

    @contextlib.contextmanager
    def uploading(self) -> Iterator[None]:
        """Around one card's upload: in flight meanwhile, then its time into the average."""
        token, began = next(self._tokens), time.monotonic()
        self._started[token] = began
        try:
            yield
        finally:
            del self._started[token]
            self.upload_seconds += ALPHA * (time.monotonic() - began - self.upload_seconds)
