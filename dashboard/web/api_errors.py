"""The Connect API's validation errors, put next to the form fields they are about.

The API names each problem by its path in the request body; the service layer hands it over
in the request models' Python names (`base_url`, `connection_variables[2].name`,
`auth_scheme_configs[0].in_`), and a view maps those paths onto its form's fields. What
matches no field is shown above the form, so nothing the API says is lost.
"""

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


def add_api_errors(
    error: APIError,
    form: forms.Form,
    fields: Mapping[str, str],
    rows=None,
) -> None:
    """Add `error`'s field errors to `form` (and to the `rows` formset, e.g. connection
    variables, when given); with no field errors, its message becomes the form's error."""
    for item in error.fields:
        if rows is not None and rows.add_api_error(item.field, item.message):
            continue
        name, rest = form_field_for(item.field, fields)
        if name is None and rest and rest != "body":
            form.add_error(None, f"{rest}: {item.message}")
        else:
            form.add_error(name, f"{rest}: {item.message}" if rest else item.message)
    if not error.fields:
        form.add_error(None, error.message)
