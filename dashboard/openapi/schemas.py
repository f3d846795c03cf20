"""OpenAPI schemas to definitions: JSON Schemas that refer to each other by name.

Rules:
- Every `components.schemas` entry becomes a definition, in document order, named after its
  key (made valid and unique, see `names`).
- A `$ref` to a schema becomes `{"$ref": "#/$defs/<definition name>"}`, the form the
  Connect API's DefinitionsCreate uses for references between definitions. A `$ref` that
  points somewhere other than `components.schemas` (into another schema, or into an
  operation) makes that target a definition of its own, named after its location. Circular
  references stay references, so they never recurse.
- Request and response schemas written inline become definitions named after their action or
  trigger (see `operations`).
- `accept` lists the media types whose content uses the definition, directly or through other
  definitions that refer to it, in order of first use; a definition nobody uses gets
  `application/json`.
- The schema is JSON Schema 2020-12. From OpenAPI 3.0: `nullable: true` adds "null" to `type`
  (and `null` to `enum`), boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers, and
  keywords next to a `$ref` are dropped (3.0 ignores them). In both versions `example`
  becomes `examples: [example]` and `discriminator.mapping` references are rewritten like
  `$ref`s. Other OpenAPI keywords (`discriminator`, `xml`, `readOnly`...) are kept as
  annotations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .messages import pointer
from .names import NameAllocator
from .refs import Document

SCHEMA_CONTENT_TYPE = "application/schema+json"
DEFAULT_ACCEPT = "application/json"
COMPONENT_SCHEMAS = "/components/schemas/"

SUBSCHEMA_MAPS = frozenset(
    ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
)
SUBSCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
SUBSCHEMAS = frozenset(
    [
        "items",
        "additionalProperties",
        "additionalItems",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    ]
)


@dataclass
class Definition:
    """One definition: the contract's DefinitionsCreateDefinition, with the schema as data."""

    name: str
    schema: dict[str, Any] | bool
    description: str = ""
    accept: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # names of definitions it refers to
    source: str = ""  # JSON pointer of the schema in the document

    def to_create(self) -> dict[str, Any]:
        """The contract's `DefinitionsCreateDefinition` JSON (schema serialised as JSON)."""
        return {
            "name": self.name,
            "accept": list(self.accept),
            "description": self.description,
            "schema": {
                "contentType": SCHEMA_CONTENT_TYPE,
                "content": json.dumps(self.schema, separators=(",", ":")),
            },
        }


def definition_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


