"""A request id for every request: taken from `X-Request-ID` when sane, else made up.

It is echoed in the response, put on log records, and forwarded to the Connect API so one id
follows an operation from the browser to the backend. Each request is logged once, when
answered (logger `dashboard.access`), with its method, path, status and duration.
"""

import contextvars
import logging
import re
import time
import uuid

_current = contextvars.ContextVar("request_id", default="-")
access_log = logging.getLogger("dashboard.access")
_SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True
