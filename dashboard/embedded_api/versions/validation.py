"""What stops a version from being published.

Drafts may be incomplete; each action and trigger carries its current problems in `errors`
(ActionError/TriggerError: a JSON Pointer `field`, `message`, `severity`), computed whenever
it is read, so they are never stale. Publishing refuses while any `error` remains, or while a
definition refers to a definition that was force-deleted. Warnings do not block.
"""

import re

from ..models import ConnectorVersion
from . import schema_content
from .contents import ACTION, TRIGGER, Catalogue, Kind

PLACEHOLDER = re.compile(r"\{\{\s*param\.([^\s}]+)\s*\}\}")


def endpoint_errors(kind: Kind, spec: dict, catalogue: Catalogue) -> list[dict]:
    """The problems of one action or trigger, as ActionError/TriggerError objects."""
    errors: list[dict] = []

    def add(pointer: str, message: str, severity: str = "error") -> None:
        errors.append({"field": pointer, "message": message, "severity": severity})

    responses = spec.get("responses", [])
    if not responses:
        add("/responses", "At least one response must be defined.")
    statuses: set[int] = set()
    defaults = 0
    for index, response in enumerate(responses):
        status = response.get("status")
        if status is None:
            defaults += 1
            if defaults > 1:
                add(f"/responses/{index}", "Only one default response (without status) is allowed.")
        elif status in statuses:
            add(f"/responses/{index}/status", f"Another response already has status {status}.")
        else:
            statuses.add(status)
        _check_links(response["definitions"], f"/responses/{index}", catalogue, add)
    if "requestBody" in spec:
        _check_links(spec["requestBody"]["definitions"], "/requestBody", catalogue, add)

    parameters = spec.get("parameters", [])
    seen: set[tuple[str, str]] = set()
    for index, parameter in enumerate(parameters):
        # Header names are case-insensitive; other locations are not.
        name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
        if (parameter["in"], name) in seen:
            add(
                f"/parameters/{index}/name",
                f"Another {parameter['in']} parameter is named the same.",
            )
        seen.add((parameter["in"], name))
    if kind.has_path:
        _check_path(spec.get("path", ""), parameters, add)
    return errors


def _check_links(links: list[dict], pointer: str, catalogue: Catalogue, add) -> None:
    accepted: set[str] = set()
    for index, link in enumerate(links):
        definition = catalogue.by_id.get(link["definition"])
        if definition is None:
            add(
                f"{pointer}/definitions/{index}",
                "The linked definition was deleted; link another definition or remove this link.",
            )
            continue
        types = {schema_content.media_type(value) for value in definition.accept}
        if shared := types & accepted:
            add(
                f"{pointer}/definitions/{index}",
                f"Only one definition per media type may be linked here; "
                f"{', '.join(sorted(shared))} is already covered.",
            )
        accepted |= types


def _check_path(path: str, parameters: list[dict], add) -> None:
    used = set(PLACEHOLDER.findall(path))
    declared = set()
    for index, parameter in enumerate(parameters):
        if parameter["in"] != "path":
            continue
        declared.add(parameter["name"])
        if not parameter["required"]:
            add(f"/parameters/{index}/required", "Path parameters must be required.")
        if parameter["name"] not in used:
            add(
                f"/parameters/{index}",
                f"The path does not use this parameter ({{{{ param.{parameter['name']} }}}}).",
                "warning",
            )
    for name in sorted(used - declared):
        add("/path", f"The path uses {{{{ param.{name} }}}} but no path parameter '{name}' exists.")


def publish_problems(version: ConnectorVersion) -> list[dict]:
    """Every blocking problem of the version, as the contract's ErrorField objects."""
    catalogue = Catalogue.load(version)
    problems = []
    schemas = version.definitions.filter(schema__isnull=False).values_list("name", "schema")
    for name, schema in schemas:
        for missing in sorted(schema_content.referenced_ids(schema) - set(catalogue.by_id)):
            problems.append(
                {
                    "field": f"definitions.{name}.schema",
                    "message": f"refers to definition {missing}, which was deleted",
                }
            )
    for kind in (ACTION, TRIGGER):
        for name, spec in kind.model.objects.filter(version=version).values_list("name", "spec"):
            for error in endpoint_errors(kind, spec, catalogue):
                if error["severity"] == "error":
                    problems.append(
                        {
                            "field": f"{kind.plural}.{name}{_dotted(error['field'])}",
                            "message": error["message"],
                        }
                    )
    return problems


def _dotted(pointer: str) -> str:
    """`/responses/0/status` -> `.responses[0].status` (the ErrorField path style)."""
    path = ""
    for part in pointer.strip("/").split("/"):
        path += f"[{part}]" if part.isdigit() else f".{part}"
    return path
