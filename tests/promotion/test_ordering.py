"""The order a version's definitions are created in: pure, so no API is needed."""

import sys

from dashboard.promotion.ordering import definition_groups
from dashboard.promotion.steps import steps


def _version(refs: dict[str, list[str]]) -> dict:
    """A frozen version whose definitions refer to others by `#/$defs/<name>`."""
    schemas = {
        name: {"type": "object", "properties": {o: {"$ref": f"#/$defs/{o}"} for o in others}}
        for name, others in refs.items()
    }
    return {
        "name": "1.0",
        "description": "",
        "actions": {},
        "triggers": {},
        "definitions": {name: {} for name in refs},
        "schemas": schemas,
    }


def test_a_chain_longer_than_the_recursion_limit_is_ordered_each_after_what_it_refers_to():
    length = 2_000
    assert length > sys.getrecursionlimit() // 2  # deep enough for a recursive walk to fail
    # D0000 refers to D0001, ... D1999 to nothing: listed in the order that needs reversing.
    names = [f"D{i:04}" for i in range(length)]
    version = _version({name: names[i + 1 : i + 2] for i, name in enumerate(names)})

    groups = definition_groups(version)

    assert groups == [[name] for name in reversed(names)]


def test_a_cycle_in_a_long_chain_is_one_group_after_what_it_refers_to_and_before_its_users():
    # Top → D0000 → ... → D1999 → {A ⇄ B ⇄ C} → Leaf; C also refers to itself.
    names = [f"D{i:04}" for i in range(2_000)]
    refs = {"Top": [names[0]]}
    refs |= {name: names[i + 1 : i + 2] or ["A"] for i, name in enumerate(names)}
    refs |= {"A": ["B"], "B": ["C", "Leaf"], "C": ["A", "C"], "Leaf": []}
    version = _version(refs)

    groups = definition_groups(version)

    assert sorted(name for group in groups for name in group) == sorted(refs)
    assert ["A", "B", "C"] in groups
    position = {name: n for n, group in enumerate(groups) for name in group}
    for name, others in refs.items():
        for other in others:
            if position[other] != position[name]:
                assert position[other] < position[name], (name, other)
    # One step per group, keyed by its first name, before the version's items.
    frozen = {"withConnector": False, "connector": {"name": "Chain"}, "version": version}
    keys = [step.key for step in steps(frozen)]
    assert keys[0] == "version" and keys[1] == "definitions:Leaf"
    assert "definitions:A" in keys and "definitions:B" not in keys
    assert len(keys) == 1 + len(groups)
