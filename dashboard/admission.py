"""Admission control: at most WEB_THREADS requests are served at once in a process; the rest
wait up to WEB_QUEUE_TIMEOUT seconds for a turn, then get a quick `503` with `Retry-After`.

Under a burst the server answers "busy, retry" in seconds instead of letting a queue grow
until clients time out, and latency returns to normal as soon as the burst ends. The
in-process Connect API calls go to Django's handler directly, never through here, so a request
that holds a turn never waits for a second one (no deadlock however full the process is).
"""

import logging
import math
import threading

logger = logging.getLogger(__name__)

BUSY_BODY = b"Patchbay is busy. Please try again in a few seconds.\n"


class AdmissionControl:
    def __init__(self, app, slots: int, queue_timeout: float):
        self.app = app
        self.queue_timeout = queue_timeout
        self._turns = threading.BoundedSemaphore(slots)
        self._retry_after = str(max(1, math.ceil(queue_timeout)))

    def __call__(self, environ, start_response):
        if not self._turns.acquire(timeout=self.queue_timeout):
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
