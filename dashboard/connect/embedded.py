"""Talking to the embedded Connect API in process.

The embedded API's WSGI app runs on a small pool of worker threads, so each inner request gets
its own database connection and Django's end-of-request clean-up (which closes the thread's
connection) never touches the outer request's connection or transaction. Being in process, it
cannot deadlock a single-worker server the way a call to itself over loopback would. The pool
has a thread for each request the process serves at once (WEB_THREADS), and the inner calls
bypass the server's admission control (dashboard/admission.py), so they never wait for a turn
their own outer request holds.
"""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import httpx
from django.core.handlers.wsgi import WSGIHandler

EMBEDDED_HOST = "embedded-connect-api"
# HTTPS in name only (nothing crosses a network), so that SECURE_SSL_REDIRECT, which sends plain
# HTTP requests to HTTPS, lets the in-process requests through.
EMBEDDED_BASE_URL = f"https://{EMBEDDED_HOST}/api/connect/v1"


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, workers: int = 4):
        self._wsgi = httpx.WSGITransport(app=WSGIHandler())
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embedded-api")

    def _call(self, request: httpx.Request) -> httpx.Response:
        # Read and close on the worker thread: closing fires Django's request_finished there.
        response = self._wsgi.handle_request(request)
        try:
            raw = b"".join(response.iter_raw())  # as sent: the session inflates it, bounded
        finally:
            response.close()
        return httpx.Response(
            response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        future = self._pool.submit(self._call, request)
        # Honour the caller's deadline like a socket would; the worker finishes in the background.
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            raise httpx.ReadTimeout(
                "The embedded API did not answer in time.", request=request
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False)
