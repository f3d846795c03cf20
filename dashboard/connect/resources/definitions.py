"""A version's definitions (the JSON Schemas its actions and triggers use)."""

import builtins
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from ..models import Definition, DefinitionCreate, DefinitionUpdate
from ._base import field, force_param, target
from .contents import VersionContents

_DEFINITIONS = TypeAdapter(list[Definition])
_RAW_SCHEMA: TypeAdapter[dict[str, Any] | bool] = TypeAdapter(dict[str, Any] | bool)


class Definitions(VersionContents[Definition]):
    kind = "definition"
    model = Definition

    def create(
        self, connector_id: str, version: str, definitions: Sequence[DefinitionCreate]
    ) -> builtins.list[Definition]:
        """CreateDefinitions: several at once, which may reference each other."""
        return self._write(
            "create_definitions",
            target("definition", name=", ".join(d.name for d in definitions)),
            "POST",
            self._contents(connector_id, version),
            json={"definitions": [definition.to_api() for definition in definitions]},
            parse=field("definitions", _DEFINITIONS.validate_python),
        )

    def update(
        self, connector_id: str, version: str, definition_name: str, definition: DefinitionUpdate
    ) -> Definition:
        """UpdateDefinition (drafts only)."""
        return self._write(
            "update_definition",
            target("definition", definition.id, definition_name),
            "PUT",
            self._contents(connector_id, version, definition_name),
            json=definition.to_api(),
            parse=Definition.model_validate,
        )

    def delete(
        self, connector_id: str, version: str, definition_name: str, *, force: bool = False
    ) -> None:
        """DeleteDefinition; PreconditionFailed (412, its body lists `referencedBy`) while
        other items reference it, unless `force`."""
        self._write(
            "delete_definition",
            target("definition", name=definition_name),
            "DELETE",
            self._contents(connector_id, version, definition_name),
            params=force_param(force),
        )

    def delete_many(
        self,
        connector_id: str,
        version: str,
        *,
        ids: Sequence[str] = (),
        names: Sequence[str] = (),
        all: bool = False,
        force: bool = False,
    ) -> None:
        """DeleteDefinitions: by ids and/or names, or `all`."""
        body: dict[str, Any] = {"all": True} if all else {}
        body |= {"ids": list(ids)} if ids else {}
        body |= {"names": list(names)} if names else {}
        self._write(
            "delete_definitions",
            target("definition", name="(all)" if all else ", ".join([*ids, *names])),
            "DELETE",
            self._contents(connector_id, version),
            json=body,
            params=force_param(force),
        )

    def raw_schema(
        self, connector_id: str, version: str, schema_filename: str
    ) -> dict[str, Any] | bool:
        """GetRawSchema: the JSON Schema a definition's `url` points at."""
        return self._get(
            self._org("schemas", connector_id, version, schema_filename),
            _RAW_SCHEMA.validate_python,
            headers={"Accept": "application/schema+json, application/json"},
        )
