"""A circuit breaker: after repeated upstream failures, fail at once for a cool-down.

When the Connect API is down, every page would otherwise wait out its full deadline (and its
retries) before showing an error, and the piled-up requests slow the API's recovery. The
breaker counts consecutive failures (transport errors and 5xx); at the threshold it opens and
`check()` raises `CircuitOpen` without touching the network. After the cool-down one trial
request is let through: success closes the breaker, failure opens it for another cool-down.
"""

import threading
import time
from collections.abc import Callable

from .errors import CircuitOpen


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None

    def check(self) -> None:
        """Raise `CircuitOpen` unless a request may go out now."""
        if self.threshold <= 0:
            return
        with self._lock:
            if self._opened_at is None:
                return
            waited = self._clock() - self._opened_at
            if waited < self.cooldown or self._trial_in_flight:
                raise CircuitOpen(retry_in=max(self.cooldown - waited, 0.0))
            # Half-open: this caller is the one trial; everyone else keeps failing fast.
            self._trial_in_flight = True

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_in_flight = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._trial_in_flight = False
            if self._opened_at is not None or self._failures >= self.threshold > 0:
                self._opened_at = self._clock()
