"""What changed between two versions of a connector: the actions, triggers and definitions
added, removed and changed, and for each changed one what changed (method, path, parameters,
request body, responses; a definition's media types, description and schema), in words.

Pure: it compares the service layer's typed models and plain schemas, with no Django and no
I/O (`contents.py` fetches what it compares). Items are matched by name, never by id: ids
differ between versions even when one was copied from the other.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.connect.models import (
    Action,
    Definition,
    HTTPParameter,
    HTTPRequestBody,
    HTTPResponse,
    Trigger,
)

Endpoint = Action | Trigger
# A changed schema lists at most this many differences; the rest are counted.
SCHEMA_CHANGES_SHOWN = 8
# Values up to this long are shown in a change ("type: string → integer"); longer ones are not.
VALUE_SHOWN = 60


@dataclass(frozen=True)
class Contents:
    """Everything in one version that a diff compares. `schemas` maps a definition's name to
    its JSON Schema with references to other definitions by name (`named_refs`); a definition
    without one (an XML Schema) is left out."""

    actions: Sequence[Action] = ()
    triggers: Sequence[Trigger] = ()
    definitions: Sequence[Definition] = ()
    schemas: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Changed:
    name: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class KindDiff:
    """The differences for one kind of item (actions, triggers or definitions)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Changed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class VersionDiff:
    actions: KindDiff
    triggers: KindDiff
    definitions: KindDiff

    def __bool__(self) -> bool:
        return bool(self.actions or self.triggers or self.definitions)

    def kinds(self) -> list[tuple[str, KindDiff]]:
        """(label, differences) of each kind, in the order the page shows them."""
        return [
            ("Actions", self.actions),
            ("Triggers", self.triggers),
            ("Definitions", self.definitions),
        ]


def diff_versions(old: Contents, new: Contents) -> VersionDiff:
    """What `new` changes compared with `old` (e.g. a draft against the latest published)."""
    return VersionDiff(
        actions=_diff_kind(old.actions, new.actions, endpoint_changes),
        triggers=_diff_kind(old.triggers, new.triggers, endpoint_changes),
        definitions=_diff_kind(
            old.definitions,
            new.definitions,
            lambda before, after: definition_changes(
                before, after, old.schemas.get(before.name), new.schemas.get(after.name)
            ),
        ),
    )


def _diff_kind(old: Sequence, new: Sequence, compare: Callable[[Any, Any], list[str]]) -> KindDiff:
    before = {item.name: item for item in old}
    after = {item.name: item for item in new}
    changed = []
    for name in sorted(before.keys() & after.keys()):
        if changes := compare(before[name], after[name]):
            changed.append(Changed(name, tuple(changes)))
    return KindDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )


# --- Actions and triggers ---------------------------------------------------------------------


def endpoint_changes(old: Endpoint, new: Endpoint) -> list[str]:
    """What changed in an action or trigger, one sentence per difference."""
    changes = []
    if old.method != new.method:
        changes.append(f"method: {old.method} → {new.method}")
    old_path, new_path = getattr(old, "path", ""), getattr(new, "path", "")
    if old_path != new_path:
        changes.append(f"path: {old_path or '(none)'} → {new_path or '(none)'}")
    for label in ("summary", "description"):
        if getattr(old, label) != getattr(new, label):
            changes.append(f"{label} changed")
    changes += parameter_changes(old.parameters, new.parameters)
    changes += body_changes(old.request_body, new.request_body)
    changes += response_changes(old.responses, new.responses)
    return changes


def parameter_changes(old: Sequence[HTTPParameter], new: Sequence[HTTPParameter]) -> list[str]:
    before = {(p.in_, p.name): p for p in old}
    after = {(p.in_, p.name): p for p in new}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        label = f"{key[0]} parameter “{key[1]}”"
        if key not in after:
            changes.append(f"{label} removed")
        elif key not in before:
            changes.append(f"{label} added")
        else:
            was, now = before[key], after[key]
            details = []
            if was.type != now.type:
                details.append(f"type {was.type} → {now.type}")
            if was.required != now.required:
                details.append("now required" if now.required else "no longer required")
            if _json(was.default) != _json(now.default):
                details.append(f"default {_shown(was.default)} → {_shown(now.default)}")
            if details:
                changes.append(f"{label}: {', '.join(details)}")
    return changes


