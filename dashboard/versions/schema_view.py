"""A JSON Schema as a tree to read: nested objects fold away (`<details>`), and a reference to
another definition (`#/$defs/<name>`) shows that name, linked to its page."""

import json
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

from dashboard.web.markup import format_html, join_html

from .contents import NAMED_REF

# Levels shown unfolded; deeper ones start folded (a person opens what they need).
OPEN_LEVELS = 2


def schema_tree(schema: Any, link: Callable[[str], str]) -> SafeString:
    """The schema as nested lists; `link(name)` is the URL of the definition `name`."""
    return format_html('<ul class="schema-tree">{}</ul>', _children(schema, link, 0))


def _children(value: Any, link: Callable[[str], str], depth: int) -> SafeString:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    return join_html(_node(str(key), child, link, depth) for key, child in items)


def _node(key: str, value: Any, link: Callable[[str], str], depth: int) -> SafeString:
    if key == "$ref" and isinstance(value, str) and value.startswith(NAMED_REF):
        name, _, pointer = value[len(NAMED_REF) :].partition("/")
        return format_html(
            '<li><span class="schema-tree__key">$ref</span> → <a href="{}">{}</a>{}</li>',
            link(name),
            name,
            f" /{pointer}" if pointer else "",
        )
    if isinstance(value, dict | list) and value:
        summary = f"{len(value)} {'item' if isinstance(value, list) else 'key'}"
        summary += "" if len(value) == 1 else "s"
        return format_html(
            '<li><details class="schema-tree__node"{}><summary><span class="schema-tree__key">'
            '{}</span> <span class="muted">{}</span></summary><ul>{}</ul></details></li>',
            " open" if depth < OPEN_LEVELS else "",
            key,
            summary,
            _children(value, link, depth + 1),
        )
    return format_html(
        '<li><span class="schema-tree__key">{}</span>: <code>{}</code></li>',
        key,
        json.dumps(value, ensure_ascii=False),
    )
