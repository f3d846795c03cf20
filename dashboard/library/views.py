"""The library: public connectors of every organisation, and importing one into ours."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dashboard.accounts.roles import MANAGE_VERSIONS, require_permission
from dashboard.connect import LARGEST_PAGE, Conflict, get_client
from dashboard.connectors.views import connector_list
from dashboard.web.htmx import go_to, vary_on_htmx

from .forms import ImportForm
from .imported import imported


@require_GET
@vary_on_htmx
def library(request: HttpRequest) -> HttpResponse:
    """Public connectors (ListPublicConnectors), with the connectors page's filters."""
    return connector_list(
        request,
        get_client().library.list,
        "library/index.html",
        {"imported": imported()},
    )


@require_GET
def public_connector(request: HttpRequest, connector_id: str) -> HttpResponse:
    """One public connector: who publishes it, its versions (with their descriptions), what
    importing one creates, and whether this organisation has imported it already."""
    # Found by listing them all: there is no GetPublicConnector.
    public = get_client().library.list(first=LARGEST_PAGE).iter_all()
    connector = next((item for item in public if item.id == connector_id), None)
    if connector is None:
        raise Http404("There is no public connector with this id; it may no longer be public.")
    published = [version for version in connector.versions if version.is_published]
    context = {
        "connector": connector,
        "published": sorted(published, key=lambda v: v.published_at or v.updated_at, reverse=True),
        "imported": imported().get(connector_id),
    }
    return render(request, "library/connector.html", context)


@require_permission(MANAGE_VERSIONS)
@require_POST
def import_version(request: HttpRequest) -> HttpResponse:
    """ImportPublicConnectorVersion: copy a published version into this organisation as a
    draft, then go to the connector it landed in. The API's other refusals reach the user
    through dashboard.web.upstream."""
    form = ImportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Choose a published version to import.", content_type="text/plain; charset=utf-8"
        )
    public_id, version = form.cleaned_data["connector_id"], form.cleaned_data["version"]
    try:
        connector = get_client().library.import_version(public_id, version)
    except Conflict:
        return _already_imported(request, public_id, version)
    messages.success(
        request, f"Imported version {version} of “{connector.name}” as a draft of your own."
    )
    return go_to(request, reverse("connector_detail", args=[connector.id]))


def _already_imported(request: HttpRequest, public_id: str, version: str) -> HttpResponse:
    """The version is in our copy already (the API refuses it again): go to it, or, when the
    audit log does not say where it landed (imported outside Patchbay), back to the library."""
    found = imported().get(public_id)
    if found is None or version not in found.versions:
        messages.warning(request, f"Version {version} is already in your copy of this connector.")
        return go_to(request, reverse("library_connector", args=[public_id]))
    messages.info(
        request, f"Version {version} was imported before, so not again: here is your copy of it."
    )
    return go_to(request, reverse("version_detail", args=[found.connector_id, version]))
