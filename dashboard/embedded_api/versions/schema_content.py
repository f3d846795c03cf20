"""A definition's schema: parsing what clients send, and the references between definitions.

JSON Schemas (sent as JSON or YAML) are stored parsed. A reference to another definition of
the same version is stored as `urn:patchbay:definition:<id>[#pointer]`, so it survives renames
and copies; it is written out as that definition's public URL when the schema is served.
Clients refer to other definitions with `#/$defs/<name>` (unless the schema defines that name
in its own `$defs`) or with a definition's public URL. XML Schemas are kept verbatim.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

import jsonschema_rs
import yaml
from django.conf import settings

from ...openapi.text import storable
from ..errors import bad_request

URN = "urn:patchbay:definition:"
MAX_DEPTH = 100
MAX_CONTENT = 2 * 1024 * 1024

JSON_TYPES = {"application/schema+json", "application/json"}
YAML_TYPES = {"application/schema+yaml", "application/yaml", "application/x-yaml", "text/yaml"}
XML_TYPES = {"text/xml", "application/xml"}


@dataclass
class ParsedSchema:
    schema: object = None  # the JSON Schema (dict or bool), or None for an XML Schema
    source: str = ""  # an XML Schema, verbatim


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json_schema(content_type: str) -> bool:
    return media_type(content_type) in JSON_TYPES | YAML_TYPES


def extension(content_type: str) -> str:
    return "json" if is_json_schema(content_type) else "xsd"


def parse(content_type: str, content: str, where: str = "schema") -> ParsedSchema:
    """Parse and check a schema; a bad one is a 400 naming `where`."""
    kind = media_type(content_type)
    if kind not in JSON_TYPES | YAML_TYPES | XML_TYPES:
        supported = ", ".join(sorted(JSON_TYPES | YAML_TYPES | XML_TYPES))
        raise _invalid(f"{where}.contentType", f"unsupported schema type; use one of: {supported}")
    if len(content) > MAX_CONTENT:
        raise _invalid(f"{where}.content", f"is larger than {MAX_CONTENT} characters")
    if kind in XML_TYPES:
        if not content.strip():
            raise _invalid(f"{where}.content", "must not be empty")
        return ParsedSchema(source=content)
    try:
        text = content if kind in JSON_TYPES else _yaml_as_json(content)
        schema = _load_json(text)
        # Parsed strings hold only characters of the text, except through `\u` escapes (the
        # only way valid JSON spells NUL or a lone surrogate): a storable text without them
        # needs no string checked.
        _check_plain_json(schema, check_text="\\u" in text or not storable(text))
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        raise _invalid(f"{where}.content", f"is not a valid schema document: {error}") from None
    if not isinstance(schema, dict | bool):
        raise _invalid(f"{where}.content", "a JSON Schema must be an object or a boolean")
    try:
        jsonschema_rs.meta.validate(schema)
    except jsonschema_rs.ValidationError as error:
        raise _invalid(f"{where}.content", f"is not a valid JSON Schema: {error.message}") from None
    except jsonschema_rs.ReferencingError as error:
        raise _invalid(f"{where}.content", f"has an unknown $schema: {error}") from None
    return ParsedSchema(schema=schema)


@dataclass
class Internalised:
    schema: object
    referenced: set[str]  # the ids of the definitions it refers to (`referenced_ids`)
    missing: list[str]  # references that name no definition of the version


def internalise(
    schema: object, ids_by_name: dict[str, str], known_ids: set[str], home: str
) -> Internalised:
    """Rewrite the client's references to other definitions as internal URNs, in place
    (`schema` is a fresh `parse` result, owned by the caller).

    `home` is the URL prefix of the version's schemas (`schema_url(..., "")`).
    """
    own = set(schema.get("$defs", {})) if isinstance(schema, dict) else set()
    missing: list[str] = []
    referenced: set[str] = set()

    def rewrite(ref: str) -> str:
        target = _target(ref, own, home)
        if target is None:
            return ref
        kind, key = target
        if kind == "name":
            definition_id = ids_by_name.get(key)
            fragment = _pointer_rest(ref)
        else:  # a URL names the definition by id (or by name, as GetRawSchema allows)
            definition_id = key if key in known_ids else ids_by_name.get(key)
            fragment = ref.partition("#")[2]
        if definition_id is None:
            missing.append(ref)
            return ref
        referenced.add(definition_id)
        return URN + definition_id + (f"#{fragment}" if fragment else "")

    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(ref := item.get("$ref"), str):
                item["$ref"] = rewrite(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return Internalised(schema, referenced, missing)


def referenced_ids(schema: object) -> set[str]:
    """The ids of the definitions an internalised schema refers to."""
    return {ref[len(URN) :].partition("#")[0] for ref in _refs(schema) if ref.startswith(URN)}


def render(schema: object, url_for: Callable[[str], str | None]) -> object:
    """The schema as served: internal references become the definitions' public URLs."""

    def rewrite(ref: str) -> str:
        if not ref.startswith(URN):
            return ref
        definition_id, hash_, fragment = ref[len(URN) :].partition("#")
        url = url_for(definition_id)
        return ref if url is None else url + hash_ + fragment

    return _map_refs(schema, rewrite)


