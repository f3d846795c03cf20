"""The Connect API's validation errors, put next to the form fields they are about.

The API names each problem by its path in the request body; the service layer hands it over
in the request models' Python names (`base_url`, `connection_variables[2].name`,
`auth_scheme_configs[0].in_`), and a view maps those paths onto its form's fields. What
matches no field is shown above the form, so nothing the API says is lost.
"""

import re
from collections.abc import Mapping

from django import forms

from dashboard.connect import APIError


def form_field_for(path: str, fields: Mapping[str, str]) -> tuple[str | None, str]:
    """The form field for an API field `path` (an exact match, or the longest mapped prefix
    followed by `.` or `[`), and what of the path is left to mention in the message."""
    for api_name in sorted(fields, key=len, reverse=True):
        if path == api_name:
            return fields[api_name], ""
        if path.startswith((f"{api_name}.", f"{api_name}[")):
            return fields[api_name], path[len(api_name) :].lstrip(".")
    return None, path


def field_message(form: forms.Form, name: str | None, rest: str, message: str) -> str:
    """The API's `message` about part `rest` of field `name`, naming an entry of a list
    field (a scope of the scopes typed one a line) by what was typed, not by its index:
    `[1].name` of scopes `read`, `write!` -> "“write!”: name: …"."""
    match = re.fullmatch(r"\[(\d+)\]\.?(.*)", rest)
    if match is None:
        return f"{rest}: {message}" if rest else message
    entries = getattr(form, "cleaned_data", {}).get(name) if name else None
    if isinstance(entries, str):
        entries = entries.split()  # e.g. default scopes, typed separated by spaces
    index, part = int(match[1]), match[2]
    if isinstance(entries, list) and index < len(entries):
        what = f"“{getattr(entries[index], 'name', entries[index])}”"
    else:
        what = f"Entry {index + 1}"
    return f"{what}: {part}: {message}" if part else f"{what}: {message}"


def add_api_errors(
    error: APIError,
    form: forms.Form,
    fields: Mapping[str, str],
    *rows,
) -> None:
    """Add `error`'s field errors to `form`, or to the first of `rows` that takes them (row
    formsets such as connection variables, or parts with an `add_api_error(path, message)`
    that says whether the path was theirs); with no field errors, its message becomes the
    form's error."""
    for item in error.fields:
        if any(part.add_api_error(item.field, item.message) for part in rows):
            continue
        name, rest = form_field_for(item.field, fields)
        if name is None and rest and rest != "body":
            form.add_error(None, f"{rest}: {item.message}")
        else:
            form.add_error(name, field_message(form, name, rest, item.message))
    if not error.fields:
        form.add_error(None, error.message)
