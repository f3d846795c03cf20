"""The Connect API's validation errors, placed next to the form fields they are about.

The service layer names each problem by its path in the request body, in the models' Python
names (`credentials.action[0].credential.data.value`, `variables[1].name`,
`grant.client_secret`); these functions route each path to the form (and field) that
produced it. What matches no field is shown above the form, so nothing the API says is lost.
Messages never contain submitted values.
"""

import re
from collections.abc import Mapping

from django import forms

from dashboard.connect import APIError
from dashboard.web.api_errors import field_message, form_field_for

_SLOT = re.compile(r"^credentials\.(action|trigger)\[(\d+)\]\.?(.*)$")
_SLOT_FIELDS = {
    "auth_scheme_config": "scheme",
    "credential.type": "scheme",
    "credential.name": "name",
    "credential.expires_at": "expires_at",
}


def place(form: forms.Form, fields: Mapping[str, str], path: str, message: str) -> None:
    """Add the API's `message` about `path` to the mapped field of `form`, else above it."""
    name, rest = form_field_for(path, fields)
    if name is None:
        form.add_error(None, f"{rest}: {message}" if rest and rest != "body" else message)
    else:
        form.add_error(name, field_message(form, name, rest, message))


def place_on_variables(variables, path: str, message: str) -> bool:
    """Connection variables are `variables[i]...` in connection bodies; the shared formset
    reads the connector's name for them."""
    if not path.startswith("variables"):
        return False
    return variables.add_api_error("connection_variables" + path[len("variables") :], message)


def place_on_data_form(data_form: forms.Form, path: str, message: str) -> None:
    """`path` relative to a credential's `data`."""
    place(data_form, data_form.API_FIELDS, path, message)


def place_connection_errors(error: APIError, form, variables, slots: dict) -> None:
    """A CreateConnectorConnection refusal onto the new-connection form."""
    for item in error.fields:
        if place_on_variables(variables, item.field, item.message):
            continue
        match = _SLOT.match(item.field)
        live = slots[match[1]].slots() if match else []
        if match and int(match[2]) < len(live):
            _place_on_slot(live[int(match[2])], match[3], item.message)
        else:
            place(form, {"name": "name"}, item.field, item.message)
    if not error.fields:
        form.add_error(None, error.message)


def _place_on_slot(slot, path: str, message: str) -> None:
    if path.startswith("credential.data"):
        data_form = slot.chosen_data_form()
        if data_form is not None:
            place_on_data_form(data_form, path[len("credential.data") :].lstrip("."), message)
            return
    place(slot, _SLOT_FIELDS, path, message)


def place_edit_errors(error: APIError, form, variables) -> None:
    """An UpdateConnection refusal onto the edit form."""
    for item in error.fields:
        if place_on_variables(variables, item.field, item.message):
            continue
        match = _SLOT.match(item.field)
        if match:
            kept = [
                link_id
                for link_id in form.order(match[1])
                if not form.cleaned_data.get(f"remove_{link_id}")
            ]
            if int(match[2]) < len(kept):
                form.add_error(f"config_{kept[int(match[2])]}", item.message)
                continue
        place(form, {"name": "name"}, item.field, item.message)
    if not error.fields:
        form.add_error(None, error.message)


def place_rotation_errors(error: APIError, form, data_form) -> None:
    """An UpdateCredential refusal onto the rotation form and its data form."""
    for item in error.fields:
        if item.field.startswith("data"):
            place_on_data_form(data_form, item.field[len("data") :].lstrip("."), item.message)
        else:
            place(form, {"name": "name", "expires_at": "expires_at"}, item.field, item.message)
    if not error.fields:
        form.add_error(None, error.message)


def place_config_errors(error: APIError, form) -> None:
    """An UpsertAuthSchemeConfig refusal onto the auth scheme config form."""
    for item in error.fields:
        place(form, form.api_fields(), item.field, item.message)
    if not error.fields:
        form.add_error(None, error.message)
