"""Talking to the embedded Connect API in process.

Being in process, a call cannot deadlock a single-worker server the way a call to itself over
loopback would, and it bypasses the server's admission control (dashboard/admission.py), so it
never waits for a turn its own outer request holds.

A call runs on the calling thread, on that thread's database connection, when no transaction
is open there: no thread hand-off (under load, waiting for another thread to be scheduled
cost more than the call itself) and no second connection. Django's per-request signals are
not sent for it, since their clean-up (closing the thread's connections) belongs to the outer
request. Inside a transaction a call goes to a small pool of worker threads instead, each
with its own connection, so the API's work commits on its own (as it would on a remote API)
and never joins, or breaks, the caller's transaction. The pool has a thread for each request
the process serves at once (WEB_THREADS), so a request never waits for one.

A call goes through `MIDDLEWARE` only, not the site's: it comes from this server's own code,
inside a request that already went through sessions, authentication, CSRF, CSP and the rest.
The API's views check the caller's credential and record their own audit themselves.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import httpx
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, get_script_name
from django.db import connections
from django.urls import get_script_prefix, set_script_prefix
from django.utils.module_loading import import_string

EMBEDDED_HOST = "embedded-connect-api"
# HTTPS in name only (nothing crosses a network), as a remote API's would be.
EMBEDDED_BASE_URL = f"https://{EMBEDDED_HOST}/api/connect/v1"
# The middleware of an in-process call: its request id, on its log lines and access log entry.
MIDDLEWARE = ["dashboard.request_id.RequestIdMiddleware"]


class _Handler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        """Django's chain of middleware around the view, made of `MIDDLEWARE` (plain
        callables, with no view, template-response or exception hooks)."""
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler

    def on_calling_thread(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> list[bytes]:
        """WSGIHandler's answer without request_started/request_finished (no connection of
        this thread is closed or reset) and with the body read at once. The outer request's
        URL prefix (e.g. an environment's) is set aside meanwhile."""
        outer_prefix = get_script_prefix()
        set_script_prefix(get_script_name(environ))
        request = self.request_class(environ)
        try:
            response = self.get_response(request)
            cookies = [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
            start_response(
                f"{response.status_code} {response.reason_phrase}", [*response.items(), *cookies]
            )
            return [response.content]  # type: ignore[attr-defined]  # never streamed
        finally:
            request.close()  # uploaded files; the response is not closed (that sends the signal)
            set_script_prefix(outer_prefix)


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, workers: int = 4):
        handler = _Handler()
        self._here = httpx.WSGITransport(app=handler.on_calling_thread)
        self._wsgi = httpx.WSGITransport(app=handler)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embedded-api")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not _in_transaction():
            return _read(self._here.handle_request(request))
        future = self._pool.submit(self._call, request)
        # Honour the caller's deadline like a socket would; the worker finishes in the background.
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            raise httpx.ReadTimeout(
                "The embedded API did not answer in time.", request=request
            ) from None

    def _call(self, request: httpx.Request) -> httpx.Response:
        # Read and close on the worker thread: closing fires Django's request_finished there.
        return _read(self._wsgi.handle_request(request))

    def close(self) -> None:
        self._pool.shutdown(wait=False)


def _in_transaction() -> bool:
    return any(c.in_atomic_block for c in connections.all(initialized_only=True))


def _read(response: httpx.Response) -> httpx.Response:
    try:
        raw = b"".join(response.iter_raw())  # as sent: the session inflates it, bounded
    finally:
        response.close()
    return httpx.Response(
        response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
    )
