"""The Credentials page (the rotation worklist) and rotating a credential.

Rotation is UpdateCredential with new secret data under the same id, so every connection
using the credential picks the new secret up. The secret is typed twice, confirmed, and never
shown again; the form carries the credential's `updatedAt`, so a rotation made meanwhile by
someone else is not silently overwritten.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.accounts.roles import ROTATE_CREDENTIALS, require_permission
from dashboard.bulk.export import CSV, JSON, download
from dashboard.connect import BadRequest, PreconditionFailed, get_client
from dashboard.connect.models import Credential, CredentialUpdate
from dashboard.stale_edit import refreshed
from dashboard.web.htmx import (
    FORM_ERRORS,
    go_to,
    is_fragment,
    render_screen,
    vary_on_htmx,
)
from dashboard.web.redirects import safe_url

from . import worklist
from .api_errors import place_rotation_errors
from .credential_forms import DATA_FORMS, ROTATABLE, RotationForm
from .form_state import quiet
from .identity import identities
from .oauth2 import token_sign_in

NEXT = "next"


@require_GET
@vary_on_htmx
def credentials(request: HttpRequest) -> HttpResponse:
    """Every credential of the organisation, soonest expiry first, filtered, a page of rows at
    a time; for htmx, the `results` partial."""
    form = worklist.CredentialFilterForm(request.GET)
    client = get_client()
    listing = worklist.fetch(client, form.cleaned_data) if form.is_valid() else None
    shown = None
    if listing is not None:
        if not is_fragment(request):  # the filters are shown; every connector: connector_options
            chosen = form.cleaned_data["connector"]
            form.offer_connectors(worklist.with_chosen(client, listing.connectors, chosen))
        shown = worklist.shown(client, listing, form.cleaned_data["page"])
    status = 200 if listing is not None else (FORM_ERRORS if is_fragment(request) else 400)
    context = {"form": form, "listing": listing, "shown": shown, "all_matching": 0}
    if shown is not None:  # "Select all N matching" when they are more than this page's
        matching = len(worklist.rotatable(listing.rows))
        if matching > len(worklist.rotatable(shown.rows)):
            context["all_matching"] = matching
        context["unrotatable"] = len(listing.rows) - matching
    return render_screen(request, "connections/credentials.html", "results", context, status)


@require_GET
def connector_options(request: HttpRequest) -> HttpResponse:
    """The Connector filter's <option>s, every connector of the organisation, for the filters
    in the query: the select asks for them when first reached for, so the page stays fast."""
    form = worklist.CredentialFilterForm(request.GET)
    client = get_client()
    listing = worklist.fetch(client, form.cleaned_data) if form.is_valid() else None
    connectors = worklist.connector_choices(client, listing)
    chosen = form.cleaned_data.get("connector", "")  # none if not valid
    form.offer_connectors(worklist.with_chosen(client, connectors, chosen))
    context = {"field": form["connector"]}
    return render(request, "connections/includes/connector_options.html", context)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The worklist as filtered, as CSV (the default) or JSON (`format=csv|json`). Invalid
    filters get the Credentials page saying what is wrong with them, as the page would."""
    kind = request.GET.get("format") or CSV
    if kind not in (CSV, JSON):
        return HttpResponseBadRequest(
            "Unknown export format: use format=csv or format=json.", content_type="text/plain"
        )
    form = worklist.CredentialFilterForm(request.GET)
    if not form.is_valid():
        return credentials(request)
    listing = worklist.fetch(get_client(), form.cleaned_data)
    records = [worklist.record(row) for row in listing.rows]
    return download(records, worklist.EXPORT_FIELDS, "credentials", kind)


@require_permission(ROTATE_CREDENTIALS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def rotate(request: HttpRequest, credential_id: str) -> HttpResponse:
    """Give a credential a new secret (and optionally a new expiry), after confirmation."""
    client = get_client()
    credential = client.credentials.get(credential_id)
    if credential.type not in ROTATABLE:
        raise Http404(f"Patchbay cannot rotate {credential.type} credentials.")
    back = safe_url(request, request.GET.get(NEXT) or request.POST.get(NEXT), "credentials")
    form, data_form = rotation_forms(request, credential)
    conflict, status = None, 200
    if request.method == "POST":
        status = FORM_ERRORS
        if all([form.is_valid(), data_form.is_valid()]):
            try:
                client.credentials.update(
                    rotation_update(credential, form, data_form),
                    if_unmodified_since=form.cleaned_data["updated_at"],
                )
            except PreconditionFailed:
                conflict = client.credentials.get(credential_id)
                data = refreshed(request.POST, conflict)
                data.pop("confirm", None)
                form = RotationForm(data)
                data_form = DATA_FORMS[credential.type](data, prefix="data", confirm=True)
                quiet(form, data_form)
            except BadRequest as error:
                place_rotation_errors(error, form, data_form)
            else:
                messages.success(
                    request,
                    f"Credential “{form.cleaned_data['name']}” rotated: connections using it "
                    "now use the new secret.",
                )
                return go_to(request, back)
    context = {"credential": conflict or credential, "conflict": conflict, "back": back}
    context |= {"form": form, "data_form": data_form}
    context["state"] = worklist.state_of(credential.expires_at)
    context["identity"] = identities(client, [credential]).get(credential.id, "")
    context["sign_in"] = token_sign_in(client, credential)
    return render_screen(request, "connections/rotate.html", "form", context, status)


def rotation_forms(request: HttpRequest, credential: Credential) -> tuple:
    """The rotation form and the new secret's form, the non-secret fields starting from the
    credential's current data: as on the page, or as posted. Rotating one credential and the
    rotation queue both build them here."""
    posted = request.method == "POST"
    form = RotationForm(
        request.POST if posted else None,
        initial={"name": credential.name, "updated_at": credential.updated_at},
    )
    data_form = DATA_FORMS[credential.type](
        request.POST if posted else None,
        request.FILES if posted else None,
        prefix="data",
        confirm=True,
        current=credential.data,
    )
    return form, data_form


def rotation_update(credential: Credential, form: RotationForm, data_form) -> CredentialUpdate:
    """The UpdateCredential body of a rotation: the new secret, name and expiry."""
    return CredentialUpdate(
        id=credential.id,
        name=form.cleaned_data["name"],
        type=credential.type,
        data=data_form.credential_data(),
        expires_at=form.cleaned_data["expires_at"],
    )
