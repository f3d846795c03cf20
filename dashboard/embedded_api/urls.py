"""The embedded Connect API, mounted at /api/connect/v1/. Each area keeps its own routes."""

from django.urls import include, path, re_path

from .errors import not_found
from .http import api_view


def _unknown(request, **kwargs):
    raise not_found("endpoint")


urlpatterns = [
    path("", include("dashboard.embedded_api.connectors.urls")),
    path("", include("dashboard.embedded_api.versions.urls")),
    path("", include("dashboard.embedded_api.connections.urls")),
    path("", include("dashboard.embedded_api.imports.urls")),
    # Anything else under the API answers in the contract's error format, not Django's HTML
    # (`[\s\S]`, not `.`: a path can hold a newline, from `%0A`).
    re_path(
        r"^[\s\S]*$",
        api_view(
            public=True, get=_unknown, post=_unknown, put=_unknown, delete=_unknown, patch=_unknown
        ),
    ),
]
