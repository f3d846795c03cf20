"""Account pages Django's auth views do not cover."""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render

CSRF_FAILURE_MESSAGE = (
    "Patchbay refused this request because its security token is missing or out of date. "
    "Reload the page and try again."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: one sentence for the htmx error region, a styled page otherwise."""
    if request.headers.get("HX-Request") == "true":
        return HttpResponseForbidden(CSRF_FAILURE_MESSAGE, content_type="text/plain; charset=utf-8")
    return render(request, "403_csrf.html", {"message": CSRF_FAILURE_MESSAGE}, status=403)
