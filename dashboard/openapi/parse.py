"""Bytes to a document: size limit, UTF-8, JSON or YAML detected from the content, nesting limit.

A document whose first non-blank character is `{` or `[` is JSON, parsed by the standard
library (as fast as orjson on these documents, with a fraction of its peak memory). Anything
else is YAML, parsed by `yaml_loader`, which refuses unsafe tags, alias bombs and deep
nesting while it parses.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .messages import ImportFailure, Message
from .yaml_loader import YAMLRefused, load_yaml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_DEPTH = 128
DEFAULT_MAX_ALIAS_NODES = 250_000

_REFUSALS = {
    "tag": ("unsafe_yaml", "The YAML uses a tag that is not allowed; only plain data is accepted."),
    "depth": ("too_deep", "The document is nested too deeply."),
    "aliases": ("too_many_aliases", "The YAML's aliases expand too far (an alias bomb?)."),
    "shape": ("not_json_or_yaml", "The YAML cannot be read as plain data."),
}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            "not_utf8",
            f"The document is not UTF-8 text (invalid byte at offset {exc.start}).",
        ) from exc


def _deepest(value: Any, limit: int) -> int:
    """Depth of nested objects and arrays, giving up as soon as it passes `limit`."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest


def _too_deep(max_depth: int) -> ImportFailure:
    return ImportFailure("too_deep", f"The document is nested deeper than {max_depth} levels.")


def _load_json(text: str, max_depth: int) -> Any:
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise _too_deep(max_depth) from exc
    if isinstance(value, dict | list) and _deepest(value, max_depth) > max_depth:
        raise _too_deep(max_depth)
    return value


def _yaml_failure(exc: yaml.YAMLError) -> ImportFailure:
    text = str(exc).splitlines()[0] if str(exc) else "malformed YAML"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is not None and problem:
        text = f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return ImportFailure(
        "not_json_or_yaml", f"The document is neither JSON nor valid YAML: {text}."
    )


def parse_document(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
) -> dict:
    """Parse an uploaded document into a dict, refusing anything unsafe or unreadable.

    Raises `ImportFailure` with code `too_large`, `not_utf8`, `empty_document`,
    `not_json_or_yaml`, `unsafe_yaml`, `too_deep`, `too_many_aliases` or `not_an_object`.
    """
    if len(data) > max_bytes:
        raise ImportFailure(
            "too_large",
            f"The document is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}.",
        )
    text = _decode(data)
    stripped = text.lstrip()
    if not stripped:
        raise ImportFailure("empty_document", "The document is empty.")

    try:
        if stripped[0] in "{[":
            value = _load_json(text, max_depth)
        else:
            value = load_yaml(text, max_depth=max_depth, max_alias_nodes=max_alias_nodes)
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            "not_json_or_yaml",
            f"The document is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
        ) from exc
    except YAMLRefused as exc:
        code, summary = _REFUSALS[exc.kind]
        raise ImportFailure(code, summary, [Message.error(str(exc))]) from exc
    except yaml.YAMLError as exc:
        raise _yaml_failure(exc) from exc

    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else "a single value"
        raise ImportFailure(
            "not_an_object",
            f"The document is {kind}, not an object; an OpenAPI document is an object "
            "with openapi, info and paths.",
        )
    return value
