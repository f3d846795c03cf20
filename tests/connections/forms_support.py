"""Form data the connection and rotation pages expect, as a browser would post it."""

from bs4 import Tag

from dashboard.connect.models import Connector
from tests.html import one

MANAGEMENT = ("INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows))}
    data |= {f"{prefix}-{name}": "0" if name != "MAX_NUM_FORMS" else "1000" for name in MANAGEMENT}
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def slot(config_id: str, credential_type: str, name: str, data: dict | None = None, **fields):
    """One credential of a new connection: `data` are its type's data form fields."""
    row = {"scheme": f"{config_id}:{credential_type}", "name": name, **fields}
    row |= {f"{credential_type}-{field}": value for field, value in (data or {}).items()}
    return row


def new_connection(
    name: str,
    action: list[dict] = (),
    trigger: list[dict] = (),
    variables: list[tuple[str, str]] = (),
) -> dict:
    """The new-connection form, filled in."""
    return (
        {"name": name}
        | formset("variables", [{"name": n, "value": v} for n, v in variables])
        | formset("action", list(action))
        | formset("trigger", list(trigger))
    )


def config_of(connector: Connector, scheme_type: str, description: str | None = None):
    return next(
        config
        for config in connector.auth_scheme_configs
        if config.scheme_type == scheme_type
        and (description is None or config.description == description)
    )


def as_shown(doc: Tag, selector: str = "form") -> dict:
    """What a browser posts for the form as the page shows it, nothing typed: each field's
    value, a select's chosen (else first) option, ticked boxes only; no buttons, no files,
    nothing inside a row <template>."""
    data = {}
    for node in one(doc, selector).select("input[name], select[name], textarea[name]"):
        kind = node.get("type", "text")
        if node.find_parent("template") or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio") and not node.has_attr("checked"):
            continue
        if node.name == "select":
            chosen = node.select_one("option[selected]") or node.select_one("option")
            data[node["name"]] = chosen["value"] if chosen else ""
        elif node.name == "textarea":
            data[node["name"]] = node.get_text().removeprefix("\n")
        else:
            data[node["name"]] = node.get("value", "on" if kind == "checkbox" else "")
    return data
