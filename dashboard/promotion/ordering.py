"""The order in which a version's definitions can be created in B: each after those its schema
refers to (`#/$defs/<name>`), those referring to each other in a cycle together."""

from collections.abc import Iterator
from graphlib import TopologicalSorter
from typing import Any

from dashboard.openapi.schema_diff import REF_PREFIXES


def definition_groups(version: dict[str, Any]) -> list[list[str]]:
    """The definitions in the order they can be created: each after those it refers to, those
    referring to each other in a cycle together. Iterative throughout, so a version's size
    (a chain of thousands of definitions) never meets Python's recursion limit."""
    names = list(version["definitions"])
    known = set(names)
    refers = {name: sorted(_refs(version["schemas"].get(name), known)) for name in names}
    groups = _cycles(refers)
    group_of = {name: number for number, group in enumerate(groups) for name in group}
    order = TopologicalSorter(
        {
            number: {group_of[other] for name in group for other in refers[name]} - {number}
            for number, group in enumerate(groups)
        }
    )
    return [groups[number] for number in order.static_order()]


def _cycles(refers: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of the graph (Tarjan's algorithm with an explicit
    stack instead of recursion), each sorted by name; a definition in no cycle is alone."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def enter(name: str) -> tuple[str, Iterator[str]]:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        return name, iter(refers[name])

    for root in refers:
        if root in index:
            continue
        work = [enter(root)]
        while work:
            name, others = work[-1]
            for other in others:
                if other not in index:
                    work.append(enter(other))  # visit it first, then resume `name`'s others
                    break
                if other in on_stack:
                    low[name] = min(low[name], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[name])
                if low[name] == index[name]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == name:
                            break
                    groups.append(sorted(group))
    return groups


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
