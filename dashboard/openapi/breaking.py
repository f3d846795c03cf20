"""Breaking-change rules: every difference between two versions of a connector, graded as the
established OpenAPI diff tools grade changes (oasdiff, openapi-diff).

    report = classify(old, new)          # two Snapshots: plain contract JSON, no Django
    report.count(BREAKING), report.by_level(), report.bump()

A level says whether a caller that worked with `old` can fail with `new`:
- breaking: it can (a removed action, a newly required parameter, a removed response property);
- possibly breaking: it can, depending on what the caller does (a new enum value received);
- compatible: it cannot (additions, optional parameters, wording).

Most schema rules depend on the direction of the data. What a caller *sends* (an action's
parameters and request body, a trigger's responses) may only get looser; what it *receives*
(an action's responses, a trigger's parameters and request body: the webhook it is given) may
only get tighter. A definition is graded for every direction it is used in (following
references between definitions), and by the strictest of both when no item uses it.

Definitions are compared once each, by name; where an item's body or a schema refers to a
*different* definition than before, the two are compared structurally, following references
with a guard against cycles. docs/breaking-changes.md has the table of rules.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .importer import ImportResult
from .schema_diff import (
    Change,
    SchemaComparison,
    refs_in,
    shown,
    type_rule,
)


class Level(enum.IntEnum):
    """Ordered strictest first, so `min` of levels is the strictest."""

    BREAKING = 0
    POSSIBLY_BREAKING = 1
    COMPATIBLE = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


BREAKING, POSSIBLY, COMPATIBLE = Level.BREAKING, Level.POSSIBLY_BREAKING, Level.COMPATIBLE


class Direction(enum.Enum):
    SENT = "sent"  # what a caller sends
    RECEIVED = "received"  # what a caller receives


SENT, RECEIVED = Direction.SENT, Direction.RECEIVED
BOTH = frozenset(Direction)


@dataclass(frozen=True)
class Rule:
    """One kind of change, its level when the data is sent and when it is received, and
    whether it adds something (for the version suggestion)."""

    title: str
    sent: Level
    received: Level
    addition: bool = False

    def level(self, directions: frozenset[Direction]) -> Level:
        levels = [self.sent if d is SENT else self.received for d in directions or BOTH]
        return min(levels)


B, P, C = BREAKING, POSSIBLY, COMPATIBLE
RULES: dict[str, Rule] = {
    # Actions, triggers, definitions.
    "item-removed": Rule("action, trigger or definition removed", B, B),
    "item-added": Rule("action, trigger or definition added", C, C, addition=True),
    "method-changed": Rule("method changed", B, B),
    "path-changed": Rule("path changed", B, B),
    "wording": Rule("summary, description, title or example changed", C, C),
    "media-type-removed": Rule("media type removed from a definition", B, P),
    "media-type-added": Rule("media type added to a definition", C, P, addition=True),
    # Parameters.
    "parameter-added-required": Rule("required parameter added", B, C),
    "parameter-added": Rule("optional parameter added", C, C, addition=True),
    "parameter-removed": Rule("parameter removed", B, B),
    "parameter-moved": Rule("parameter moved (query, header, path, cookie)", B, B),
    "parameter-required": Rule("parameter made required", B, C),
    "parameter-optional": Rule("parameter made optional", C, B),
    "default-changed": Rule("default value changed", P, C),
    # Request bodies and responses.
    "body-added-required": Rule("required request body added", B, C),
    "body-added": Rule("optional request body added", C, C, addition=True),
    "body-removed": Rule("request body removed", P, B),
    "body-required": Rule("request body made required", B, C),
    "body-optional": Rule("request body made optional", C, B),
    "definition-added": Rule("definition added to a body or response", C, P, addition=True),
    "definition-removed": Rule("definition removed from a body or response", B, C),
    "definition-replaced": Rule("body or response uses another definition", C, C),
    "success-status-removed": Rule("success response status (2xx) removed", C, B),
    "status-removed": Rule("other response status removed", C, P),
    "status-added": Rule("response status added", C, C, addition=True),
    # JSON Schemas.
    "type-changed": Rule("type changed", B, B),
    "type-widened": Rule("type widened (e.g. integer to number)", C, B),
    "type-narrowed": Rule("type narrowed (e.g. number to integer)", B, C),
    "format-changed": Rule("format changed or added", B, B),
    "format-removed": Rule("format removed", C, P),
    "nullable-added": Rule("value may now be null", C, B),
    "nullable-removed": Rule("value may no longer be null", B, C),
    "enum-values-removed": Rule("enum values removed", B, C),
    "enum-values-added": Rule("enum values added", C, P, addition=True),
    "enum-added": Rule("enum (or const) introduced", B, C),
    "enum-removed": Rule("enum (or const) dropped", C, P),
    "constraint-tightened": Rule("max/min, length, items, pattern or multipleOf tightened", B, C),
    "constraint-loosened": Rule("max/min, length, items, pattern or multipleOf loosened", C, P),
    "property-added-required": Rule("required property added", B, C),
    "property-added": Rule("optional property added", C, C, addition=True),
    "property-removed": Rule("property removed", P, B),
    "property-required": Rule("property made required", B, C),
    "property-optional": Rule("property made optional", C, B),
    "additional-closed": Rule("additional properties no longer allowed", B, C),
    "additional-opened": Rule("additional properties now allowed", C, P),
    "choice-added": Rule("oneOf/anyOf alternative added", C, P, addition=True),
    "choice-removed": Rule("oneOf/anyOf alternative removed", B, C),
    "all-of-added": Rule("allOf part added", B, C),
    "all-of-removed": Rule("allOf part removed", C, P),
    "schema-other": Rule("any other schema keyword changed", P, P),
}


@dataclass(frozen=True)
class Snapshot:
    """One version's contents as the contract's JSON (camelCase), each kind by name:
    actions and triggers as the API serves (or the importer creates) them, definitions as
    `{"accept": [...], "description": ...}`, and each definition's JSON Schema, referring to
    other definitions as `#/$defs/<name>` or `#/definitions/<name>`."""

    actions: Mapping[str, dict[str, Any]] = field(default_factory=dict[str, Any])
    triggers: Mapping[str, dict[str, Any]] = field(default_factory=dict[str, Any])
    definitions: Mapping[str, dict[str, Any]] = field(default_factory=dict[str, Any])
    schemas: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One difference: its level, the item it is in (`kind`, `name`; `in_old`/`in_new` say
    which version has it, for links) and what changed, in words."""

    level: Level
    rule: str
    kind: str  # action | trigger | definition
    name: str
    what: str
    in_old: bool = True
    in_new: bool = True

    @property
    def text(self) -> str:
        return f"{self.kind} “{self.name}”: {self.what}"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.findings)

    def count(self, level: Level) -> int:
        return sum(finding.level is level for finding in self.findings)

    def by_level(self) -> list[tuple[Level, list[Finding]]]:
        """(level, findings) for each level that has any, breaking first."""
        grouped = [(level, [f for f in self.findings if f.level is level]) for level in Level]
        return [(level, found) for level, found in grouped if found]

    @property
    def breaking(self) -> int:
        return self.count(BREAKING)

    def bump(self) -> str:
        """The semantic version part to bump: major for breaking, minor for additions,
        patch otherwise."""
        if self.breaking:
            return "major"
        if any(RULES[f.rule].addition for f in self.findings):
            return "minor"
        return "patch"