def remap(schema: object, new_ids: dict[str, str]) -> object:
    """The schema with internal references moved to copied definitions (fromVersion, import)."""

    def rewrite(ref: str) -> str:
        if not ref.startswith(URN):
            return ref
        definition_id, hash_, fragment = ref[len(URN) :].partition("#")
        return URN + new_ids.get(definition_id, definition_id) + hash_ + fragment

    return _map_refs(schema, rewrite)


def schema_url(organisation_id: str, connector_id: str, version: str, filename: str) -> str:
    base = settings.EMBEDDED_API_PUBLIC_URL.rstrip("/")
    return f"{base}/o/{organisation_id}/schemas/{connector_id}/{quote(version)}/{filename}"


# --- helpers -------------------------------------------------------------------------------


def _invalid(where: str, message: str):
    return bad_request(
        f"The schema is not valid: {where} {message}.", [{"field": where, "message": message}]
    )


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def _load_json(content: str) -> object:
    return json.loads(content, parse_constant=_reject_constant)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: they can expand a small document into a huge one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not supported")
        return super().compose_node(parent, index)


def _yaml_as_json(content: str) -> str:
    loaded = yaml.load(content, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    # YAML has types JSON lacks (dates, non-string keys); store them as JSON would.
    return json.dumps(loaded, default=str, ensure_ascii=False)


def _check_plain_json(value: object, *, check_text: bool = True) -> None:
    """Bounded depth, finite numbers and (if `check_text`) text PostgreSQL can store."""
    level, depth = [value], 0
    while level:  # one nesting level at a time: no depth to carry per item
        if depth > MAX_DEPTH:
            raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
        below = []
        for item in level:
            if isinstance(item, dict):
                if check_text and not all(map(storable, item)):
                    raise ValueError("text must be valid Unicode without NUL characters")
                below.extend(item.values())
            elif isinstance(item, list):
                below.extend(item)
            elif isinstance(item, str):
                if check_text and not storable(item):
                    raise ValueError("text must be valid Unicode without NUL characters")
            elif isinstance(item, float) and not math.isfinite(item):
                raise ValueError("numbers must be finite")
        level, depth = below, depth + 1


def _refs(schema: object):
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item["$ref"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _map_refs(schema: object, rewrite: Callable[[str], str]) -> object:
    if isinstance(schema, dict):
        return {
            key: rewrite(value)
            if key == "$ref" and isinstance(value, str)
            else _map_refs(value, rewrite)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_map_refs(item, rewrite) for item in schema]
    return schema


def _target(ref: str, own_defs: set[str], home: str) -> tuple[str, str] | None:
    """What a `$ref` names: ("name", n) for `#/$defs/n`, ("id", i) for a definition URL or
    internal URN, None for anything else (local pointers, external schemas). A schema URL of
    another version or connector names nothing here: ("id", "")."""
    if ref.startswith("#/$defs/"):
        name = (
            unquote(ref[len("#/$defs/") :].split("/", 1)[0]).replace("~1", "/").replace("~0", "~")
        )
        return None if name in own_defs else ("name", name)
    if ref.startswith(URN):
        return ("id", ref[len(URN) :].partition("#")[0])
    if ref.startswith(settings.EMBEDDED_API_PUBLIC_URL.rstrip("/") + "/o/"):
        if not ref.startswith(home):
            return ("id", "")
        filename = unquote(ref[len(home) :].partition("#")[0])
        return ("id", filename.rsplit(".", 1)[0] if "/" not in filename else "")
    return None


def _pointer_rest(ref: str) -> str:
    """`#/$defs/Name/properties/x` -> `/properties/x` (a pointer into the named definition)."""
    rest = ref[len("#/$defs/") :].partition("/")[2]
    return f"/{rest}" if rest else ""
