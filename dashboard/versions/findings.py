"""Breaking-change findings as the pages show them: grouped by level, breaking first, each
with links to its item in both versions (where the version has it)."""

from dataclasses import dataclass

from django.urls import reverse

from dashboard.openapi.breaking import Finding, Level, Report

ITEM_PAGES = {
    "action": "version_action",
    "trigger": "version_trigger",
    "definition": "version_definition",
}


@dataclass(frozen=True)
class Shown:
    finding: Finding
    old_url: str | None
    new_url: str | None


@dataclass(frozen=True)
class Group:
    level: Level
    findings: list[Shown]


def grouped(report: Report, connector_id: str, old: str | None, new: str | None) -> list[Group]:
    """The report's findings by level; `old` and `new` are the versions' names (None: a
    version with no pages, e.g. an import not made yet)."""

    def url(finding: Finding, version: str | None, present: bool) -> str | None:
        if version is None or not present:
            return None
        return reverse(ITEM_PAGES[finding.kind], args=[connector_id, version, finding.name])

    return [
        Group(level, [Shown(f, url(f, old, f.in_old), url(f, new, f.in_new)) for f in found])
        for level, found in report.by_level()
    ]


def counts(report: Report) -> str:
    """ "1 breaking, 0 possibly breaking, 4 compatible"."""
    return ", ".join(f"{report.count(level)} {level.label}" for level in Level)
