"""Promotion, step by step: what copying a connector version from environment A to B does to B.

A promotion is a list of steps (one bulk run item each), in order: the connector, its details,
each auth scheme config, its tags and categories (those when the connector is asked for
too), then the version, its definitions (a group where they refer to each other in a cycle,
created together), its actions and its triggers. What is copied is frozen from A when the
preview is made (`frozen`, plain JSON kept in the run), so the run copies exactly what the
preview listed, through the service layer's contract operations only. The connector's steps
are in `connector_steps`, the version's in `version_steps`, the definitions' order in
`ordering`.

Every step first reads B (`Target`) and judges (`check`): missing → created; identical →
skipped; different → refused, never overwritten. So a run stopped halfway and run again does
what is left, without duplicates. Tags, categories and blank details are the exception that
proves the rule: A's are *added* to B's, nothing of B's is removed or replaced. Connections and
credentials are never copied: they hold secrets.
"""

from dataclasses import dataclass
from typing import Any

from . import connector_steps, version_steps
from .ordering import definition_groups
from .target import REFUSE, Ambiguous, Target, Verdict


@dataclass(frozen=True)
class Step:
    key: str  # "connector", "details", "config:<id>", "tags", "categories", "version",
    # "definitions:<first name of its group>", "action:<name>", "trigger:<name>"
    label: str


def steps(frozen: dict[str, Any]) -> list[Step]:
    """The promotion's steps, in the order they must run."""
    connector, found = frozen["connector"], []
    if frozen["withConnector"]:
        found.append(Step("connector", f"Connector “{connector['name']}”"))
        if connector["documentation_url"] or connector["image_url"]:
            found.append(Step("details", "Documentation and image URLs"))
        for config_id, config in frozen["configs"].items():
            described = config.get("description") or config["scheme_type"]
            found.append(
                Step(f"config:{config_id}", f"Auth scheme config “{described}” ({config_id})")
            )
        if connector["tags"]:
            found.append(Step("tags", "Tags"))
        if connector["categories"]:
            found.append(Step("categories", "Categories"))
    version = frozen["version"]
    if version is not None:
        found.append(Step("version", f"Version {version['name']}"))
        for group in definition_groups(version):
            names = ", ".join(f"“{name}”" for name in group)
            plural = "s" if len(group) > 1 else ""
            # Keyed by its first name (a key is short; the group follows from what is frozen).
            found.append(Step(f"definitions:{group[0]}", f"Definition{plural} {names}"))
        found += [Step(f"action:{name}", f"Action “{name}”") for name in version["actions"]]
        found += [Step(f"trigger:{name}", f"Trigger “{name}”") for name in version["triggers"]]
    return found


def check(step: Step, target: Target) -> Verdict:
    """What the step would do to B as it is now (nothing is changed)."""
    kind, _, rest = step.key.partition(":")
    try:
        return _CHECKS[kind](target, rest)
    except Ambiguous as error:
        return Verdict(REFUSE, str(error))


def apply(step: Step, target: Target) -> None:
    """Do what `check` found to do (CREATE or CHANGE), through contract operations."""
    kind, _, rest = step.key.partition(":")
    _APPLY[kind](target, rest)


_CHECKS = connector_steps.CHECKS | version_steps.CHECKS
_APPLY = connector_steps.APPLY | version_steps.APPLY
