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

REF_PREFIXES = ("#/$defs/", "#/definitions/")
# Where a schema is nested deeper than this, the rest of it is reported, not compared.
MAX_DEPTH = 100


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


@dataclass(frozen=True)
class _Change:
    rule: str
    what: str


def _ref_name(schema: Any, known: Mapping[str, Any]) -> str | None:
    """The definition a schema refers to, if it is a reference to one."""
    if isinstance(schema, dict) and isinstance(ref := schema.get("$ref"), str):
        for prefix in REF_PREFIXES:
            if ref.startswith(prefix) and (name := ref[len(prefix) :]) in known:
                return name
    return None


def _refs_in(schema: Any, known: Mapping[str, Any]) -> set[str]:
    found, stack = set(), [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if name := _ref_name(item, known):
                found.add(name)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _at(where: str, what: str) -> str:
    return f"property “{where}”: {what}" if where else what


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
        self, kind: str, name: str, change: _Change, directions: frozenset[Direction]
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
    ) -> Iterator[tuple[frozenset[Direction], _Change]]:
        request, response = (frozenset({side}) for side in _sides(kind))
        if (old.get("method") or "") != (new.get("method") or ""):
            yield request, _Change("method-changed", f"method {old['method']} → {new['method']}")
        if (old.get("path") or "") != (new.get("path") or ""):
            yield request, _Change("path-changed", f"path {old['path']} → {new['path']}")
        for label in ("summary", "description"):
            if (old.get(label) or "") != (new.get(label) or ""):
                yield request, _Change("wording", f"{label} changed")
        for change in self._parameters(old.get("parameters") or [], new.get("parameters") or []):
            yield request, change
        for change in self._body(old.get("requestBody"), new.get("requestBody")):
            yield request, change
        for change in self._responses(old.get("responses") or [], new.get("responses") or []):
            yield response, change

    def _parameters(
        self, old: list[dict[str, Any]], new: list[dict[str, Any]]
    ) -> Iterator[_Change]:
        before = {(p["in"], p["name"]): p for p in old}
        after = {(p["in"], p["name"]): p for p in new}
        gone = {name: where for where, name in before.keys() - after.keys()}
        came = {name: where for where, name in after.keys() - before.keys()}
        for name in sorted(gone.keys() & came.keys()):
            text = f"{gone[name]} parameter “{name}” is now a {came[name]} parameter"
            yield _Change("parameter-moved", text)
        for name in sorted(gone.keys() - came.keys()):
            yield _Change("parameter-removed", f"{gone[name]} parameter “{name}” removed")
        for name in sorted(came.keys() - gone.keys()):
            where = came[name]
            if after[(where, name)].get("required"):
                yield _Change(
                    "parameter-added-required", f"required {where} parameter “{name}” added"
                )
            else:
                yield _Change("parameter-added", f"optional {where} parameter “{name}” added")
        for key in sorted(before.keys() & after.keys()):
            was, now = before[key], after[key]
            label = f"{key[0]} parameter “{key[1]}”"
            if bool(was.get("required")) != bool(now.get("required")):
                if now.get("required"):
                    yield _Change("parameter-required", f"{label} is now required")
                else:
                    yield _Change("parameter-optional", f"{label} is no longer required")
            was_type, now_type = was.get("type") or "string", now.get("type") or "string"
            if was_type != now_type:
                yield _Change(
                    _type_rule({was_type}, {now_type}), f"{label}: type {was_type} → {now_type}"
                )
            if was.get("default") != now.get("default"):
                yield _Change(
                    "default-changed",
                    f"{label}: default {_shown(was.get('default'))} → {_shown(now.get('default'))}",
                )

    def _body(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Iterator[_Change]:
        if not old and not new:
            return
        if not old:
            required = bool(new and new.get("required"))
            rule = "body-added-required" if required else "body-added"
            yield _Change(rule, f"{'required' if required else 'optional'} request body added")
            return
        if not new:
            yield _Change("body-removed", "request body removed")
            return
        if bool(old.get("required")) != bool(new.get("required")):
            if new.get("required"):
                yield _Change("body-required", "request body is now required")
            else:
                yield _Change("body-optional", "request body is no longer required")
        yield from self._links("request body", old, new)

    def _responses(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[_Change]:
        before = {r.get("status"): r for r in old}
        after = {r.get("status"): r for r in new}
        for status in sorted(before.keys() | after.keys(), key=lambda s: (s is None, s or 0)):
            label = f"response {'default' if status is None else status}"
            if status not in after:
                success = status is not None and 200 <= status < 300
                yield _Change(
                    "success-status-removed" if success else "status-removed", f"{label} removed"
                )
            elif status not in before:
                yield _Change("status-added", f"{label} added")
            else:
                yield from self._links(label, before[status], after[status])

    def _links(self, label: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[_Change]:
        """A body's or response's definitions: the same names are compared as definitions;
        one definition replaced by another is compared with it here."""
        was, now = _linked(old), _linked(new)
        if len(was) == 1 and len(now) == 1 and was != now:
            yield _Change("definition-replaced", f"{label} uses “{now[0]}” instead of “{was[0]}”")
            schemas = _Schemas(self.old.schemas, self.new.schemas)
            for change in schemas.compare_definitions(was[0], now[0]):
                yield _Change(change.rule, f"{label}: {change.what}")
            return
        for name in now:
            if name not in was:
                yield _Change("definition-added", f"{label} may now be “{name}”")
        for name in was:
            if name not in now:
                yield _Change("definition-removed", f"{label} is no longer “{name}”")

    # --- Definitions --------------------------------------------------------------------------

    def _definition(self, name: str) -> Iterator[_Change]:
        old, new = self.old.definitions[name], self.new.definitions[name]
        was, now = set(old.get("accept") or ()), set(new.get("accept") or ())
        if removed := sorted(was - now):
            yield _Change("media-type-removed", f"media type {', '.join(removed)} removed")
        if added := sorted(now - was):
            yield _Change("media-type-added", f"media type {', '.join(added)} added")
        if (old.get("description") or "") != (new.get("description") or ""):
            yield _Change("wording", "description changed")
        if name in self.old.schemas or name in self.new.schemas:
            yield from _Schemas(self.old.schemas, self.new.schemas).compare_definitions(name, name)

    def _directions(self) -> dict[str, frozenset[Direction]]:
        """The directions each definition's data travels in, in either version: from the
        items that use it, through the definitions that refer to it."""
        found: dict[str, set[Direction]] = {}
        for snapshot in (self.old, self.new):
            refs = {
                name: _refs_in(schema, snapshot.schemas)
                for name, schema in snapshot.schemas.items()
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


def _shown(value: Any) -> str:
    return "(none)" if value is None else repr(value) if isinstance(value, str) else str(value)


# --- JSON Schemas -------------------------------------------------------------------------------

UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
WORDING = ("title", "description", "example", "examples", "$comment", "deprecated", "externalDocs")
# Keywords the rules below read; any other keyword that differs is "schema-other".
HANDLED = {
    "$ref",
    "type",
    "nullable",
    "format",
    "enum",
    "const",
    "required",
    "properties",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "pattern",
    "multipleOf",
    "uniqueItems",
    "default",
    *UPPER_BOUNDS,
    *LOWER_BOUNDS,
    *WORDING,
}


def _type_rule(was: set[str], now: set[str]) -> str:
    """Widened when everything valid before still is (an integer is a number)."""

    def covers(types: set[str], other: set[str]) -> bool:
        return all(t in types or (t == "integer" and "number" in types) for t in other)

    if covers(now, was):
        return "type-widened"
    if covers(was, now):
        return "type-narrowed"
    return "type-changed"


def _types(schema: dict[str, Any]) -> tuple[set[str] | None, bool]:
    """The schema's types (None: any) and whether it allows null (3.0 `nullable` or 3.1
    `"null"` in `type`)."""
    declared = schema.get("type")
    if declared is None:
        return None, bool(schema.get("nullable"))
    types = {declared} if isinstance(declared, str) else set(declared)
    nullable = "null" in types or bool(schema.get("nullable"))
    return types - {"null"}, nullable


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in schema and isinstance(schema["enum"], list):
        return schema["enum"]
    if "const" in schema:
        return [schema["const"]]
    return None


class _Schemas:
    """Structural comparison of two JSON Schemas, each change with the rule it falls under.

    A reference to the same-named definition on both sides is not entered: that definition is
    compared on its own. A reference to a different one is followed, once per pair of names,
    so cyclic schemas end."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.seen: set[tuple[str | None, str | None]] = set()

    def compare_definitions(self, old_name: str, new_name: str) -> Iterator[_Change]:
        self.seen.add((old_name, new_name))
        yield from self.compare(self.old.get(old_name, {}), self.new.get(new_name, {}), "")

    def compare(self, old: Any, new: Any, where: str, depth: int = 0) -> Iterator[_Change]:
        old_ref, new_ref = _ref_name(old, self.old), _ref_name(new, self.new)
        if old_ref or new_ref:
            if old_ref == new_ref:
                return
            if (old_ref, new_ref) in self.seen:
                return
            self.seen.add((old_ref, new_ref))
            if old_ref and new_ref:
                yield _Change("wording", _at(where, f"now “{new_ref}” instead of “{old_ref}”"))
            old = self.old[old_ref] if old_ref else old
            new = self.new[new_ref] if new_ref else new
        if old == new and type(old) is type(new):
            return
        if depth > MAX_DEPTH:
            yield _Change(
                "schema-other", _at(where, "changed (nested too deep to compare further)")
            )
            return
        if not isinstance(old, dict) or not isinstance(new, dict):
            yield _Change("schema-other", _at(where, "schema changed"))
            return
        yield from self._type(old, new, where)
        yield from self._enum(old, new, where)
        yield from self._bounds(old, new, where)
        yield from self._objects(old, new, where, depth)
        yield from self._arrays(old, new, where, depth)
        for keyword in ("allOf", "oneOf", "anyOf"):
            yield from self._composition(keyword, old, new, where, depth)
        if old.get("default") != new.get("default"):
            yield _Change(
                "default-changed",
                _at(where, f"default {_shown(old.get('default'))} → {_shown(new.get('default'))}"),
            )
        for keyword in WORDING:
            if old.get(keyword) != new.get(keyword):
                yield _Change("wording", _at(where, f"{keyword} changed"))
        for keyword in sorted((old.keys() | new.keys()) - HANDLED):
            if old.get(keyword) != new.get(keyword):
                yield _Change("schema-other", _at(where, f"{keyword} changed"))

    def _type(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[_Change]:
        (was, was_null), (now, now_null) = _types(old), _types(new)
        if was != now:
            shown = " or ".join(sorted(was or {"any"})), " or ".join(sorted(now or {"any"}))
            if was is None or now is None:
                rule = "type-narrowed" if was is None else "type-widened"
            else:
                rule = _type_rule(was, now)
            yield _Change(rule, _at(where, f"type {shown[0]} → {shown[1]}"))
        if was_null != now_null:
            if now_null:
                yield _Change("nullable-added", _at(where, "may now be null"))
            else:
                yield _Change("nullable-removed", _at(where, "may no longer be null"))
        was_format, now_format = old.get("format"), new.get("format")
        if was_format != now_format:
            if now_format is None:
                yield _Change("format-removed", _at(where, f"format {was_format} removed"))
            else:
                said = (
                    f"format {was_format} → {now_format}"
                    if was_format
                    else f"format {now_format} added"
                )
                yield _Change("format-changed", _at(where, said))

    def _enum(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[_Change]:
        was, now = _enum(old), _enum(new)
        if was == now:
            return
        if was is None:
            yield _Change("enum-added", _at(where, f"now limited to {_values(now or [])}"))
        elif now is None:
            yield _Change("enum-removed", _at(where, "no longer limited to listed values"))
        else:
            if removed := [value for value in was if value not in now]:
                yield _Change(
                    "enum-values-removed", _at(where, f"values {_values(removed)} removed")
                )
            if added := [value for value in now if value not in was]:
                yield _Change("enum-values-added", _at(where, f"values {_values(added)} added"))

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[_Change]:
        for keyword in UPPER_BOUNDS + LOWER_BOUNDS:
            was, now = old.get(keyword), new.get(keyword)
            if was == now:
                continue
            numbers = all(
                isinstance(v, int | float) and not isinstance(v, bool)
                for v in (was, now)
                if v is not None
            )
            if not numbers:  # OpenAPI 3.0's boolean exclusiveMaximum: its meaning changed
                yield _Change("schema-other", _at(where, f"{keyword} changed"))
                continue
            upper = keyword in UPPER_BOUNDS
            tighter = was is None or (now is not None and (now < was if upper else now > was))
            yield _Change(
                "constraint-tightened" if tighter else "constraint-loosened",
                _at(where, f"{keyword} {_shown(was)} → {_shown(now)}"),
            )
        for keyword in ("pattern", "multipleOf"):
            was, now = old.get(keyword), new.get(keyword)
            if was != now:
                rule = "constraint-loosened" if now is None else "constraint-tightened"
                yield _Change(rule, _at(where, f"{keyword} {_shown(was)} → {_shown(now)}"))
        if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
            rule = "constraint-tightened" if new.get("uniqueItems") else "constraint-loosened"
            yield _Change(
                rule,
                _at(
                    where,
                    "items must now be unique"
                    if new.get("uniqueItems")
                    else "items may now repeat",
                ),
            )

    def _objects(
        self, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[_Change]:
        was_props, now_props = old.get("properties") or {}, new.get("properties") or {}
        was_required, now_required = set(old.get("required") or ()), set(new.get("required") or ())
        for name in sorted(was_props.keys() | now_props.keys()):
            inner = f"{where}.{name}" if where else name
            if name not in now_props:
                yield _Change("property-removed", f"property “{inner}” removed")
            elif name not in was_props:
                if name in now_required:
                    yield _Change("property-added-required", f"required property “{inner}” added")
                else:
                    yield _Change("property-added", f"optional property “{inner}” added")
            else:
                if name in now_required and name not in was_required:
                    yield _Change("property-required", f"property “{inner}” is now required")
                elif name in was_required and name not in now_required:
                    yield _Change("property-optional", f"property “{inner}” is no longer required")
                yield from self.compare(was_props[name], now_props[name], inner, depth + 1)
        # Required names without a property schema (e.g. given by an allOf part).
        for name in sorted((now_required - was_required) - now_props.keys()):
            yield _Change("property-required", _at(where, f"“{name}” is now required"))
        for name in sorted((was_required - now_required) - was_props.keys()):
            yield _Change("property-optional", _at(where, f"“{name}” is no longer required"))
        was, now = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if isinstance(was, dict) and isinstance(now, dict):
            yield from self.compare(was, now, f"{where}{{*}}", depth + 1)
        elif was != now:
            closed = now is False or (isinstance(now, dict) and was is True)
            rule = "additional-closed" if closed else "additional-opened"
            words = (
                "other properties are no longer allowed"
                if closed
                else "other properties are now allowed"
            )
            yield _Change(rule, _at(where, words))

    def _arrays(
        self, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[_Change]:
        was, now = old.get("items"), new.get("items")
        if was is None and now is None:
            return
        if isinstance(was, dict) and isinstance(now, dict):
            yield from self.compare(was, now, f"{where}[]", depth + 1)
        elif was != now:
            yield _Change("schema-other", _at(where, "items changed"))

    def _composition(
        self, keyword: str, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[_Change]:
        was, now = self._parts(old.get(keyword), self.old), self._parts(new.get(keyword), self.new)
        if not was and not now:
            return
        added_rule, removed_rule = (
            ("all-of-added", "all-of-removed")
            if keyword == "allOf"
            else ("choice-added", "choice-removed")
        )
        for key in was.keys() - now.keys():
            yield _Change(removed_rule, _at(where, f"{keyword} part {_part_label(key)} removed"))
        for key in now.keys() - was.keys():
            yield _Change(added_rule, _at(where, f"{keyword} part {_part_label(key)} added"))
        for key in sorted(was.keys() & now.keys(), key=str):
            yield from self.compare(was[key], now[key], where, depth + 1)

    @staticmethod
    def _parts(parts: Any, known: Mapping[str, Any]) -> dict[str | int, Any]:
        """A composition's parts keyed by the definition they refer to, else by position."""
        keyed: dict[str | int, Any] = {}
        for index, part in enumerate(parts if isinstance(parts, list) else []):
            keyed[_ref_name(part, known) or index] = part
        return keyed


def _part_label(key: str | int) -> str:
    return f"“{key}”" if isinstance(key, str) else f"#{key + 1}"


def _values(values: list[Any]) -> str:
    return ", ".join(_shown(value) for value in values[:10]) + (" …" if len(values) > 10 else "")


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
