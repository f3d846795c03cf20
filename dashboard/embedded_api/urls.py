"""The embedded Connect API, mounted at /api/connect/v1/. Each area keeps its own routes."""

from django.urls import include, path, re_path, register_converter

from .errors import not_found
from .http import api_view


class ULIDConverter:
    """An organisation id (the contract's `format: ulid`, Crockford's base 32); anything else
    is an unknown endpoint, never a value the database cannot hold."""

    regex = "[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered before the areas' routes below are imported, which use it.
register_converter(ULIDConverter, "ulid")


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
