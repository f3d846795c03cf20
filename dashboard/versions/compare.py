"""Comparing two versions of a connector (published or draft): the page, at a shareable URL
(`?from=1.0.0&to=2.0.0`), and the versions table's lazily loaded "compatibility" cell, which
says whether each version broke compatibility with the one made before it."""

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.connect import get_client
from dashboard.connect.models import Connector, ConnectorVersion

from .contents import compare
from .findings import counts, grouped
from .views import TAB, find_version

VERDICT_CACHE_SECONDS = 24 * 3600


class CompareForm(forms.Form):
    from_ = forms.ChoiceField(label="From version")
    to = forms.ChoiceField(label="To version")

    def __init__(self, data, *, connector: Connector):
        ordered = _by_creation(connector)
        # Unless asked otherwise: the newest version against the one made before it.
        initial = {"to": ordered[-1].name, "from_": ordered[-2].name} if len(ordered) > 1 else {}
        super().__init__(data, initial=initial)
        names = [(v.name, v.name) for v in ordered]
        self.fields["from_"].choices = self.fields["to"].choices = names

    def add_prefix(self, field_name: str) -> str:
        # "from" is the query parameter (a Python keyword as a field name).
        return "from" if field_name == "from_" else field_name


def _by_creation(connector: Connector) -> list[ConnectorVersion]:
    return sorted(connector.versions, key=lambda v: (v.created_at, v.id))


def previous(connector: Connector, version: ConnectorVersion) -> ConnectorVersion | None:
    """The version made just before `version`, if any."""
    ordered = _by_creation(connector)
    index = next(i for i, v in enumerate(ordered) if v.id == version.id)
    return ordered[index - 1] if index else None


@require_GET
def page(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The findings of `to` against `from`; `to` alone compares with the version before it."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    data = request.GET.copy()
    if data.get("to") and not data.get("from"):
        before = previous(connector, find_version(connector, data["to"]))
        data["from"] = before.name if before else data["to"]
    form = CompareForm(data if data else None, connector=connector)
    context = {"connector": connector, "active_tab": TAB, "form": form}
    if form.is_valid():
        old = find_version(connector, form.cleaned_data["from_"])
        new = find_version(connector, form.cleaned_data["to"])
        report, _ = compare(client, connector_id, old, new)
        groups = grouped(report, connector_id, old.name, new.name)
        context |= {"old": old, "new": new, "report": report, "groups": groups}
        context["counts"] = counts(report)
    return render(request, "versions/compare.html", context)


@require_GET
def compatibility(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """The versions table's cell: how `version` compares with the one before it. The verdict
    is cached under both versions' ids and `updatedAt`, so the table stays fast."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    found = find_version(connector, version)
    before = previous(connector, found)
    verdict = None
    if before is not None:
        key = ":".join(
            ("versions:verdict", connector_id)
            + tuple(f"{v.id}@{v.updated_at.isoformat()}" for v in (before, found))
        )
        verdict = cache.get(key)
        if verdict is None:
            report, _ = compare(client, connector_id, before, found)
            verdict = {"breaking": report.breaking, "findings": len(report.findings)}
            cache.set(key, verdict, VERDICT_CACHE_SECONDS)
    context = {"connector": connector, "version": found, "before": before, "verdict": verdict}
    return render(request, "versions/includes/compatibility.html", context)
