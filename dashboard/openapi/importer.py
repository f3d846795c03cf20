"""The importer: an OpenAPI 3.0/3.1 document's bytes in, a connector's parts out.

    result = import_openapi(data)          # raises ImportFailure for bad input
    result.connector.name, result.actions, result.definitions, result.messages ...

Steps: `parse` (bytes to data, with every safety limit), `validate` (OpenAPI schema),
`refs` (every `$ref` local and resolvable), then the mapping: connector fields (below),
`auth`, `schemas` and `operations`, each documented in its module. Messages start with one
info summary, followed by a warning for every part dropped or approximated, in document order.

Connector fields:
- `name` from `info.title` (an empty title gives "Untitled API", with a warning; one longer
  than 200 characters is cut, with a warning).
- `baseUrl` from the first server, with each `{variable}` replaced by its default and no
  trailing `/`. A relative URL is resolved against `source_url` (where the document was
  downloaded from) when given; otherwise, or with no servers at all, a warning says to set
  the base URL by hand. A variable without a definition is left as `{variable}`, with a
  warning. Other servers are ignored.
- `documentationURL` from `externalDocs.url`.
Either URL is left empty, with a warning, when it is longer than 2000 characters or is not an
http(s) URL (`javascript:`...; only the base URL may be relative): see `limits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from .auth import AuthMapper
from .limits import NAME_MAX, URL_MAX, allowed_url
from .messages import Message
from .names import NameAllocator
from .operations import OperationMapper
from .parse import DEFAULT_MAX_ALIAS_NODES, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, parse_document
from .refs import Document, check_refs
from .schemas import Definition, DefinitionBuilder
from .validate import validate_openapi

SERVER_VARIABLE = re.compile(r"\{([^{}]+)\}")
UNTITLED = "Untitled API"


@dataclass(frozen=True)
class ConnectorFields:
    """What the document says about the connector itself."""

    name: str
    base_url: str
    documentation_url: str

    def to_dict(self) -> dict[str, Any]:
        """As the contract spells these fields on HTTPConnector."""
        return {
            "name": self.name,
            "baseUrl": self.base_url,
            "documentationURL": self.documentation_url,
        }


@dataclass
class ImportResult:
    """Everything an import creates, in the contract's create shapes.

    - `auth_scheme_configs`: AuthSchemeConfig JSON, each with a new ULID `id`.
    - `definitions`: `Definition`s (`.to_create()` gives DefinitionsCreateDefinition JSON);
      their schemas refer to each other as `#/$defs/<name>`.
    - `actions` / `triggers`: ActionHTTPCreate / TriggerHTTPCreate JSON; request bodies and
      responses refer to definitions by name (`{"definition": {"name": ...}}`).
    - `messages`: an info summary first, then warnings, each naming its JSON pointer(s).
    """

    openapi_version: str
    connector: ConnectorFields
    auth_scheme_configs: list[dict[str, Any]]
    definitions: list[Definition]
    actions: list[dict[str, Any]]
    triggers: list[dict[str, Any]]
    messages: list[Message]


def _name(doc: dict[str, Any], messages: list[Message]) -> str:
    title = doc["info"]["title"].strip()
    if not title:
        messages.append(Message.warning(f"info.title is empty; named '{UNTITLED}'.", "/info/title"))
    if len(title) > NAME_MAX:
        messages.append(
            Message.warning(f"info.title is longer than {NAME_MAX} characters; cut.", "/info/title")
        )
        title = title[:NAME_MAX].strip()
    return title or UNTITLED


def _storable_url(
    url: str, what: str, where: str, messages: list[Message], *, relative: bool = False
) -> str:
    """`url` if the connector may hold it, else "" with a warning saying why."""
    if not url:
        return url
    if len(url) > URL_MAX:
        problem = f"is longer than {URL_MAX} characters"
    elif not allowed_url(url, relative=relative):
        problem = "is not an http or https URL"
    else:
        return url
    messages.append(Message.warning(f"The {what} {problem}; left empty.", where))
    return ""


def _base_url(doc: dict[str, Any], source_url: str | None, messages: list[Message]) -> str:
    servers = doc.get("servers") or []
    if not servers:
        messages.append(
            Message.warning(
                "The document lists no servers; set the connector's base URL by hand.", "/servers"
            )
        )
        return ""
    server = servers[0]
    variables = server.get("variables") or {}

    def substitute(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, dict) and "default" in variable:
            return str(variable["default"])
        messages.append(
            Message.warning(
                f"Server variable '{match.group(1)}' has no default; it was left in the base URL.",
                "/servers/0/url",
            )
        )
        return match.group(0)

    url = SERVER_VARIABLE.sub(substitute, server["url"])
    if not urlsplit(url).scheme:
        if source_url:
            url = urljoin(source_url, url)
        else:
            messages.append(
                Message.warning(
                    f"The server URL '{url}' is relative; set the connector's base URL by hand.",
                    "/servers/0/url",
                )
            )
    return url.rstrip("/")


def _summary(version: str, title: str, result: ImportResult) -> Message:
    """What the document made. The warnings are not counted here: a new version's import adds
    its own (new_version_messages), and a count made before them would contradict the list."""
    return Message.info(
        f"Imported OpenAPI {version} document '{title}': "
        f"{_count(len(result.actions), 'action')}, {_count(len(result.triggers), 'trigger')}, "
        f"{_count(len(result.definitions), 'definition')} and "
        f"{_count(len(result.auth_scheme_configs), 'auth scheme config')}."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def import_document(doc: dict[str, Any], *, source_url: str | None = None) -> ImportResult:
    """Map an already parsed document (see `import_openapi`)."""
    version = validate_openapi(doc)
    document = Document(doc)
    check_refs(document)

    messages: list[Message] = []
    documentation_url = (doc.get("externalDocs") or {}).get("url", "")
    connector = ConnectorFields(
        _name(doc, messages),
        _storable_url(
            _base_url(doc, source_url, messages),
            "base URL",
            "/servers/0/url",
            messages,
            relative=True,
        ),
        _storable_url(documentation_url, "documentation URL", "/externalDocs/url", messages),
    )
    auth_scheme_configs = AuthMapper(document, connector.base_url, messages).configs()
    definitions = DefinitionBuilder(document, version, NameAllocator())
    definitions.add_components()
    operations = OperationMapper(document, definitions, messages)
    operations.map_document()

    result = ImportResult(
        openapi_version=doc["openapi"],
        connector=connector,
        auth_scheme_configs=auth_scheme_configs,
        definitions=definitions.finish(),
        actions=operations.actions,
        triggers=operations.triggers,
        messages=messages,
    )
    result.messages.insert(0, _summary(doc["openapi"], connector.name, result))
    return result


def import_openapi(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
    source_url: str | None = None,
) -> ImportResult:
    """Import an OpenAPI 3.0/3.1 document (JSON or YAML bytes) as a connector's parts.

    `source_url` is where the document came from, if downloaded; relative server URLs are
    resolved against it. Raises `ImportFailure` when the document cannot be imported; the
    caller should then create nothing and answer 400 with `failure.to_dict()`.
    """
    doc = parse_document(
        data, max_bytes=max_bytes, max_depth=max_depth, max_alias_nodes=max_alias_nodes
    )
    return import_document(doc, source_url=source_url)
