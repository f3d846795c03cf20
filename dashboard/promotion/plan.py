"""A promotion's preview and its run: the preview judges every step against B without
changing anything; the run is a bulk run (dashboard/bulk) over the same steps, each judged
again against B as it then is, and done only if it still has something to do."""

from dataclasses import dataclass, field
from typing import Any

from dashboard.bulk.runs import DONE, REFUSED, SKIPPED, Action, Outcome, register
from dashboard.connect import ConnectClient
from dashboard.connect.models import ConnectorVersion
from dashboard.connect.signals import mutation_note
from dashboard.openapi.breaking import Report

from .frozen import freeze
from .steps import Step, apply, check, steps
from .target import CHANGE, CREATE, REFUSE, SKIP, Target, Verdict

PROMOTE = "promote_version"
# What a promotion needs in B: creating versions and their contents (the publisher role).
PERMISSION = "accounts.manage_versions"


@dataclass(frozen=True)
class Plan:
    """What promoting would do to B, step by step, and why it cannot run, if it cannot."""

    frozen: dict[str, Any]
    rows: list[tuple[Step, Verdict]]
    blockers: list[str] = field(default_factory=list)
    # B's version of the same name against A's, when B has one (empty: the same contents).
    report: Report | None = None
    # What B already has that the next steps would otherwise offer to do.
    published_there: bool = False  # the version, published
    connected_there: bool = False  # connections of the connector

    def count(self, status: str) -> int:
        return sum(verdict.status == status for _, verdict in self.rows)

    @property
    def to_do(self) -> int:
        return self.count(CREATE) + self.count(CHANGE)


def preview(
    source: ConnectClient,
    target: ConnectClient,
    connector_id: str,
    version_name: str | None,
    *,
    with_connector: bool,
    there: str = "the target",
) -> Plan:
    """Read A's connector (and version), freeze what would be copied, and judge each step
    against B. Nothing is written anywhere."""
    connector = source.connectors.get(connector_id)
    version = _version(connector.versions, version_name)
    frozen = freeze(source, connector, version, with_connector=with_connector)
    b = Target(target, frozen, preview=True, there=there)
    rows = [(step, check(step, b)) for step in steps(frozen)]
    blockers = [
        verdict.message
        for step, verdict in rows
        if verdict.status == REFUSE and step.key in ("connector", "version")
    ]
    if not with_connector and b.connector is None and version is None:
        blockers.append(f"{there} has no connector “{connector.name}”: promote the connector too.")
    theirs = b.version if b.connector is not None and version else None
    report = b.version_report if theirs else None
    return Plan(
        frozen,
        rows,
        blockers,
        report,
        published_there=bool(theirs and theirs.is_published),
        connected_there=bool(b.connector and b.connector.connections),
    )


def _version(versions: list[ConnectorVersion], name: str | None) -> ConnectorVersion | None:
    if not name:
        return None
    for version in versions:
        if version.name == name:
            return version
    raise LookupError(f"The connector has no version {name}.")


def items(plan: Plan) -> list[tuple[str, str]]:
    """The run's items, (key, label): every step, those with nothing to do included, so the
    run reports each one and checks B again before it acts."""
    return [(step.key, step.label) for step, _ in plan.rows]


def params(
    plan: Plan,
    *,
    source: str,
    target: str,
    organisation: str,
    next_steps: list[list[str]] | None = None,
) -> dict[str, Any]:
    """What the run keeps (never a secret): the environments' names, B's organisation (its
    steps write there only), what is copied, and the links shown once it rests."""
    return {
        "source": source,
        "target": target,
        "organisation": organisation,
        "frozen": plan.frozen,
        "next_steps": next_steps or [],
    }


def perform(client: ConnectClient, key: str, params: dict[str, Any]) -> Outcome:
    """One step of a run, with `client` for B: judged against B now, then done if needed."""
    if client.organisation_id != params["organisation"]:
        return Outcome(REFUSED, f"This run writes into {params['target']}: open it there.")
    frozen = params["frozen"]
    step = next(s for s in steps(frozen) if s.key == key)
    b = Target(client, frozen, there=params["target"])
    verdict = check(step, b)
    if verdict.status == SKIP:
        return Outcome(SKIPPED, verdict.message)
    if verdict.status == REFUSE:
        return Outcome(REFUSED, verdict.message)
    with mutation_note(f"Promoted from {params['source']}"):
        apply(step, b)
    return Outcome(DONE, verdict.message)


def _title(params: dict[str, Any]) -> str:
    frozen = params["frozen"]
    what = frozen["connector"]["name"]
    if frozen["version"]:
        what += f" {frozen['version']['name']}"
    return f"Promote {what} from {params['source']} to {params['target']}"


ACTION: Action = register(
    Action(
        name=PROMOTE,
        title=_title,
        perform=perform,
        permission=lambda params: PERMISSION,
        operation="promote",
        kind="promotion",
        back="Back to the comparison",
    )
)
