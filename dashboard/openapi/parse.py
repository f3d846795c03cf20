"""Bytes to a document: size limit, UTF-8, JSON or YAML detected from the content, nesting limit.

A document whose first non-blank character is `{` or `[` is JSON, parsed by the standard
library (as fast as orjson on these documents, with a fraction of its peak memory). Anything
else is YAML, parsed by `yaml_loader`, which refuses unsafe tags, alias bombs and deep
nesting while it parses.

Values nothing downstream can hold are refused with their JSON pointer: integers longer than
Python converts (4,300 digits), numbers that are not finite (`NaN`, `1e999`, YAML `.inf`),
and strings with NUL characters or unpaired surrogates (`"\ud800"`), which the database
cannot store and a page cannot encode.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import yaml

from .messages import ImportFailure, Message, pointer
from .text import unstorable_path
from .yaml_loader import YAMLRefused, load_yaml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_DEPTH = 128
DEFAULT_MAX_ALIAS_NODES = 250_000

# Only an escape can put NUL or a surrogate into text decoded from UTF-8; without one, the
# parsed strings need no walk.
_RISKY_ESCAPE = re.compile(r"\\(?:0|x00|u0000|U00000000|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300

_REFUSALS = {
    "tag": ("unsafe_yaml", "The YAML uses a tag that is not allowed; only plain data is accepted."),
    "depth": ("too_deep", "The document is nested too deeply."),
    "aliases": ("too_many_aliases", "The YAML's aliases expand too far (an alias bomb?)."),
    "shape": ("not_json_or_yaml", "The YAML cannot be read as plain data."),
    "number": (
        "unsupported_number",
        "The YAML holds a number that cannot be imported: numbers must be finite and integers "
        f"at most {MAX_INT_DIGITS} digits long.",
    ),
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


class _BadNumber:
    """Stands in for a number the parser read but nothing downstream could hold."""

    def __init__(self, text: str) -> None:
        self.text = text


def _first(value: Any, wanted: type) -> tuple[tuple[str | int, ...], Any]:
    """The path to the first `wanted` instance in `value`, and that instance."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, wanted):
            return path, node
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return (), None


def _load_json(text: str, max_depth: int) -> Any:
    bad: list[_BadNumber] = []

    def refuse(text: str) -> _BadNumber:
        bad.append(_BadNumber(text))
        return bad[-1]

    def finite(text: str) -> float | _BadNumber:
        value = float(text)
        return value if math.isfinite(value) else refuse(text)

    try:
        value = json.loads(
            text,
            parse_int=lambda t: int(t) if len(t.lstrip("-")) <= MAX_INT_DIGITS else refuse(t),
            parse_float=finite,
            parse_constant=refuse,  # NaN, Infinity, -Infinity
        )
    except RecursionError as exc:
        raise _too_deep(max_depth) from exc
    if isinstance(value, dict | list) and _deepest(value, max_depth) > max_depth:
        raise _too_deep(max_depth)
    if bad:
        path, number = _first(value, _BadNumber)
        where, text = pointer(*path), (number or bad[0]).text
        shown = text if len(text) <= 20 else f"a {len(text.lstrip('-'))}-digit number"
        raise ImportFailure(
            "unsupported_number",
            f"The number at {where or '/'} ({shown}) cannot be imported: numbers must be finite "
            f"and integers at most {MAX_INT_DIGITS} digits long.",
            [Message.error(f"{shown} is not an importable number.", where)],
        )
    return value


def _check_text(text: str, value: Any) -> None:
    """Refuse a string (or key) holding NUL or an unpaired surrogate, naming where it is."""
    if not _RISKY_ESCAPE.search(text):
        return
    path = unstorable_path(value)
    if path is not None:
        where = pointer(*path)
        raise ImportFailure(
            "invalid_text",
            f"The text at {where or '/'} holds a NUL character or an unpaired surrogate "
            "(such as \\ud800), which is not Unicode text that can be stored.",
            [Message.error("NUL characters and unpaired surrogates are not allowed.", where)],
        )


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
) -> dict[str, Any]:
    """Parse an uploaded document into a dict, refusing anything unsafe or unreadable.

    Raises `ImportFailure` with code `too_large`, `not_utf8`, `empty_document`,
    `not_json_or_yaml`, `unsafe_yaml`, `too_deep`, `too_many_aliases`, `unsupported_number`,
    `invalid_text` or `not_an_object`.
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

    _check_text(text, value)
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else "a single value"
        raise ImportFailure(
            "not_an_object",
            f"The document is {kind}, not an object; an OpenAPI document is an object "
            "with openapi, info and paths.",
        )
    return value
