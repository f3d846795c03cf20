"""Changing a draft's contents: editing its actions and triggers (name, summary, description,
method, path, parameters, request body and responses) and definitions (name,
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
from dashboard.connect import LARGEST_PAGE, BadRequest, Conflict, PreconditionFailed, get_client
from dashboard.connect.models import ActionCreate, ConnectorVersion, Definition, TriggerCreate
from dashboard.web.api_errors import add_api_errors
from dashboard.web.htmx import FORM_ERRORS, go_to, render_screen, vary_on_htmx
from dashboard.wording import in_screen_words

from .contents import is_json_schema, named_schema, schema_text
from .forms import (
    DEFINITION_FIELDS,
    ENDPOINT_FIELDS,
    DefinitionForm,
    EndpointForm,
    RequestBodyForm,
    parameter_formset,
    response_formset,
)
from .views import load_version, version_context

# The buttons that add a parameter or a response row (re-render the form, save nothing).
ADD_PARAMETER, ADD_RESPONSE = "add_parameter", "add_response"
# The confirmation's field that deletes a definition other items still reference.
FORCE = "force"
# A new definition's schema, to start from.
NEW_SCHEMA = json.dumps({"type": "object", "properties": {}}, indent=2)
# A new definition is sent in a list: CreateDefinitions names its fields `definitions[0].name`.
NEW_DEFINITION_FIELDS = {f"definitions[0].{api}": name for api, name in DEFINITION_FIELDS.items()}
# The bodies that create a new action or trigger.
NEW = {"action": ActionCreate, "trigger": TriggerCreate}
# Where each kind of item is listed (a version's page lists its actions).
LISTS = {
    "action": "version_detail",
    "trigger": "version_triggers",
    "definition": "version_definitions",
}


def _edit(
    request: HttpRequest, connector_id: str, version: str, name: str | None, kind: str
) -> HttpResponse:
    """GET: the form, filled from the item (`name`) or empty for a new one. POST: save and go
    to the item's page; an invalid form, or one the API refuses, comes back with what was
    typed and the problems."""
    client = get_client()
    items = client.actions if kind == "action" else client.triggers
    connector, found = load_version(connector_id, version)
    item = items.get(connector_id, found.name, name) if name else None
    stored = item.parameters if item else []
    data = request.POST if request.method == "POST" else None
    form = EndpointForm(data, kind=kind) if data is not None else EndpointForm.for_item(item, kind)
    parameters = parameter_formset(kind, data=data, parameters=stored)
    definitions = _definitions(connector_id, found)
    responses = response_formset(definitions, data, item.responses if item else None)
    body = RequestBodyForm(
        data, definitions=definitions, stored=item.request_body if item else None
    )
    status = 200
    if data is not None and ADD_PARAMETER in data:
        parameters = parameters.with_another_row(data)
    elif data is not None and ADD_RESPONSE in data:
        responses = responses.with_another_row(data)
    elif data is not None:
        status = FORM_ERRORS
        # Every form checked, so every error shows at once.
        if all([form.is_valid(), parameters.is_valid(), responses.is_valid(), body.is_valid()]):
            fields = form.cleaned_data | {"parameters": parameters.parameters(stored)}
            try:
                saved = _save(items, connector_id, found.name, name, item, fields, body, responses)
            except (BadRequest, Conflict) as error:  # e.g. a name taken, a published version
                add_api_errors(error, form, ENDPOINT_FIELDS, parameters, responses, body)
            else:
                return _saved(request, connector_id, found.name, kind, saved.name, created=not item)
    context = _form_context(request, connector, found, kind, name, item=item, form=form)
    context |= {"parameters": parameters, "responses": responses, "body": body}
    return render_screen(request, "versions/item_edit.html", "form", context, status)


def _save(items, connector_id: str, version: str, name, item, fields: dict, body, responses):
    """Update `item` with `fields`, its body and responses, or (no item) create one."""
    if item:
        fields |= {"request_body": body.updated(), "responses": responses.updated(item.responses)}
        return items.update(connector_id, version, name, item.model_copy(update=fields))
    new = NEW[items.kind](
        **fields, request_body=body.request_body(), responses=responses.responses()
    )
    return items.create(connector_id, version, new)


def _edit_definition(
    request: HttpRequest, connector_id: str, version: str, name: str | None, kind: str
) -> HttpResponse:
    """Like `_edit`, for a definition; its JSON Schema is edited as text, checked as JSON
    here and as a schema (its references) by the API."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    item = client.definitions.get(connector_id, found.name, name) if name else None
    status = 200
    if request.method == "GET":
        schema = (
            schema_text(named_schema(client, connector_id, found.name, item))
            if item
            else NEW_SCHEMA
        )
        form = DefinitionForm.for_definition(item, schema)
    else:
        json_schema = item is None or is_json_schema(item)
        form = DefinitionForm(request.POST, json_schema=json_schema)
        if form.is_valid():
            try:
                if item:
                    saved = client.definitions.update(
                        connector_id, found.name, name, form.update(item)
                    )
                else:
                    [saved] = client.definitions.create(connector_id, found.name, [form.create()])
            except (BadRequest, Conflict) as error:
                add_api_errors(error, form, DEFINITION_FIELDS | NEW_DEFINITION_FIELDS)
            else:
                return _saved(request, connector_id, found.name, kind, saved.name, created=not item)
        status = FORM_ERRORS
    context = _form_context(request, connector, found, kind, name, item=item, form=form)
    return render_screen(request, "versions/item_edit.html", "form", context, status)


