"""A connector's Versions tab and what is done to a version: create, edit its description,
set as default, delete, publish (after showing what changes) and unpublish.

Published versions are read-only here: no edit controls are shown, and should a request try
anyway, the API's refusal is shown as it words it. Connect API failures other than the
refusals a view explains propagate to dashboard.web.upstream, which shows them.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.accounts.roles import (
    FORCE_DELETE,
    MANAGE_VERSIONS,
    PUBLISH_VERSIONS,
    require_permission,
)
from dashboard.bulk import runs
from dashboard.bulk.actions import DELETE_DRAFTS, draft_key
from dashboard.connect import APIError, BadRequest, Conflict, PreconditionFailed, get_client
from dashboard.connect.models import Connector, ConnectorVersion
from dashboard.connect.signals import mutation_note
from dashboard.stale_edit import refreshed
from dashboard.validators import version_taken
from dashboard.web.api_errors import add_api_errors
from dashboard.web.htmx import (
    FORM_ERRORS,
    go_to,
    is_fragment,
    render_screen,
    vary_on_htmx,
)
from dashboard.wording import field_words, in_screen_words

from .contents import Contents, compare
from .findings import counts, grouped
from .forms import (
    CREATE_FIELDS,
    EDIT_FIELDS,
    DraftsForm,
    PublishForm,
    VersionCreateForm,
    VersionEditForm,
    breaking_changes,
)
from .latest import latest_published, suggested_name

TAB = "versions"
# The publish page's query parameter asking for the comparison with the latest version.
COMPARE = "compare"
# Regions a "Set as default" may be posted from (its htmx target), and the partial each gets.
DEFAULT_REGIONS = {
    "version-table": "versions/versions.html#table",
    "version-status": "versions/includes/status.html",
}


def find_version(connector: Connector, name: str) -> ConnectorVersion:
    """The connector's version called `name` (as the connector lists it), else asked of the
    API, which also resolves "latest" and "default" and answers NotFound for the rest."""
    found = next((version for version in connector.versions if version.name == name), None)
    return found or get_client().versions.get(connector.id, name)


def version_context(connector: Connector, version: ConnectorVersion, **context) -> dict:
    return {"connector": connector, "version": version, "active_tab": TAB, **context}


def load_version(connector_id: str, name: str) -> tuple[Connector, ConnectorVersion]:
    """The connector (for its header and tabs) and its version called `name`."""
    connector = get_client().connectors.get(connector_id)
    return connector, find_version(connector, name)


def _version_url(connector_id: str, version: ConnectorVersion) -> str:
    return reverse("version_detail", args=[connector_id, version.name])


# --- The Versions tab --------------------------------------------------------------------------


@require_GET
@vary_on_htmx
def versions(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The connector's versions: status, markers, dates and descriptions."""
    connector = get_client().connectors.get(connector_id)
    context = {"connector": connector, "active_tab": TAB}
    return render_screen(request, "versions/versions.html", "table", context)