def classify(old: Snapshot, new: Snapshot) -> Report:
    """Every difference `new` makes to `old`, strictest first, then by item."""
    findings = list(_Comparison(old, new).findings())
    findings.sort(key=lambda f: (f.level, f.kind, f.name))
    return Report(tuple(findings))


# --- Internals ----------------------------------------------------------------------------------


class _Comparison:
    def __init__(self, old: Snapshot, new: Snapshot) -> None:
        self.old, self.new = old, new

    def findings(self) -> Iterator[Finding]:
        for kind, old_items, new_items in (
            ("action", self.old.actions, self.new.actions),
            ("trigger", self.old.triggers, self.new.triggers),
        ):
            yield from self._added_removed(kind, old_items, new_items)
            for name in sorted(old_items.keys() & new_items.keys()):
                for directions, change in self._endpoint(kind, old_items[name], new_items[name]):
                    yield self._finding(kind, name, change, directions)
        yield from self._added_removed("definition", self.old.definitions, self.new.definitions)
        uses = self._directions()
        for name in sorted(self.old.definitions.keys() & self.new.definitions.keys()):
            directions = uses.get(name, frozenset())
            for change in self._definition(name):
                yield self._finding("definition", name, change, directions)

    def _finding(
        self, kind: str, name: str, change: Change, directions: frozenset[Direction]
    ) -> Finding:
        level = RULES[change.rule].level(directions)
        return Finding(level, change.rule, kind, name, change.what)

    def _added_removed(
        self, kind: str, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> Iterator[Finding]:
        for name in sorted(old.keys() - new.keys()):
            yield Finding(BREAKING, "item-removed", kind, name, "removed", in_new=False)
        for name in sorted(new.keys() - old.keys()):
            yield Finding(COMPATIBLE, "item-added", kind, name, "added", in_old=False)

    # --- Actions and triggers -----------------------------------------------------------------

    def _endpoint(
        self, kind: str, old: dict[str, Any], new: dict[str, Any]
    ) -> Iterator[tuple[frozenset[Direction], Change]]:
        request, response = (frozenset({side}) for side in _sides(kind))
        if (old.get("method") or "") != (new.get("method") or ""):
            yield request, Change("method-changed", f"method {old['method']} → {new['method']}")
        if (old.get("path") or "") != (new.get("path") or ""):
            yield request, Change("path-changed", f"path {old['path']} → {new['path']}")
        for label in ("summary", "description"):
            if (old.get(label) or "") != (new.get(label) or ""):
                yield request, Change("wording", f"{label} changed")
        for change in self._parameters(old.get("parameters") or [], new.get("parameters") or []):
            yield request, change
        for change in self._body(old.get("requestBody"), new.get("requestBody")):
            yield request, change
        for change in self._responses(old.get("responses") or [], new.get("responses") or []):
            yield response, change

    def _parameters(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[Change]:
        before = {(p["in"], p["name"]): p for p in old}
        after = {(p["in"], p["name"]): p for p in new}
        gone = {name: where for where, name in before.keys() - after.keys()}
        came = {name: where for where, name in after.keys() - before.keys()}
        for name in sorted(gone.keys() & came.keys()):
            text = f"{gone[name]} parameter “{name}” is now a {came[name]} parameter"
            yield Change("parameter-moved", text)
        for name in sorted(gone.keys() - came.keys()):
            yield Change("parameter-removed", f"{gone[name]} parameter “{name}” removed")
        for name in sorted(came.keys() - gone.keys()):
            where = came[name]
            if after[(where, name)].get("required"):
                yield Change(
                    "parameter-added-required", f"required {where} parameter “{name}” added"
                )
            else:
                yield Change("parameter-added", f"optional {where} parameter “{name}” added")
        for key in sorted(before.keys() & after.keys()):
            was, now = before[key], after[key]
            label = f"{key[0]} parameter “{key[1]}”"
            if bool(was.get("required")) != bool(now.get("required")):
                if now.get("required"):
                    yield Change("parameter-required", f"{label} is now required")
                else:
                    yield Change("parameter-optional", f"{label} is no longer required")
            was_type, now_type = was.get("type") or "string", now.get("type") or "string"
            if was_type != now_type:
                yield Change(
                    type_rule({was_type}, {now_type}), f"{label}: type {was_type} → {now_type}"
                )
            if was.get("default") != now.get("default"):
                yield Change(
                    "default-changed",
                    f"{label}: default {shown(was.get('default'))} → {shown(now.get('default'))}",
                )

    def _body(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Iterator[Change]:
        if not old and not new:
            return
        if not old:
            required = bool(new and new.get("required"))
            rule = "body-added-required" if required else "body-added"
            yield Change(rule, f"{'required' if required else 'optional'} request body added")
            return
        if not new:
            yield Change("body-removed", "request body removed")
            return
        if bool(old.get("required")) != bool(new.get("required")):
            if new.get("required"):
                yield Change("body-required", "request body is now required")
            else:
                yield Change("body-optional", "request body is no longer required")
        yield from self._links("request body", old, new)

    def _responses(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[Change]:
        before = {r.get("status"): r for r in old}
        after = {r.get("status"): r for r in new}
        for status in sorted(before.keys() | after.keys(), key=lambda s: (s is None, s or 0)):
            label = f"response {'default' if status is None else status}"
            if status not in after:
                success = status is not None and 200 <= status < 300
                yield Change(
                    "success-status-removed" if success else "status-removed", f"{label} removed"
                )
            elif status not in before:
                yield Change("status-added", f"{label} added")
            else:
                yield from self._links(label, before[status], after[status])

    def _links(self, label: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        """A body's or response's definitions: the same names are compared as definitions;
        one definition replaced by another is compared with it here."""
        was, now = _linked(old), _linked(new)
        if len(was) == 1 and len(now) == 1 and was != now:
            yield Change("definition-replaced", f"{label} uses “{now[0]}” instead of “{was[0]}”")
            schemas = SchemaComparison(self.old.schemas, self.new.schemas)
            for change in schemas.compare_definitions(was[0], now[0]):
                yield Change(change.rule, f"{label}: {change.what}")
            return
        for name in now:
            if name not in was:
                yield Change("definition-added", f"{label} may now be “{name}”")
        for name in was:
            if name not in now:
                yield Change("definition-removed", f"{label} is no longer “{name}”")

    # --- Definitions --------------------------------------------------------------------------

    def _definition(self, name: str) -> Iterator[Change]:
        old, new = self.old.definitions[name], self.new.definitions[name]
        was, now = set(old.get("accept") or ()), set(new.get("accept") or ())
        if removed := sorted(was - now):
            yield Change("media-type-removed", f"media type {', '.join(removed)} removed")
        if added := sorted(now - was):
            yield Change("media-type-added", f"media type {', '.join(added)} added")
        if (old.get("description") or "") != (new.get("description") or ""):
            yield Change("wording", "description changed")
        if name in self.old.schemas or name in self.new.schemas:
            yield from SchemaComparison(self.old.schemas, self.new.schemas).compare_definitions(
                name, name
            )

    def _directions(self) -> dict[str, frozenset[Direction]]:
        """The directions each definition's data travels in, in either version: from the
        items that use it, through the definitions that refer to it."""
        found: dict[str, set[Direction]] = {}
        for snapshot in (self.old, self.new):
            refs = {
                name: refs_in(schema, snapshot.schemas) for name, schema in snapshot.schemas.items()
            }
            for kind, items in (("action", snapshot.actions), ("trigger", snapshot.triggers)):
                for item in items.values():
                    request, response = _sides(kind)
                    starts = [(name, request) for name in _linked(item.get("requestBody") or {})]
                    for answer in item.get("responses") or []:
                        starts += [(name, response) for name in _linked(answer)]
                    stack = starts
                    while stack:
                        name, direction = stack.pop()
                        if direction in found.setdefault(name, set()):
                            continue
                        found[name].add(direction)
                        stack.extend((ref, direction) for ref in refs.get(name, ()))
        return {name: frozenset(directions) for name, directions in found.items()}


def _sides(kind: str) -> tuple[Direction, Direction]:
    """(request, response) directions: an action's request is sent by the caller; a
    trigger's request is the webhook it receives, and its response what it sends back."""
    return (SENT, RECEIVED) if kind == "action" else (RECEIVED, SENT)


def _linked(body: dict[str, Any]) -> list[str]:
    return [link["definition"]["name"] for link in body.get("definitions") or []]


# --- Sources and version names ------------------------------------------------------------------


def import_snapshot(result: ImportResult) -> Snapshot:
    """What an import would create, as a Snapshot (to compare before importing)."""
    return Snapshot(
        actions={action["name"]: action for action in result.actions},
        triggers={trigger["name"]: trigger for trigger in result.triggers},
        definitions={
            d.name: {"accept": d.accept, "description": d.description} for d in result.definitions
        },
        schemas={d.name: d.schema for d in result.definitions},
    )


SEMVER = re.compile(r"(v?)(\d+)\.(\d+)\.(\d+)")


def next_version(names: Iterable[str], bump: str) -> str:
    """The next semantic version after the highest of `names` ("major", "minor" or "patch"),
    or "" when any name is not a semantic version (MAJOR.MINOR.PATCH, optionally after "v")."""
    found = [SEMVER.fullmatch(name) for name in names]
    matches = [match for match in found if match]
    if not found or len(matches) < len(found):
        return ""
    highest = max(matches, key=lambda m: tuple(int(part) for part in m.groups()[1:]))
    prefix, (major, minor, patch) = highest[1], (int(part) for part in highest.groups()[1:])
    if bump == "major":
        return f"{prefix}{major + 1}.0.0"
    if bump == "minor":
        return f"{prefix}{major}.{minor + 1}.0"
    return f"{prefix}{major}.{minor}.{patch + 1}"
