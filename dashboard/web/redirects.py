"""htmx navigation headers that can only lead somewhere on this site.

Use these instead of django-htmx's `HttpResponseClientRedirect`/`HttpResponseLocation` whenever
the target could come from a request (a `next` parameter, a form field): an off-site or
`javascript:` target is replaced by the fallback.
"""

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect, HttpResponseLocation


def safe_url(request: HttpRequest, url: str | None, fallback: str = "home") -> str:
    """`url` if it stays on this site (same host, and https if this request is), else the
    fallback (a URL or URL name)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(fallback)


def safe_hx_redirect(
    request: HttpRequest, url: str | None, fallback: str = "home"
) -> HttpResponseClientRedirect:
    """An `HX-Redirect` (full page load) to `url`, or to the fallback if it leads off site."""
    return HttpResponseClientRedirect(safe_url(request, url, fallback))


def safe_hx_location(
    request: HttpRequest, url: str | None, fallback: str = "home", **kwargs
) -> HttpResponseLocation:
    """An `HX-Location` (htmx navigation, no reload) to `url`, or to the fallback if it leads
    off site. `kwargs` are HttpResponseLocation's (target, swap, ...)."""
    return HttpResponseLocation(safe_url(request, url, fallback), **kwargs)
