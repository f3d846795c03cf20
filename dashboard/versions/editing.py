"""Changing a draft's contents: editing its actions and triggers (name, summary, description,
method, path and parameters; request bodies and responses are kept) and definitions (name,
description, media types and JSON Schema), and deleting any of them. Imports get these wrong
most often (a path using a parameter nobody declared), and the API's problems list says which
to fix.
"""

import json
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dashboard.accounts.roles import MANAGE_VERSIONS, require_permission
from dashboard.connect import BadRequest, Conflict, PreconditionFailed, get_client
from dashboard.connectors.api_errors import add_api_errors
from dashboard.connectors.rendering import FORM_ERRORS, go_to, render_screen, vary_on_htmx

from .contents import is_json_schema, schema_filename
from .forms import (
    DEFINITION_FIELDS,
    ENDPOINT_FIELDS,
    DefinitionForm,
    EndpointForm,
    parameter_formset,
)
from .views import load_version, version_context

# The button that adds a parameter row (re-renders the form, saves nothing).
ADD_PARAMETER = "add_parameter"
# The confirmation's field that deletes a definition other items still reference.
FORCE = "force"
# Where each kind of item is listed (a version's page lists its actions).
LISTS = {
    "action": "version_detail",
    "trigger": "version_triggers",
    "definition": "version_definitions",
}


def _edit(
    request: HttpRequest, connector_id: str, version: str, name: str, kind: str
) -> HttpResponse:
    """GET: the form filled from the item. POST: save and go to the item's page; an invalid
    form, or one the API refuses, comes back with what was typed and the problems."""
    client = get_client()
    get, update = {
        "action": (client.get_action, client.update_action),
        "trigger": (client.get_trigger, client.update_trigger),
    }[kind]
    connector, found = load_version(connector_id, version)
    item = get(connector_id, found.name, name)
    status = 200
    if request.method == "GET":
        form = EndpointForm.for_item(item, kind)
        parameters = parameter_formset(kind, parameters=item.parameters)
    else:
        form = EndpointForm(request.POST, kind=kind)
        parameters = parameter_formset(kind, data=request.POST)
        if ADD_PARAMETER in request.POST:
            parameters = parameters.with_another_row(request.POST)
        elif form.is_valid() & parameters.is_valid():  # both, so every error shows at once
            changed = item.model_copy(
                update=form.cleaned_data | {"parameters": parameters.parameters(item.parameters)}
            )
            try:
                saved = update(connector_id, found.name, name, changed)
            except (BadRequest, Conflict) as error:  # e.g. a name taken, a published version
                add_api_errors(error, form, ENDPOINT_FIELDS, parameters)
            else:
                messages.success(request, f"{kind.capitalize()} {saved.name} saved.")
                page = reverse(f"version_{kind}", args=[connector_id, found.name, saved.name])
                return go_to(request, page)
            status = FORM_ERRORS
        else:
            status = FORM_ERRORS
    context = version_context(
        connector,
        found,
        version_tab=f"{kind}s",
        item=item,
        kind=kind,
        form=form,
        parameters=parameters,
    )
    return render_screen(request, "versions/endpoint_edit.html", "form", context, status)


def _edit_definition(
    request: HttpRequest, connector_id: str, version: str, name: str, kind: str
) -> HttpResponse:
    """Like `_edit`, for a definition; its JSON Schema is edited as text, checked as JSON
    here and as a schema (its references) by the API."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    item = client.get_definition(connector_id, found.name, name)
    json_schema = is_json_schema(item)
    status = 200
    if request.method == "GET":
        schema = None
        if json_schema:
            raw = client.get_raw_schema(connector_id, found.name, schema_filename(item))
            schema = json.dumps(raw, indent=2, ensure_ascii=False)
        form = DefinitionForm.for_definition(item, schema)
    else:
        form = DefinitionForm(request.POST, json_schema=json_schema)
        if form.is_valid():
            try:
                saved = client.update_definition(connector_id, found.name, name, form.update(item))
            except (BadRequest, Conflict) as error:
                add_api_errors(error, form, DEFINITION_FIELDS)
            else:
                messages.success(request, f"Definition {saved.name} saved.")
                page = reverse("version_definition", args=[connector_id, found.name, saved.name])
                return go_to(request, page)
        status = FORM_ERRORS
    context = version_context(
        connector, found, version_tab="definitions", item=item, kind=kind, form=form
    )
    return render_screen(request, "versions/definition_edit.html", "form", context, status)


def _delete(
    request: HttpRequest, connector_id: str, version: str, name: str, kind: str
) -> HttpResponse:
    """GET: ask to confirm (for a definition, naming what references it). POST: delete, then
    the version's list of that kind; the API's refusal (a published version; a definition
    still referenced, unless `force`) is shown on the confirmation."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    item = client.get_definition(connector_id, found.name, name) if kind == "definition" else None
    refusal = None
    if request.method == "POST":
        delete = {
            "action": client.delete_action,
            "trigger": client.delete_trigger,
            "definition": partial(client.delete_definition, force=FORCE in request.POST),
        }[kind]
        try:
            delete(connector_id, found.name, name)
        except (Conflict, PreconditionFailed) as error:
            refusal = error.message
        else:
            messages.success(request, f"{kind.capitalize()} {name} deleted.")
            page = reverse(LISTS[kind], args=[connector_id, found.name])
            return go_to(request, page)
    context = version_context(
        connector, found, version_tab=f"{kind}s", kind=kind, name=name, item=item, refusal=refusal
    )
    status = FORM_ERRORS if refusal else 200
    return render_screen(request, "versions/item_delete.html", "confirm", context, status)


def _for(handler, kind: str):
    """The view running `handler` for one kind of item ("action", "trigger", "definition")."""

    @require_permission(MANAGE_VERSIONS)
    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: HttpRequest, connector_id: str, version: str, name: str) -> HttpResponse:
        return handler(request, connector_id, version, name, kind)

    return view


edit_action, edit_trigger = _for(_edit, "action"), _for(_edit, "trigger")
edit_definition = _for(_edit_definition, "definition")
delete_action, delete_trigger = _for(_delete, "action"), _for(_delete, "trigger")
delete_definition = _for(_delete, "definition")
