"""One template per screen: the whole page, or for htmx, the named partial that changed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.vary import vary_on_headers

from dashboard.web.redirects import safe_hx_redirect

# A form re-rendered with its problems: static/js/patchbay.js swaps 422s like a 200.
FORM_ERRORS = 422

# Views that answer an htmx request with a fragment and others with a page.
vary_on_htmx = vary_on_headers("HX-Request", "HX-History-Restore-Request")


def is_fragment(request: HttpRequest) -> bool:
    """Whether to answer with a partial: htmx swaps, not boosted navigation nor a history
    restore (htmx asks for the whole page when its history cache misses)."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_screen(
    request: HttpRequest, template: str, partial: str, context: dict, status: int = 200
) -> HttpResponse:
    """`template` for a page request, its `{% partialdef partial %}` for an htmx one."""
    name = f"{template}#{partial}" if is_fragment(request) else template
    return render(request, name, context, status=status)


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """After a change: a full page load of `url` (our own URL), by HX-Redirect for htmx."""
    if request.htmx:
        return safe_hx_redirect(request, url)
    return redirect(url)