def body_changes(old: HTTPRequestBody | None, new: HTTPRequestBody | None) -> list[str]:
    if old is None and new is None:
        return []
    if old is None:
        return [f"request body added{_listed(_linked(new))}"]
    if new is None:
        return ["request body removed"]
    changes = []
    if old.required != new.required:
        changes.append(
            "request body now required" if new.required else "request body no longer required"
        )
    if links := _link_changes(_linked(old), _linked(new)):
        changes.append(f"request body definitions: {links}")
    return changes


def response_changes(old: Sequence[HTTPResponse], new: Sequence[HTTPResponse]) -> list[str]:
    before = {response.status: response for response in old}
    after = {response.status: response for response in new}
    changes = []
    for status in sorted(before.keys() | after.keys(), key=lambda s: (s is None, s or 0)):
        label = f"response {'default' if status is None else status}"
        if status not in after:
            changes.append(f"{label} removed")
        elif status not in before:
            changes.append(f"{label} added{_listed(_linked(after[status]))}")
        elif links := _link_changes(_linked(before[status]), _linked(after[status])):
            changes.append(f"{label} definitions: {links}")
    return changes


def _linked(body: HTTPRequestBody | HTTPResponse) -> list[str]:
    return [link.definition.name for link in body.definitions]


def _listed(names: list[str]) -> str:
    return f" ({', '.join(names)})" if names else ""


def _link_changes(old: list[str], new: list[str]) -> str:
    parts = [f"{name} added" for name in new if name not in old]
    parts += [f"{name} removed" for name in old if name not in new]
    return ", ".join(parts)


# --- Definitions ------------------------------------------------------------------------------


def definition_changes(
    old: Definition, new: Definition, old_schema: Any = None, new_schema: Any = None
) -> list[str]:
    changes = []
    if sorted(old.accept) != sorted(new.accept):
        was, now = ", ".join(old.accept) or "(none)", ", ".join(new.accept) or "(none)"
        changes.append(f"media types: {was} → {now}")
    if old.description != new.description:
        changes.append("description changed")
    changes += [f"schema: {change}" for change in schema_changes(old_schema, new_schema)]
    return changes


def schema_changes(old: Any, new: Any) -> list[str]:
    """Where two JSON Schemas differ, as JSON Pointers ("/properties/email added"), the first
    `SCHEMA_CHANGES_SHOWN` of them and a count of the rest."""
    found = list(_differences(old, new, ""))
    if len(found) > SCHEMA_CHANGES_SHOWN:
        rest = len(found) - SCHEMA_CHANGES_SHOWN
        found = [*found[:SCHEMA_CHANGES_SHOWN], f"and {rest} more difference(s)"]
    return found


def _differences(old: Any, new: Any, pointer: str) -> Iterator[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            where = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in new:
                yield f"{where} removed"
            elif key not in old:
                yield f"{where} added"
            else:
                yield from _differences(old[key], new[key], where)
    elif _json(old) != _json(new):
        where = pointer or "/"
        was, now = _json(old), _json(new)
        if len(was) <= VALUE_SHOWN and len(now) <= VALUE_SHOWN:
            yield f"{where}: {was} → {now}"
        else:
            yield f"{where} changed"


def named_refs(schema: Any, names_by_url: Mapping[str, str]) -> Any:
    """`schema` with each `$ref` to another definition of its version (that definition's URL,
    as the API serves schemas) replaced by `#/definitions/<name>` plus any pointer into it, so
    two versions' schemas compare equal when they refer to the same-named definitions."""
    if isinstance(schema, list):
        return [named_refs(item, names_by_url) for item in schema]
    if not isinstance(schema, dict):
        return schema
    named = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            url, _, fragment = value.partition("#")
            if url in names_by_url:
                value = f"#/definitions/{names_by_url[url]}{fragment}"
        named[key] = named_refs(value, names_by_url)
    return named


# --- Helpers ----------------------------------------------------------------------------------


def _json(value: Any) -> str:
    # JSON text, not Python equality: `1 == True` in Python, but not in a schema.
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _shown(value: Any) -> str:
    return "(none)" if value is None else _json(value)
