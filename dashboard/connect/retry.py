"""When to retry a request to the Connect API, and how long to wait first.

Only idempotent methods are retried, and only when the failure says nothing reached the
application or it asked us to come back: a transport error, or 502/503/504. A POST is never
retried, since a create that timed out may well have happened.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    backoff_base: float = 0.2  # seconds before the first retry (before jitter)
    backoff_cap: float = 2.0  # longest wait between attempts without a Retry-After
    retry_after_cap: float = 5.0  # longest Retry-After we honour; the deadline bounds it too

    def allows(self, method: str, retries_done: int) -> bool:
        return method.upper() in IDEMPOTENT_METHODS and retries_done < self.max_retries

    def delay(self, retries_done: int, retry_after: str | None = None) -> float:
        """Seconds to wait before the next attempt: the server's Retry-After (bounded), else
        capped exponential backoff with jitter (between half and all of the step) so clients
        that failed together do not retry together."""
        asked = parse_retry_after(retry_after)
        if asked is not None:
            return min(asked, self.retry_after_cap)
        step = min(self.backoff_cap, self.backoff_base * 2**retries_done)
        return random.uniform(step / 2, step)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