def _definitions(connector_id: str, version: ConnectorVersion) -> dict[str, Definition]:
    """A version's definitions by name (what a body or a response may follow)."""
    listed = (
        get_client().definitions.list(connector_id, version.name, first=LARGEST_PAGE).iter_all()
    )
    return {definition.name: definition for definition in listed}


def _form_context(request, connector, version, kind: str, name: str | None, **context) -> dict:
    """What an editor's or a confirmation's template needs besides its forms: where it posts
    and where Cancel goes back to (the item `name`, or for a new one the list)."""
    args = [connector.id, version.name]
    back = (
        reverse(f"version_{kind}", args=[*args, name]) if name else reverse(LISTS[kind], args=args)
    )
    return version_context(
        connector,
        version,
        version_tab=f"{kind}s",
        kind=kind,
        name=name,
        form_url=request.path,
        cancel_url=back,
        **context,
    )


def _saved(
    request: HttpRequest, connector_id: str, version: str, kind: str, name: str, *, created: bool
) -> HttpResponse:
    """After a save: a toast, and the item's page."""
    messages.success(request, f"{kind.capitalize()} {name} {'created' if created else 'saved'}.")
    return go_to(request, reverse(f"version_{kind}", args=[connector_id, version, name]))


def _delete(
    request: HttpRequest, connector_id: str, version: str, name: str, kind: str
) -> HttpResponse:
    """GET: ask to confirm (for a definition, naming what references it). POST: delete, then
    the version's list of that kind; the API's refusal (a published version; a definition
    still referenced, unless `force`) is shown on the confirmation."""
    client = get_client()
    connector, found = load_version(connector_id, version)
    item = client.definitions.get(connector_id, found.name, name) if kind == "definition" else None
    refusal = None
    if request.method == "POST":
        delete = {
            "action": client.actions.delete,
            "trigger": client.triggers.delete,
            "definition": partial(client.definitions.delete, force=FORCE in request.POST),
        }[kind]
        try:
            delete(connector_id, found.name, name)
        except (Conflict, PreconditionFailed) as error:
            refusal = in_screen_words(error.message)
        else:
            messages.success(request, f"{kind.capitalize()} {name} deleted.")
            page = reverse(LISTS[kind], args=[connector_id, found.name])
            return go_to(request, page)
    context = _form_context(request, connector, found, kind, name, item=item, refusal=refusal)
    status = FORM_ERRORS if refusal else 200
    return render_screen(request, "versions/item_delete.html", "confirm", context, status)


def _for(handler, kind: str):
    """The view running `handler` for one kind of item ("action", "trigger", "definition");
    without a `name` in its URL, for a new one."""

    @require_permission(MANAGE_VERSIONS)
    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(
        request: HttpRequest, connector_id: str, version: str, name: str | None = None
    ) -> HttpResponse:
        return handler(request, connector_id, version, name, kind)

    return view


edit_action, edit_trigger = _for(_edit, "action"), _for(_edit, "trigger")
edit_definition = _for(_edit_definition, "definition")
delete_action, delete_trigger = _for(_delete, "action"), _for(_delete, "trigger")
delete_definition = _for(_delete, "definition")
