"""A safe YAML loader for untrusted documents, built on libyaml's event parser.

PyYAML's loaders compose the whole node graph before anyone can look at it, and its C
composer recurses once per nesting level (a few hundred thousand `[` crash the process).
This loader instead builds plain Python data straight from libyaml's events, so it can refuse
a document the moment it goes too far:

- nesting deeper than `max_depth`, counted through aliases too;
- aliases that would add more than `max_alias_nodes` nodes if the tree were expanded (a
  "billion laughs" bomb is refused after a handful of events, and aliased data is shared,
  never copied, so memory stays bounded by the input);
- recursive aliases (an alias to a collection that contains it);
- any tag other than YAML's JSON-compatible core ones (`!!python/object`, `!!binary`,
  `!!set`, custom `!tags`...);
- non-scalar mapping keys, and more than one document in the stream;
- numbers that are not finite (`.inf`, `.nan`), which JSON cannot carry.

It is also several times faster than `yaml.load(..., Loader=CSafeLoader)`, whose constructor
is pure Python. Scalars are typed by PyYAML's own YAML 1.1 resolver, with two deliberate
differences that keep the result JSON-compatible: timestamps stay strings
(`version: 2024-06-01` is the string "2024-06-01", as OpenAPI needs), and mapping keys are
always the key's text (`200:` is the key "200").
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

CORE = "tag:yaml.org,2002:"
SCALAR_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null")}
STRING_TAGS = {CORE + "str", CORE + "timestamp", CORE + "value", CORE + "merge", "!"}
NUMBER_TAGS = {CORE + "int", CORE + "float"}
COLLECTION_TAGS = {None, "!", CORE + "map", CORE + "seq"}

MERGE = object()  # the pending key of a mapping after a plain `<<` (a quoted "<<" is a key)

_resolver = Resolver()
_constructor = SafeConstructor()


class YAMLRefused(ValueError):
    """The YAML is well-formed but refused; `kind` is one of: tag, depth, aliases, shape,
    number."""

    def __init__(self, kind: str, message: str, mark: yaml.Mark | None = None) -> None:
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        super().__init__(message + where)
        self.kind = kind


class _Frame:
    """A collection being built: its container, pending key, and expanded size/height."""

    __slots__ = ("value", "is_map", "key", "size", "height", "anchor", "merges")

    def __init__(self, value: dict[str, Any] | list[Any], anchor: str | None) -> None:
        self.value: Any = value
        self.is_map = isinstance(value, dict)
        self.key: str | object | None = None
        self.size = 1
        self.height = 1
        self.anchor = anchor
        self.merges: list[dict[str, Any]] = []


# A position in the text: the C parser's marks are of another class than pure YAML's.
Mark = Any


def _typed_scalar(tag: str, value: str, mark: Mark) -> Any:
    if tag in STRING_TAGS:
        return value
    if tag not in SCALAR_TAGS:
        raise YAMLRefused("tag", f"the YAML tag {tag} is not allowed", mark)
    try:
        # The scalar constructors are stateless; construct_object would cache every node.
        construct = SafeConstructor.yaml_constructors[tag]
        result = construct(_constructor, ScalarNode(tag, value, mark, mark))
    except (yaml.YAMLError, ValueError) as exc:
        shown = repr(value) if len(value) <= 40 else f"a {len(value)}-character value"
        kind = "number" if tag in NUMBER_TAGS else "shape"  # an int over 4,300 digits
        raise YAMLRefused(kind, f"{shown} is not a valid {tag[len(CORE) :]}", mark) from exc
    if isinstance(result, float) and not math.isfinite(result):
        raise YAMLRefused("number", f"{value!r} is not a finite number", mark)
    return result


def _scalar(event: events.ScalarEvent, plain: dict[str, Any]) -> Any:
    """A scalar event's value; `plain` caches plain scalars by text (keys repeat a lot)."""
    if event.tag is not None:
        return _typed_scalar(event.tag, event.value, event.start_mark)
    if event.style:  # quoted, literal or folded: always a string
        return event.value
    if event.value not in plain:
        tag: str = _resolver.resolve(ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
        plain[event.value] = _typed_scalar(tag, event.value, event.start_mark)
    return plain[event.value]


def load_yaml(text: str, *, max_depth: int, max_alias_nodes: int) -> Any:
    """Parse one YAML document into dicts, lists and scalars, within the given limits.

    Raises `yaml.YAMLError` for malformed YAML and `YAMLRefused` for YAML that is refused.
    """
    plain: dict[str, Any] = {}
    anchors: dict[str, tuple[Any, int, int] | None] = {}  # None while still being built
    stack: list[_Frame] = []
    alias_nodes = 0
    documents = 0
    root: Any = None

    parser = yaml.CSafeLoader(text)  # only its C parser is used, for events
    # Dispatched on its exact type below, which mypy does not narrow: read as Any.
    event: Any = None
    try:
        while (kind := type(event := parser.get_event())) is not events.StreamEndEvent:
            if kind is events.ScalarEvent:
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_map and frame.key is None:
                    if event.tag not in (None, "!") and event.tag not in SCALAR_TAGS:
                        raise YAMLRefused(
                            "tag", f"the YAML tag {event.tag} is not allowed", event.start_mark
                        )
                    if event.value == "<<" and event.tag is None and not event.style:
                        frame.key = MERGE  # the value is merged in when the mapping ends
                    else:
                        frame.key = event.value
                    if event.anchor:
                        anchors[event.anchor] = (event.value, 1, 0)
                    continue
                value, size, height = _scalar(event, plain), 1, 0
                if event.anchor:
                    anchors[event.anchor] = (value, 1, 0)
            elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
                if event.tag not in COLLECTION_TAGS:
                    raise YAMLRefused(
                        "tag", f"the YAML tag {event.tag} is not allowed", event.start_mark
                    )
                if stack and stack[-1].is_map and stack[-1].key is None:
                    raise YAMLRefused("shape", "mapping keys must be strings", event.start_mark)
                if len(stack) >= max_depth:
                    raise YAMLRefused(
                        "depth", f"nested deeper than {max_depth} levels", event.start_mark
                    )
                container: dict[str, Any] | list[Any] = (
                    {} if kind is events.MappingStartEvent else []
                )
                stack.append(_Frame(container, event.anchor))
                if event.anchor:
                    anchors[event.anchor] = None
                continue
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                done = stack.pop()
                value, size, height = done.value, done.size, done.height
                if done.merges:
                    for merged in done.merges:
                        for key, item in merged.items():
                            value.setdefault(key, item)
                if done.anchor:
                    anchors[done.anchor] = (value, size, height)
            elif kind is events.AliasEvent:
                if event.anchor not in anchors:
                    raise YAMLRefused("shape", f"unknown alias *{event.anchor}", event.start_mark)
                target = anchors[event.anchor]
                if target is None:
                    raise YAMLRefused(
                        "aliases", f"recursive alias *{event.anchor}", event.start_mark
                    )
                value, size, height = target
                alias_nodes += size
                if alias_nodes > max_alias_nodes:
                    raise YAMLRefused(
                        "aliases",
                        f"aliases expand to more than {max_alias_nodes} extra nodes",
                        event.start_mark,
                    )
                if len(stack) + height > max_depth:
                    raise YAMLRefused(
                        "depth", f"nested deeper than {max_depth} levels", event.start_mark
                    )
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_map and frame.key is None:
                    if not isinstance(value, str):
                        raise YAMLRefused("shape", "mapping keys must be strings", event.start_mark)
                    frame.key = value
                    continue
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YAMLRefused(
                        "shape", "the stream holds more than one YAML document", event.start_mark
                    )
                continue
            else:
                continue

            if not stack:
                root = value
                continue
            frame = stack[-1]
            frame.size += size
            if height + 1 > frame.height:
                frame.height = height + 1
            if not frame.is_map:
                frame.value.append(value)
            elif frame.key is MERGE:
                merges = value if isinstance(value, list) else [value]
                if not all(isinstance(m, dict) for m in merges):
                    raise YAMLRefused(
                        "shape", "a merge key (<<) must merge mappings", event.start_mark
                    )
                frame.merges.extend(merges)
                frame.key = None
            else:
                frame.value[frame.key] = value
                frame.key = None
    finally:
        parser.dispose()
    return root
