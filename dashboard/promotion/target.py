"""Environment B as a promotion step finds it (`Target`: each thing read at most once) and the
verdict a step reaches about it."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dashboard.connect import LARGEST_PAGE, ConnectClient, NotFound
from dashboard.connect.models import Action, Connector, ConnectorVersion, Definition, Trigger
from dashboard.openapi.breaking import Report
from dashboard.versions.contents import named_refs, schema_filename

from .compare import compare_contents
from .frozen import contents, snapshot
from .ordering import definition_groups

CREATE, CHANGE, SKIP, REFUSE = "create", "change", "skip", "refuse"


@dataclass(frozen=True)
class Verdict:
    status: str  # CREATE, CHANGE, SKIP or REFUSE
    message: str


class Ambiguous(Exception):
    """B has several connectors of the name: promotion cannot tell which one is meant."""


def counterpart(client: ConnectClient, name: str) -> Connector | None:
    """The connector named exactly `name` in the client's environment, if any (several:
    `Ambiguous`)."""
    listed = client.connectors.list(name=name, first=LARGEST_PAGE).iter_all()
    found = [c for c in listed if c.name == name]
    if len(found) > 1:
        raise Ambiguous(f"There are {len(found)} connectors named “{name}”; rename all but one.")
    return client.connectors.get(found[0].id) if found else None


class Target:
    """Environment B for one step (or one preview): each thing read at most once."""

    def __init__(
        self,
        client: ConnectClient,
        frozen: dict[str, Any],
        *,
        preview: bool = False,
        there: str = "the target",
    ):
        self.client = client
        self.frozen = frozen
        self.there = there  # B's name, as messages say it
        # A preview judges every step before any runs: what earlier steps create is missing.
        self.preview = preview

    @cached_property
    def connector(self) -> Connector | None:
        return counterpart(self.client, self.frozen["connector"]["name"])

    @cached_property
    def version(self) -> ConnectorVersion | None:
        name = self.frozen["version"]["name"]
        connector = self.connector
        found = [v for v in connector.versions if v.name == name] if connector else []
        return found[0] if found else None

    @cached_property
    def definitions(self) -> dict[str, Definition]:
        if self.connector is None or self.version is None:
            return {}
        listed = self.client.definitions.list(
            self.connector.id, self.version.name, first=LARGEST_PAGE
        )
        return {d.name: d for d in listed.iter_all()}

    @cached_property
    def definition_groups(self) -> dict[str, list[str]]:
        """The definitions created together, by the first name of each group (its step's
        key): worked out once for a preview's every step."""
        return {group[0]: group for group in definition_groups(self.frozen["version"])}

    @cached_property
    def version_report(self) -> Report:
        """B's existing version against A's: the version diff from B to A."""
        assert self.connector is not None and self.version is not None
        theirs = contents(self.client, self.connector.id, self.version)
        return compare_contents(snapshot(self.frozen["version"]), theirs)

    def schema(self, definition: Definition) -> Any:
        """A definition's JSON Schema, referring to the others by name, as A's is frozen."""
        assert self.connector and self.version
        raw = self.client.definitions.raw_schema(
            self.connector.id, self.version.name, schema_filename(definition)
        )
        return named_refs(raw, {d.url: d.name for d in self.definitions.values()})

    def item(self, kind: str, name: str) -> Action | Trigger | None:
        if self.connector is None or self.version is None:
            return None
        resource = self.client.actions if kind == "action" else self.client.triggers
        try:
            return resource.get(self.connector.id, self.version.name, name)
        except NotFound:
            return None


def missing(target: Target, *, version: bool = False) -> Verdict | None:
    """A step needing the connector (and the version) in B, which an earlier step creates:
    a preview expects it; a run finding it missing refuses the step (its maker did not run)."""
    if target.connector is None:
        name = target.frozen["connector"]["name"]
        if not target.frozen["withConnector"]:
            return Verdict(
                REFUSE, f"{target.there} has no connector “{name}”: promote the connector too."
            )
        if target.preview:
            return Verdict(CREATE, "Created.")
        return Verdict(
            REFUSE, f"{target.there} has no connector “{name}”: its step did not create it."
        )
    if version and target.version is None:
        if target.preview:
            return Verdict(CREATE, "Created.")
        name = target.frozen["version"]["name"]
        return Verdict(REFUSE, f"{target.there} has no version {name}: its step did not create it.")
    return None


def absent(target: Target) -> Verdict:
    verdict = missing(target)
    assert verdict is not None
    return verdict
