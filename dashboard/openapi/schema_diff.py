"""Structural comparison of JSON Schemas for the breaking-change rules (`breaking.py`): each
difference found is a `Change` naming the rule it falls under; `breaking.py` grades it by the
direction the data travels."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

REF_PREFIXES = ("#/$defs/", "#/definitions/")
# Where a schema is nested deeper than this, the rest of it is reported, not compared.
MAX_DEPTH = 100


@dataclass(frozen=True)
class Change:
    rule: str
    what: str


def ref_name(schema: Any, known: Mapping[str, Any]) -> str | None:
    """The definition a schema refers to, if it is a reference to one."""
    if isinstance(schema, dict) and isinstance(ref := schema.get("$ref"), str):
        for prefix in REF_PREFIXES:
            if ref.startswith(prefix) and (name := ref[len(prefix) :]) in known:
                return name
    return None


def refs_in(schema: Any, known: Mapping[str, Any]) -> set[str]:
    found, stack = set(), [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if name := ref_name(item, known):
                found.add(name)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def at(where: str, what: str) -> str:
    return f"property “{where}”: {what}" if where else what


def shown(value: Any) -> str:
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


def type_rule(was: set[str], now: set[str]) -> str:
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


class SchemaComparison:
    """Structural comparison of two JSON Schemas, each change with the rule it falls under.

    A reference to the same-named definition on both sides is not entered: that definition is
    compared on its own. A reference to a different one is followed, once per pair of names,
    so cyclic schemas end."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.seen: set[tuple[str | None, str | None]] = set()

    def compare_definitions(self, old_name: str, new_name: str) -> Iterator[Change]:
        self.seen.add((old_name, new_name))
        yield from self.compare(self.old.get(old_name, {}), self.new.get(new_name, {}), "")

    def compare(self, old: Any, new: Any, where: str, depth: int = 0) -> Iterator[Change]:
        old_ref, new_ref = ref_name(old, self.old), ref_name(new, self.new)
        if old_ref or new_ref:
            if old_ref == new_ref:
                return
            if (old_ref, new_ref) in self.seen:
                return
            self.seen.add((old_ref, new_ref))
            if old_ref and new_ref:
                yield Change("wording", at(where, f"now “{new_ref}” instead of “{old_ref}”"))
            old = self.old[old_ref] if old_ref else old
            new = self.new[new_ref] if new_ref else new
        if old == new and type(old) is type(new):
            return
        if depth > MAX_DEPTH:
            yield Change("schema-other", at(where, "changed (nested too deep to compare further)"))
            return
        if not isinstance(old, dict) or not isinstance(new, dict):
            yield Change("schema-other", at(where, "schema changed"))
            return
        yield from self._type(old, new, where)
        yield from self._enum(old, new, where)
        yield from self._bounds(old, new, where)
        yield from self._objects(old, new, where, depth)
        yield from self._arrays(old, new, where, depth)
        for keyword in ("allOf", "oneOf", "anyOf"):
            yield from self._composition(keyword, old, new, where, depth)
        if old.get("default") != new.get("default"):
            yield Change(
                "default-changed",
                at(where, f"default {shown(old.get('default'))} → {shown(new.get('default'))}"),
            )
        for keyword in WORDING:
            if old.get(keyword) != new.get(keyword):
                yield Change("wording", at(where, f"{keyword} changed"))
        for keyword in sorted((old.keys() | new.keys()) - HANDLED):
            if old.get(keyword) != new.get(keyword):
                yield Change("schema-other", at(where, f"{keyword} changed"))

    def _type(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[Change]:
        (was, was_null), (now, now_null) = _types(old), _types(new)
        if was != now:
            shown = " or ".join(sorted(was or {"any"})), " or ".join(sorted(now or {"any"}))
            if was is None or now is None:
                rule = "type-narrowed" if was is None else "type-widened"
            else:
                rule = type_rule(was, now)
            yield Change(rule, at(where, f"type {shown[0]} → {shown[1]}"))
        if was_null != now_null:
            if now_null:
                yield Change("nullable-added", at(where, "may now be null"))
            else:
                yield Change("nullable-removed", at(where, "may no longer be null"))
        was_format, now_format = old.get("format"), new.get("format")
        if was_format != now_format:
            if now_format is None:
                yield Change("format-removed", at(where, f"format {was_format} removed"))
            else:
                said = (
                    f"format {was_format} → {now_format}"
                    if was_format
                    else f"format {now_format} added"
                )
                yield Change("format-changed", at(where, said))

    def _enum(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[Change]:
        was, now = _enum(old), _enum(new)
        if was == now:
            return
        if was is None:
            yield Change("enum-added", at(where, f"now limited to {_values(now or [])}"))
        elif now is None:
            yield Change("enum-removed", at(where, "no longer limited to listed values"))
        else:
            if removed := [value for value in was if value not in now]:
                yield Change("enum-values-removed", at(where, f"values {_values(removed)} removed"))
            if added := [value for value in now if value not in was]:
                yield Change("enum-values-added", at(where, f"values {_values(added)} added"))

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[Change]:
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
                yield Change("schema-other", at(where, f"{keyword} changed"))
                continue
            upper = keyword in UPPER_BOUNDS
            tighter = was is None or (now is not None and (now < was if upper else now > was))
            yield Change(
                "constraint-tightened" if tighter else "constraint-loosened",
                at(where, f"{keyword} {shown(was)} → {shown(now)}"),
            )
        for keyword in ("pattern", "multipleOf"):
            was, now = old.get(keyword), new.get(keyword)
            if was != now:
                rule = "constraint-loosened" if now is None else "constraint-tightened"
                yield Change(rule, at(where, f"{keyword} {shown(was)} → {shown(now)}"))
        if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
            rule = "constraint-tightened" if new.get("uniqueItems") else "constraint-loosened"
            yield Change(
                rule,
                at(
                    where,
                    "items must now be unique"
                    if new.get("uniqueItems")
                    else "items may now repeat",
                ),
            )

    def _objects(
        self, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[Change]:
        was_props, now_props = old.get("properties") or {}, new.get("properties") or {}
        was_required, now_required = set(old.get("required") or ()), set(new.get("required") or ())
        for name in sorted(was_props.keys() | now_props.keys()):
            inner = f"{where}.{name}" if where else name
            if name not in now_props:
                yield Change("property-removed", f"property “{inner}” removed")
            elif name not in was_props:
                if name in now_required:
                    yield Change("property-added-required", f"required property “{inner}” added")
                else:
                    yield Change("property-added", f"optional property “{inner}” added")
            else:
                if name in now_required and name not in was_required:
                    yield Change("property-required", f"property “{inner}” is now required")
                elif name in was_required and name not in now_required:
                    yield Change("property-optional", f"property “{inner}” is no longer required")
                yield from self.compare(was_props[name], now_props[name], inner, depth + 1)
        # Required names without a property schema (e.g. given by an allOf part).
        for name in sorted((now_required - was_required) - now_props.keys()):
            yield Change("property-required", at(where, f"“{name}” is now required"))
        for name in sorted((was_required - now_required) - was_props.keys()):
            yield Change("property-optional", at(where, f"“{name}” is no longer required"))
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
            yield Change(rule, at(where, words))

    def _arrays(
        self, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[Change]:
        was, now = old.get("items"), new.get("items")
        if was is None and now is None:
            return
        if isinstance(was, dict) and isinstance(now, dict):
            yield from self.compare(was, now, f"{where}[]", depth + 1)
        elif was != now:
            yield Change("schema-other", at(where, "items changed"))

    def _composition(
        self, keyword: str, old: dict[str, Any], new: dict[str, Any], where: str, depth: int
    ) -> Iterator[Change]:
        was, now = self._parts(old.get(keyword), self.old), self._parts(new.get(keyword), self.new)
        if not was and not now:
            return
        added_rule, removed_rule = (
            ("all-of-added", "all-of-removed")
            if keyword == "allOf"
            else ("choice-added", "choice-removed")
        )
        for key in was.keys() - now.keys():
            yield Change(removed_rule, at(where, f"{keyword} part {_part_label(key)} removed"))
        for key in now.keys() - was.keys():
            yield Change(added_rule, at(where, f"{keyword} part {_part_label(key)} added"))
        for key in sorted(was.keys() & now.keys(), key=str):
            yield from self.compare(was[key], now[key], where, depth + 1)

    @staticmethod
    def _parts(parts: Any, known: Mapping[str, Any]) -> dict[str | int, Any]:
        """A composition's parts keyed by the definition they refer to, else by position."""
        keyed: dict[str | int, Any] = {}
        for index, part in enumerate(parts if isinstance(parts, list) else []):
            keyed[ref_name(part, known) or index] = part
        return keyed


def _part_label(key: str | int) -> str:
    return f"“{key}”" if isinstance(key, str) else f"#{key + 1}"


def _values(values: list[Any]) -> str:
    return ", ".join(shown(value) for value in values[:10]) + (" …" if len(values) > 10 else "")
