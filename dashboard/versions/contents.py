"""Fetching a version's contents through the service layer, to compare two versions.

A definition's schema is one call each, so a large version takes many calls. A published
version cannot change (until unpublished, which gives it a new `publishedAt` when published
again), so its contents are cached: comparing drafts against the latest published version
then fetches only the draft. A draft is always fetched afresh: the publish gate counts its
breaking changes, and must not count them from an older copy.
"""

import contextvars
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.cache import cache

from dashboard.connect import LARGEST_PAGE, ConnectClient
from dashboard.connect.models import Action, ConnectorVersion, Definition, Trigger
from dashboard.openapi.breaking import Report, Snapshot, classify

# Raw schemas are one call each; a few at a time keeps a large version's diff quick.
SCHEMA_FETCHERS = 4
PUBLISHED_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Contents:
    """Everything in one version that a comparison reads. `schemas` maps a definition's name
    to its JSON Schema with references to other definitions by name (`named_refs`); a
    definition without one (an XML Schema) is left out."""

    actions: Sequence[Action] = ()
    triggers: Sequence[Trigger] = ()
    definitions: Sequence[Definition] = ()
    schemas: Mapping[str, Any] = field(default_factory=dict)

    def snapshot(self) -> Snapshot:
        """The contract JSON the breaking-change rules (dashboard.openapi.breaking) read."""
        return Snapshot(
            actions={a.name: a.model_dump(by_alias=True, mode="json") for a in self.actions},
            triggers={t.name: t.model_dump(by_alias=True, mode="json") for t in self.triggers},
            definitions={
                d.name: {"accept": d.accept, "description": d.description} for d in self.definitions
            },
            schemas=self.schemas,
        )


def schema_filename(definition: Definition) -> str:
    """The GetRawSchema file name of a definition: the last segment of its `url`."""
    return unquote(urlsplit(definition.url).path.rsplit("/", 1)[-1])


def is_json_schema(definition: Definition) -> bool:
    """Whether the definition's schema is JSON Schema (XML Schemas are served as text, which
    the service layer does not read)."""
    return schema_filename(definition).endswith(".json")


def named_schema(
    client: ConnectClient, connector_id: str, version: str, definition: Definition
) -> Any:
    """A definition's JSON Schema with references to the version's other definitions by name
    (`#/$defs/<name>`, as the editor's hint says); None when it is not JSON Schema."""
    if not is_json_schema(definition):
        return None
    raw = client.definitions.raw_schema(connector_id, version, schema_filename(definition))
    definitions = client.definitions.list(connector_id, version, first=LARGEST_PAGE).iter_all()
    return named_refs(raw, {item.url: item.name for item in definitions})


def schema_text(schema: Any) -> str | None:
    """A schema indented for reading and editing."""
    return None if schema is None else json.dumps(schema, indent=2, ensure_ascii=False)


def load_contents(client: ConnectClient, connector_id: str, version: ConnectorVersion) -> Contents:
    """Every action, trigger and definition of a version, with the definitions' schemas."""
    if version.published_at is None:
        return _fetch(client, connector_id, version.name)
    published = version.published_at.isoformat()
    key = f"versions:contents:{client.organisation_id}:{connector_id}:{version.id}:{published}"
    contents = cache.get(key)
    if contents is None:
        contents = _fetch(client, connector_id, version.name)
        cache.set(key, contents, PUBLISHED_CACHE_SECONDS)
    return contents


def compare(
    client: ConnectClient,
    connector_id: str,
    old: ConnectorVersion | None,
    new: ConnectorVersion,
) -> tuple[Report, Contents]:
    """What `new` changes compared with `old` (nothing: everything is added), with `new`'s
    contents (the publish page lists the problems the API found in them)."""
    contents = load_contents(client, connector_id, new)
    base = load_contents(client, connector_id, old) if old else Contents()
    return classify(base.snapshot(), contents.snapshot()), contents


# How a schema refers to another definition of its version when a person reads or writes it.
NAMED_REF = "#/$defs/"


def named_refs(schema: Any, names_by_url: Mapping[str, str]) -> Any:
    """`schema` with each `$ref` to another definition of its version (that definition's URL,
    as the API serves schemas) replaced by `#/$defs/<name>` (the form the editor takes) plus
    any pointer into it, so two versions' schemas compare equal when they refer to the
    same-named definitions, and a person reads names rather than URLs."""
    if isinstance(schema, list):
        return [named_refs(item, names_by_url) for item in schema]
    if not isinstance(schema, dict):
        return schema
    named = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            url, _, fragment = value.partition("#")
            if url in names_by_url:
                value = f"{NAMED_REF}{names_by_url[url]}{fragment}"
        named[key] = named_refs(value, names_by_url)
    return named


def _fetch(client: ConnectClient, connector_id: str, version: str) -> Contents:
    actions: list[Action] = list(
        client.actions.list(connector_id, version, first=LARGEST_PAGE).iter_all()
    )
    triggers: list[Trigger] = list(
        client.triggers.list(connector_id, version, first=LARGEST_PAGE).iter_all()
    )
    definitions: list[Definition] = list(
        client.definitions.list(connector_id, version, first=LARGEST_PAGE).iter_all()
    )
    names_by_url = {definition.url: definition.name for definition in definitions}
    with_schemas = [definition for definition in definitions if is_json_schema(definition)]

    def fetch(definition: Definition):
        raw = client.definitions.raw_schema(connector_id, version, schema_filename(definition))
        return named_refs(raw, names_by_url)

    # Each call runs in a copy of this request's context, so it carries the request id.
    contexts = [contextvars.copy_context() for _ in with_schemas]
    with ThreadPoolExecutor(max_workers=SCHEMA_FETCHERS) as pool:
        fetched = pool.map(lambda context, d: context.run(fetch, d), contexts, with_schemas)
        schemas = dict(zip((d.name for d in with_schemas), fetched, strict=True))
    return Contents(actions=actions, triggers=triggers, definitions=definitions, schemas=schemas)