class DefinitionBuilder:
    """Builds definitions for one document; operations ask it for definitions by schema."""

    def __init__(self, doc: Document, version: str, names: NameAllocator) -> None:
        self.doc = doc
        self.openapi_30 = version == "3.0"
        self.names = names
        self._by_source: dict[str, Definition] = {}
        self._direct_accept: dict[str, dict[str, None]] = {}

    @property
    def definitions(self) -> list[Definition]:
        return list(self._by_source.values())

    def add_components(self) -> None:
        """Create a definition for every `components.schemas` entry (names first, so forward
        and circular references resolve)."""
        schemas = (self.doc.root.get("components") or {}).get("schemas") or {}
        created = [
            self._register(pointer("components", "schemas", key), key, s)
            for key, s in schemas.items()
        ]
        for definition, schema in zip(created, schemas.values(), strict=True):
            self._fill(definition, schema)

    def for_schema(self, schema: Any, where: str, name: str, description: str = "") -> Definition:
        """The definition for a request/response schema at `where`: the referenced definition
        for a bare `$ref`, else a new definition called `name` for the inline schema."""
        if (
            isinstance(schema, dict)
            and set(schema) <= {"$ref", "description", "summary"}
            and "$ref" in schema
        ):
            return self._for_ref(schema["$ref"])
        if where in self._by_source:
            return self._by_source[where]
        definition = self._register(where, name, schema)
        self._fill(definition, schema)
        if not definition.description:
            definition.description = description
        return definition

    def use(self, definition: Definition, media_type: str) -> None:
        """Record that content of `media_type` uses the definition (for its `accept`)."""
        self._direct_accept.setdefault(definition.name, {})[media_type] = None

    def finish(self) -> list[Definition]:
        """Set every definition's `accept` and return them all, in creation order."""
        by_name = {d.name: d for d in self._by_source.values()}
        accept: dict[str, dict[str, None]] = {name: {} for name in by_name}
        for name, media_types in self._direct_accept.items():
            pending, seen = [name], {name}
            while pending:
                current = pending.pop()
                accept[current].update(media_types)
                for ref in by_name[current].references:
                    if ref not in seen:
                        seen.add(ref)
                        pending.append(ref)
        for name, definition in by_name.items():
            definition.accept = list(accept[name]) or [DEFAULT_ACCEPT]
        return self.definitions

    # -- internals -----------------------------------------------------------------------
    def _register(self, source: str, raw_name: str, schema: Any) -> Definition:
        description = schema.get("description", "") if isinstance(schema, dict) else ""
        definition = Definition(
            name=self.names.allocate(raw_name),
            schema={},
            description=description if isinstance(description, str) else "",
            source=source,
        )
        self._by_source[source] = definition
        return definition

    def _fill(self, definition: Definition, schema: Any) -> None:
        references: dict[str, None] = {}
        definition.schema = self._convert(schema, references)
        definition.references = list(references)

    def _for_ref(self, ref: str) -> Definition:
        source, target = self.doc.resolve(ref)
        if source in self._by_source:
            return self._by_source[source]
        raw_name = (
            source[len(COMPONENT_SCHEMAS) :] if source.startswith(COMPONENT_SCHEMAS) else source
        )
        definition = self._register(source, raw_name.replace("~1", "_").replace("~0", "_"), target)
        self._fill(definition, target)
        return definition

    def _ref_name(self, ref: str, references: dict[str, None]) -> str:
        name = self._for_ref(ref).name
        references[name] = None
        return name

    def _mapping_target(self, target: Any, references: dict[str, None]) -> Any:
        """A discriminator mapping value: a local reference is rewritten, anything else (a bare
        schema name, or a reference `check_refs` never saw because it is not a `$ref`) kept."""
        if not isinstance(target, str) or not target.startswith("#"):
            return target
        try:
            return definition_ref(self._ref_name(target, references))["$ref"]
        except LookupError:
            return target

    def _convert(self, schema: Any, references: dict[str, None]) -> Any:
        if not isinstance(schema, dict):
            return schema  # true/false schemas (3.1), or junk the validator allowed
        if "$ref" in schema and isinstance(schema["$ref"], str):
            ref = definition_ref(self._ref_name(schema["$ref"], references))
            if self.openapi_30 or len(schema) == 1:
                return ref
            schema = {key: value for key, value in schema.items() if key != "$ref"}
            return {**ref, **self._convert(schema, references)}

        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in SUBSCHEMAS:
                if isinstance(value, list):
                    out[key] = [self._convert(item, references) for item in value]
                else:
                    out[key] = self._convert(value, references)
            elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: self._convert(item, references) for name, item in value.items()}
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                out[key] = [self._convert(item, references) for item in value]
            elif (
                key == "discriminator"
                and isinstance(value, dict)
                and isinstance(value.get("mapping"), dict)
            ):
                mapping = {
                    tag: self._mapping_target(target, references)
                    for tag, target in value["mapping"].items()
                }
                out[key] = {**value, "mapping": mapping}
            else:
                out[key] = value

        if "example" in out:
            example = out.pop("example")
            out.setdefault("examples", [example])
        return _from_openapi_30(out) if self.openapi_30 else out


def _from_openapi_30(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's JSON Schema dialect to 2020-12 (`schema` is a fresh copy we may change)."""
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if isinstance(flag, bool):
            del schema[exclusive]
            if flag and bound in schema:
                schema[exclusive] = schema.pop(bound)
    if schema.pop("nullable", False) is not True:
        return schema
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        return schema
    # No single type (allOf/oneOf...): null is allowed alongside whatever the schema allows.
    return {"anyOf": [schema, {"type": "null"}]}
