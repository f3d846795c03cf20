"""Fetching a version's contents through the service layer, for the publish diff.

A definition's schema is one call each, so a large version takes many calls. A published
version cannot change (until unpublished, which gives it a new `publishedAt` when published
again), so its contents are cached: comparing drafts against the latest published version
then fetches only the draft.
"""

import contextvars
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urlsplit

from django.core.cache import cache

from dashboard.connect import ConnectClient
from dashboard.connect.models import Action, ConnectorVersion, Definition, Trigger

from .diff import Contents, named_refs

# The API's largest page: fewest calls to list everything.
PAGE = 100
# Raw schemas are one call each; a few at a time keeps a large version's diff quick.
SCHEMA_FETCHERS = 4
PUBLISHED_CACHE_SECONDS = 3600


def schema_filename(definition: Definition) -> str:
    """The GetRawSchema file name of a definition: the last segment of its `url`."""
    return unquote(urlsplit(definition.url).path.rsplit("/", 1)[-1])


def is_json_schema(definition: Definition) -> bool:
    """Whether the definition's schema is JSON Schema (XML Schemas are served as text, which
    the service layer does not read)."""
    return schema_filename(definition).endswith(".json")


def schema_text(
    client: ConnectClient, connector_id: str, version: str, definition: Definition
) -> str | None:
    """A definition's JSON Schema as the API serves it, indented for reading and editing;
    None when it is not JSON Schema."""
    if not is_json_schema(definition):
        return None
    raw = client.definitions.raw_schema(connector_id, version, schema_filename(definition))
    return json.dumps(raw, indent=2, ensure_ascii=False)


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


def _fetch(client: ConnectClient, connector_id: str, version: str) -> Contents:
    actions: list[Action] = list(client.actions.list(connector_id, version, first=PAGE).iter_all())
    triggers: list[Trigger] = list(
        client.triggers.list(connector_id, version, first=PAGE).iter_all()
    )
    definitions: list[Definition] = list(
        client.definitions.list(connector_id, version, first=PAGE).iter_all()
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