@require_permission(MANAGE_VERSIONS)
@require_POST
def delete_drafts(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The ticked drafts: what deleting them will do, then (`confirm`) the run doing it."""
    connector = get_client().connectors.get(connector_id)
    form = DraftsForm(request.POST)
    back = reverse("connector_versions", args=[connector_id])
    drafts = {v.name for v in connector.versions if not v.is_published}
    names = [n for n in form.cleaned_data["version"] if n in drafts] if form.is_valid() else []
    action = runs.ACTIONS[DELETE_DRAFTS]
    if names and "confirm" in request.POST:
        items = [(draft_key(connector_id, name), f"{connector.name} {name}") for name in names]
        run = runs.start(request.user, action, items, {}, back)
        return go_to(request, reverse("bulk_run", args=[run.pk]))
    context = {
        "form": form,
        "back_url": back,
        "post_url": reverse("version_delete_drafts", args=[connector_id]),
        "title": f"{action.title({})} of {connector.name}",
        "labels": names,
        "warning": "Deleted drafts cannot be brought back.",
        "problems": [] if names else ["Tick at least one draft."],
    }
    return render(request, "bulk/preview.html", context, status=200 if names else 400)


@require_permission(MANAGE_VERSIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def create(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Create a draft, blank or copied from an existing version (`?from=` preselects it). The
    name offered is the next semantic version, from what the copy changes against the latest
    published version (when the connector's version names are semantic versions)."""
    connector = get_client().connectors.get(connector_id)
    status = 200
    if request.method == "POST":
        form = VersionCreateForm(request.POST, versions=connector.versions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = get_client().versions.create(
                    connector_id, data["name"], from_version=data["from_version"] or None
                )
            except Conflict:  # made by someone else since the form was loaded
                form.add_error("name", version_taken(data["name"]))
            except BadRequest as error:
                add_api_errors(error, form, CREATE_FIELDS)
            else:
                messages.success(request, f"Draft version {version.name} created.")
                return go_to(request, _version_url(connector_id, version))
        status = FORM_ERRORS
    else:
        source = next((v for v in connector.versions if v.name == request.GET.get("from")), None)
        suggestion = suggested_name(get_client(), connector, source)
        form = VersionCreateForm(
            initial={"from_version": source.name if source else "", "name": suggestion},
            versions=connector.versions,
        )
    context = {"connector": connector, "active_tab": TAB, "form": form}
    return render_screen(request, "versions/create.html", "form", context, status)


# --- One version -------------------------------------------------------------------------------


@require_permission(MANAGE_VERSIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """Edit a draft's description, refused if it changed since the form was loaded."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    status, conflict = 200, None
    if request.method == "GET":
        form = VersionEditForm.for_version(found)
    else:
        form = VersionEditForm(request.POST)
        if form.is_valid():
            changed = found.model_copy(update={"description": form.cleaned_data["description"]})
            try:
                client.versions.update(
                    connector_id, changed, if_unmodified_since=form.cleaned_data["updated_at"]
                )
            except PreconditionFailed:
                conflict = find_version(client.connectors.get(connector_id), found.name)
                form = VersionEditForm(refreshed(request.POST, conflict))
                form.is_valid()
            except (BadRequest, Conflict) as error:
                add_api_errors(error, form, EDIT_FIELDS)
            else:
                messages.success(request, f"Version {found.name} saved.")
                return go_to(request, _version_url(connector_id, found))
        status = FORM_ERRORS
    context = version_context(connector, found, form=form, conflict=conflict)
    return render_screen(request, "versions/edit.html", "form", context, status)


@require_permission(PUBLISH_VERSIONS)
@require_POST
def set_default(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """Make a published version the one "default" resolves to. For htmx, the region it was
    posted from (the versions table, or the version's status) comes back with the markers
    moved; otherwise the version's page loads."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    problem = None
    try:
        client.versions.update(connector_id, found.model_copy(update={"is_default": True}))
    except APIError as error:  # e.g. a draft cannot be the default
        problem = _plainly(error)
    else:
        messages.success(request, f"Version {found.name} is now the default.")
    region = DEFAULT_REGIONS.get(request.htmx.target or "") if is_fragment(request) else None
    if region is None:
        if problem:
            messages.error(request, problem)
        return go_to(request, _version_url(connector_id, found))
    connector = client.connectors.get(connector_id)
    context = version_context(connector, find_version(connector, found.name), problem=problem)
    return render(request, region, context, status=FORM_ERRORS if problem else 200)


@require_permission(MANAGE_VERSIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def delete(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """GET: ask to confirm. POST: delete a draft; a published version is refused by the API
    unless force-deleted, which the page then offers (to admins) with a warning."""
    connector, found = load_version(connector_id, version)
    refusal = None
    if request.method == "POST":
        try:
            get_client().versions.delete(connector_id, found.name)
        except (Conflict, PreconditionFailed) as error:
            refusal = in_screen_words(error.message)
        else:
            messages.success(request, f"Version {found.name} deleted.")
            return go_to(request, reverse("connector_versions", args=[connector_id]))
    context = version_context(connector, found, refusal=refusal)
    status = FORM_ERRORS if refusal else 200
    return render_screen(request, "versions/delete.html", "confirm", context, status)


@require_permission(FORCE_DELETE)
@require_POST
def force_delete(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """Delete a version even though it is published."""
    get_client().versions.delete(connector_id, version, force=True)
    messages.success(request, f"Version {version} force-deleted.")
    return go_to(request, reverse("connector_versions", args=[connector_id]))


# --- Publishing ----------------------------------------------------------------------------------


@require_permission(PUBLISH_VERSIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def publish(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """GET: the page asking to confirm; with `?compare`, also the findings against the latest
    published version, breaking first, and the problems the API reports on the draft's actions
    and triggers (the page loads that part with htmx, as comparing large versions takes a
    while). POST: publish, once any breaking findings are acknowledged (the audit entry says
    how many), then go to the version's page."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    latest = latest_published(connector)
    if found.is_published or (request.method == "GET" and COMPARE not in request.GET):
        context = version_context(connector, found, latest=latest)
        return render(request, "versions/publish.html", context)
    report, draft = compare(client, connector_id, latest, found)
    data = request.POST if request.method == "POST" else None
    form = PublishForm(data, version=found.name, breaking=report.breaking)
    groups = grouped(report, connector_id, latest.name if latest else None, found.name)
    context = version_context(connector, found, latest=latest, form=form, report=report)
    context |= {"groups": groups, "counts": counts(report), "problems": item_problems(draft)}
    if request.method == "GET":
        context["oob_confirm"] = is_fragment(request) and report.breaking
        return render_screen(request, "versions/publish.html", "changes", context)
    if not form.is_valid():
        return render_screen(request, "versions/publish.html", "confirm", context, FORM_ERRORS)
    note = f"{breaking_changes(report.breaking)} acknowledged" if report.breaking else ""
    try:
        with mutation_note(note):
            published = client.versions.publish(connector_id, found.name)
    except (BadRequest, Conflict) as error:
        # The API's reasons (e.g. validation_failed with each problem as a field).
        context["refusal"] = error
        return render_screen(request, "versions/publish.html", "confirm", context, FORM_ERRORS)
    latest_now = " and is now the latest version" if published.is_latest else ""
    messages.success(request, f"Version {published.name} is published{latest_now}.")
    # The version's page, not this one: what publishing would change is history now.
    return go_to(request, _version_url(connector_id, published))


def item_problems(contents: Contents) -> list[tuple[str, str, list]]:
    """(kind, name, errors) of each action and trigger the API found problems with."""
    return [
        (kind, item.name, item.errors)
        for kind, items in (("action", contents.actions), ("trigger", contents.triggers))
        for item in items
        if item.errors
    ]


@require_permission(PUBLISH_VERSIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def unpublish(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """GET: ask to confirm. POST: unpublish, or explain the API's refusal (in use)."""
    connector, found = load_version(connector_id, version)
    if request.method == "GET":
        return render(request, "versions/unpublish.html", version_context(connector, found))
    try:
        unpublished = get_client().versions.unpublish(connector_id, found.name)
    except (Conflict, PreconditionFailed) as error:
        context = version_context(connector, found, refusal=error)
        return render_screen(request, "versions/unpublish.html", "confirm", context, FORM_ERRORS)
    messages.success(request, f"Version {unpublished.name} unpublished: it is a draft again.")
    if not is_fragment(request):
        return go_to(request, _version_url(connector_id, unpublished))
    context = version_context(connector, unpublished, unpublished=True)
    return render(request, "versions/unpublish.html#confirm", context)


def _plainly(error: APIError) -> str:
    """The API's message with its field errors, in one sentence for the page."""
    details = "; ".join(f"{field_words(item.field)}: {item.message}" for item in error.fields)
    message = in_screen_words(error.message)
    return f"{message} ({details})" if details else message
