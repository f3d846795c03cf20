"""Connect API failures that escape a view become a readable error panel, never a traceback.

Views let `ConnectError` propagate (they catch `APIError` only to put its `fields` next to form
fields); this middleware answers for them:
- a full page with the error panel for normal requests;
- for an htmx GET that loads a region (it names its target in `HX-Target`), the panel swapped
  into that region (`HX-Retarget`), so a results list shows its error state in place;
- for other htmx requests (form posts), a one-sentence plain-text body, which
  static/js/patchbay.js shows in the error region, leaving what the user typed untouched.

The failure is logged as one WARNING line (operation, error class, request id): an API that is
down is an operational condition, not a bug, so no traceback and no `django.request` error.
"""

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.connect import (
    APIError,
    CircuitOpen,
    ConnectError,
    ConnectTimeout,
    Forbidden,
    NotFound,
)

log = logging.getLogger("dashboard.web.upstream")

PANEL_TEMPLATE = "includes/error_panel.html"
# `HX-Target` is an element id; anything else is not ours and gets the plain-text answer.
_ELEMENT_ID = re.compile(r"^[A-Za-z][\w-]{0,100}$")
PAGE_TEMPLATE = "upstream_error.html"


def status_for(error: ConnectError) -> int:
    """The status the dashboard answers with: the API's own for refusals it explains (4xx),
    504 when it was too slow, 503 while the circuit breaker pauses calls, else 502."""
    if isinstance(error, APIError) and 400 <= error.status < 500:
        return error.status
    if isinstance(error, ConnectTimeout):
        return 504
    if isinstance(error, CircuitOpen):
        return 503
    return 502


def title_for(error: ConnectError) -> str:
    if isinstance(error, NotFound):
        return "Not found"
    if isinstance(error, Forbidden):
        return "Not allowed by the Connect API"
    if isinstance(error, APIError) and error.status < 500:
        return "The Connect API refused the request"
    return "The Connect API is not available"


class UpstreamErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConnectError):
            return None
        status = status_for(exception)
        match = request.resolver_match
        log.warning(
            "%s %s: %s from the Connect API (request id %s)",
            request.method,
            match.view_name if match else request.path,
            type(exception).__name__,
            getattr(request, "request_id", "-"),
        )
        response = _respond(request, exception, status)
        # The line above is the record; keep django.request from adding an ERROR for the 5xx.
        response._has_been_logged = True
        return response


def _respond(request: HttpRequest, error: ConnectError, status: int) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    context = {"error": error.message, "title": title_for(error)}
    if not htmx or htmx.boosted or htmx.history_restore_request:
        # Trying again helps when the API failed (5xx), not when it said no (a 404, a 403).
        retry = request.method == "GET" and status >= 500
        context["retry_url"] = request.get_full_path() if retry else None
        return render(request, PAGE_TEMPLATE, context, status=status)
    if request.method == "GET" and _ELEMENT_ID.match(htmx.target or ""):
        response = render(request, PANEL_TEMPLATE, context, status=status)
        response["HX-Retarget"] = f"#{htmx.target}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return HttpResponse(error.message, content_type="text/plain; charset=utf-8", status=status)
