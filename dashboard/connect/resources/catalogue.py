"""What connectors are made from: categories, protocols and their auth scheme types."""

import builtins

from pydantic import TypeAdapter

from ..models import AuthScheme, Protocol
from ..pagination import Page
from ._base import Resource, cursor

_STRINGS = TypeAdapter(list[str])


class Categories(Resource):
    def list(self) -> builtins.list[str]:
        """ListCategories: every category a connector may have."""
        return self._get("categories", _STRINGS.validate_python)


class Protocols(Resource):
    def list(
        self, *, first: int | None = None, after: str | None = None, before: str | None = None
    ) -> Page[Protocol]:
        """ListProtocols: the protocols this organisation may use."""
        return self._page(
            self._org("protocols"), "protocols", Protocol, cursor(first, after, before)
        )


class AuthSchemes(Resource):
    def list(self, protocol_slug: str) -> Page[AuthScheme]:
        """ListAuthSchemes: the auth scheme types a protocol supports."""
        path = self._org("protocols", protocol_slug, "auth-schemes")
        return self._page(path, "authSchemes", AuthScheme, {})
