"""What a version holds (actions, triggers, definitions): each kind is listed and read the
same way, at `.../versions/<version>/<kind>s`."""

from typing import Generic, TypeVar

from pydantic import BaseModel

from ..pagination import Page
from ._base import Resource, cursor

T = TypeVar("T", bound=BaseModel)


class VersionContents(Resource, Generic[T]):
    kind: str  # "action", "trigger" or "definition": the path, the page's key, audit names
    model: type[T]

    def list(
        self,
        connector_id: str,
        version: str,
        *,
        name: str | None = None,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[T]:
        """GetActions/GetTriggers/GetDefinitions; `name` is a case-insensitive substring
        filter."""
        return self._page(
            self._contents(connector_id, version),
            f"{self.kind}s",
            self.model,
            cursor(first, after, before) | {"name": name},
        )

    def get(self, connector_id: str, version: str, name: str) -> T:
        """GetAction/GetTrigger/GetDefinition (a definition with what references it)."""
        return self._get(self._contents(connector_id, version, name), self.model.model_validate)

    def _contents(self, connector_id: str, version: str, *name: str) -> str:
        return self._version(connector_id, version, f"{self.kind}s", *name)
