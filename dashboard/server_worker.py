"""gunicorn's threaded worker, noting when each request was queued for a thread.

The worker accepts connections as they come (up to worker_connections) and queues them for
its threads; admission control (dashboard/admission.py) counts a request's wait from here, so
time spent in this queue counts against WEB_QUEUE_TIMEOUT too.
"""

import time

from gunicorn.workers.gthread import ThreadWorker

from dashboard.admission import queued_since


class QueueTimedThreadWorker(ThreadWorker):
    def enqueue_req(self, conn):
        conn.queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn):
        queued_since.at = getattr(conn, "queued_at", None)
        return super().handle(conn)
