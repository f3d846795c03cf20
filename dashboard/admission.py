"""Admission control: at most WEB_THREADS requests are served at once in a process; the rest
wait up to WEB_QUEUE_TIMEOUT seconds for a turn, counted from when the server queued them
(dashboard/server_worker.py), then get a quick `503` with `Retry-After`.

Under a burst the server answers "busy, retry" in seconds instead of letting a queue grow
until clients time out, and latency returns to normal as soon as the burst ends. The
in-process Connect API calls go to Django's handler directly, never through here, so a request
that holds a turn never waits for a second one (no deadlock however full the process is).
"""

import logging
import math
import threading
import time

logger = logging.getLogger(__name__)

BUSY_BODY = b"Patchbay is busy. Please try again in a few seconds.\n"
# When the server queued the current thread's request (time.monotonic()); unset: just now.
queued_since = threading.local()


class AdmissionControl:
    def __init__(self, app, slots: int, queue_timeout: float):
        self.app = app
        self.queue_timeout = queue_timeout
        self._turns = threading.BoundedSemaphore(slots)
        self._retry_after = str(max(1, math.ceil(queue_timeout)))

    def __call__(self, environ, start_response):
        if not self._take_turn():
            logger.warning(
                "Busy: %s %s refused with 503", environ["REQUEST_METHOD"], _path(environ)
            )
            start_response(
                "503 Service Unavailable",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(BUSY_BODY))),
                    ("Retry-After", self._retry_after),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [BUSY_BODY]
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._turns.release()
            raise
        return _ReleasedOnClose(body, self._turns.release)

    def _take_turn(self) -> bool:
        queued_at = getattr(queued_since, "at", None)
        waited = time.monotonic() - queued_at if queued_at else 0.0
        left = self.queue_timeout - waited
        # Out of time already: served only if a turn is free this instant.
        return self._turns.acquire(timeout=left) if left > 0 else self._turns.acquire(False)


class _ReleasedOnClose:
    """The response body, giving the turn back once the server has sent it (or given up)."""

    def __init__(self, body, release):
        self._body = body
        self._release = release

    def __iter__(self):
        return iter(self._body)

    def close(self):
        try:
            if hasattr(self._body, "close"):
                self._body.close()
        finally:
            self._release()


def _path(environ) -> str:
    return environ.get("PATH_INFO", "")[:200]
