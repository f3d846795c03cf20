"""The order in which a version's definitions can be created in B: each after those its schema
refers to (`#/$defs/<name>`), those referring to each other in a cycle together."""

from collections.abc import Iterator
from typing import Any

from dashboard.openapi.schema_diff import REF_PREFIXES


def definition_groups(version: dict[str, Any]) -> list[list[str]]:
    """The definitions in the order they can be created: each after those it refers to, those
    referring to each other in a cycle together (strongly connected components, Tarjan)."""
    names = list(version["definitions"])
    refers = {name: sorted(_refs(version["schemas"].get(name), set(names))) for name in names}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(name: str) -> None:  # recursion depth is bounded by the version's definitions
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in refers[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            groups.append(sorted(group))

    for name in names:
        if name not in index:
            visit(name)
    return groups  # Tarjan finds a component after every one it refers to


def _refs(schema: Any, known: set[str]) -> Iterator[str]:
    """The names of the version's definitions a schema refers to (`#/$defs/<name>`)."""
    found: set[str] = set()
    todo = [schema]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                for prefix in REF_PREFIXES:
                    name = ref[len(prefix) :].split("/", 1)[0] if ref.startswith(prefix) else ""
                    if name in known:
                        found.add(name)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return iter(found)
