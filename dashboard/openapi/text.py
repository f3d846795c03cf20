"""Text the database can store: no NUL characters, no unpaired surrogates.

JSON can carry both as `\\u` escapes (and YAML as `\\0` or `\\ud800`), but neither PostgreSQL
nor SQLite can store them, and a page cannot be encoded with a lone surrogate in it. Shared by
the importer (which refuses such a document with a pointer) and the embedded API (which
refuses such a request body).
"""

from __future__ import annotations

from typing import Any


def storable(text: str) -> bool:
    """Whether the database can store `text`: no NUL characters, no lone surrogates."""
    if "\x00" in text:
        return False
    if text.isascii():  # constant time, and the common case: no surrogates possible
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable_throughout(data: Any) -> bool:
    """`unstorable_path(data) is None` without keeping paths, for the common case."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not storable(item):
                return False
        elif isinstance(item, dict):
            if not all(map(storable, item)):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def unstorable_path(data: Any) -> tuple[str | int, ...] | None:
    """The path (keys and indexes) to the first string in JSON-like `data` that cannot be
    stored (for an object key, the object's path), else None. Iterative: documents nest as
    deep as the parser allows."""
    if _storable_throughout(data):
        return None
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not storable(item):
                return path
        elif isinstance(item, dict):
            if not all(map(storable, item)):
                return path
            stack.extend(((*path, key), value) for key, value in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*path, i), value) for i, value in reversed(list(enumerate(item))))
    return None
