"""The audit page and its CSV export. Entries are only ever read here."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from dashboard.connect.paths import connector_in
from dashboard.environments.registry import Environment, all_environments, url_in

from .audit_filters import audit_filter_form
from .audit_words import describe
from .models import AuditEntry
from .roles import VIEW_AUDIT_LOG, require_permission

PAGE_SIZE = 50
CSV_COLUMNS = (
    "at", "environment", "username", "action", "method", "path", "target_kind", "target_id",
    "target_name", "outcome", "status", "request_id",
)  # fmt: skip
# The connector a call was about: `connectors/<id>/...` or `connector/<id>/http/import`.


@require_GET
@vary_on_headers("HX-Request")
@require_permission(VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Audit entries, newest first, filtered by the GET form; htmx gets just the results."""
    configured = all_environments()
    form = audit_filter_form(request.GET, configured)
    entries = AuditEntry.objects.all()
    entries = form.filter(entries) if form.is_valid() else entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {environment.slug: environment for environment in configured}
    page.object_list = [AuditRow.of(entry, shown) for entry in page.object_list]
    template = "accounts/audit.html#results" if request.htmx else "accounts/audit.html"
    return render(request, template, {"form": form, "page": page})


@dataclass
class AuditRow:
    """An entry with links to what it changed, where the dashboard has a page for it: the
    target itself (unless the call deleted it) and, for things inside a connector, that
    connector (an entry holds the connector's id in its path only, not its name)."""

    entry: AuditEntry
    target_url: str | None = None
    connector_url: str | None = None
    environment: Environment | None = None  # None: removed since

    @property
    def what(self) -> str:
        """What happened, in words (the actor has its own column)."""
        return describe(self.entry)

    @classmethod
    def of(cls, entry: AuditEntry, environments: dict[str, Environment]) -> "AuditRow":
        """The row of `entry`, its links in the entry's environment (none if it is gone)."""
        environment = environments.get(entry.environment)
        is_connector = entry.target_kind == "connector"
        connector_id = entry.target_id if is_connector else connector_in(entry.path)
        if not connector_id or environment is None:
            return cls(entry, environment=environment)
        deleted = entry.action.startswith("delete")
        target_url = None if deleted else _target_page(entry, connector_id)
        connector_url = None if is_connector else reverse("connector_detail", args=[connector_id])
        return cls(
            entry,
            target_url and url_in(environment, target_url),
            connector_url and url_in(environment, connector_url),
            environment,
        )


def _target_page(entry: AuditEntry, connector_id: str) -> str | None:
    """The page of an entry's target, which belongs to connector `connector_id` (none for a
    name no URL can hold, e.g. with a slash)."""
    try:
        match entry.target_kind:
            case "connector":
                return reverse("connector_detail", args=[connector_id])
            case "version" if entry.target_name:
                return reverse("version_detail", args=[connector_id, entry.target_name])
            case "connection" if entry.target_id:
                return reverse("connection_detail", args=[connector_id, entry.target_id])
            case "auth_scheme_config":
                return reverse("connector_auth_schemes", args=[connector_id])
    except NoReverseMatch:
        pass
    return None


@require_GET
@require_permission(VIEW_AUDIT_LOG)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The entries the audit page shows for the same filters, all pages, as CSV."""
    form = audit_filter_form(request.GET, all_environments())
    if not form.is_valid():
        problems = "; ".join(
            f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        return HttpResponse(
            f"The filters are not valid, so nothing was exported. {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = form.filter(AuditEntry.objects.all()).values_list(*CSV_COLUMNS)
    response = StreamingHttpResponse(
        _csv_lines(rows.iterator()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="patchbay-audit.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: never a formula (CSV injection)."""
    text = value.isoformat() if hasattr(value, "isoformat") else "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
