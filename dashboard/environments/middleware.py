"""Which environment a request shows, from its URL.

`/env/<slug>/rest` shows environment `slug`: the prefix is moved from `path_info` to the
script name, so the URL patterns see `/rest` and every `reverse()`, `{% url %}` and redirect
carries the prefix by itself. A path without it shows the default environment, so every older
URL still works. Two tabs can show two environments. Static files and the embedded API are
served only outside the prefix.
"""

from django.http import Http404, HttpRequest
from django.urls import get_script_prefix, set_script_prefix

from .registry import PREFIX, UnknownEnvironment, activated, split_prefix

_OUTSIDE = ("/api/", "/static/")


class EnvironmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        previous = prefix = get_script_prefix()
        try:
            environment, rest = split_prefix(request.path_info)
        except UnknownEnvironment as error:
            raise Http404(str(error)) from None
        if rest != request.path_info:
            if rest.startswith(_OUTSIDE):
                raise Http404("Static files and the Connect API are not under an environment.")
            script_name = request.META.get("SCRIPT_NAME", "").rstrip("/")
            script_name += f"{PREFIX}{environment.slug}"
            request.META["SCRIPT_NAME"], request.path_info = script_name, rest
            prefix = script_name + "/"
        request.environment = environment  # type: ignore[attr-defined]
        set_script_prefix(prefix)
        try:
            with activated(environment):
                return self.get_response(request)
        finally:
            set_script_prefix(previous)
