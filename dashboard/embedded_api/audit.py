"""The embedded API announces its own mutations, so the audit log is complete whichever door
was used: the dashboard, or a client calling the API with an API key.

This app imports no dashboard app; the audit log (dashboard/accounts/audit.py) listens to
`api_mutation`. It is sent after every non-GET request made with an API key, successful or
not, with the keyword arguments `connect_mutation` has (operation, method, path, target,
outcome, status, request_id) plus `actor`: the key's name; a deletion's target is named as
it was just before (`name_before`), so the entry still says what went. Calls with the
dashboard's service token are not announced: the dashboard's client records those itself
(with the signed-in user), so no call is recorded twice.
"""

import json

from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse

from .models import AuthSchemeConfig, Connection, Connector, Credential

api_mutation = Signal()

# Path parameters naming what a call changed, innermost first, with the kind they name.
_PARAMETERS = (
    ("credential_id", "credential"),
    ("connection_id", "connection"),
    ("auth_scheme_config_id", "auth_scheme_config"),
    ("definition_name", "definition"),
    ("item_name", None),  # an action or trigger: the collection before it in the path says
    ("version", "version"),
    ("connector_id", "connector"),
)
# Collections a POST creates in; what it made is in the answer (an import's: its connector).
_COLLECTIONS = {
    "connectors": "connector",
    "import": "connector",
    "versions": "version",
    "actions": "action",
    "triggers": "trigger",
    "definitions": "definition",
    "connections": "connection",
    "credentials": "credential",
}


def name_before(kwargs: dict) -> str | None:
    """The name of what a DELETE at a path with `kwargs` deletes, read before it goes (in the
    caller's organisation only); None for other targets, already named by the path."""
    organisation, connector = kwargs.get("organisation_id"), kwargs.get("connector_id")
    if "credential_id" in kwargs:
        found = Credential.objects.filter(organisation_id=organisation, id=kwargs["credential_id"])
        return found.values_list("name", flat=True).first()
    owned = {"connector__organisation_id": organisation, "connector_id": connector}
    if "connection_id" in kwargs:
        found = Connection.objects.filter(**owned, id=kwargs["connection_id"])
        return found.values_list("name", flat=True).first()
    if "auth_scheme_config_id" in kwargs:
        configs = AuthSchemeConfig.objects.filter(
            **owned, config_id=kwargs["auth_scheme_config_id"]
        )
        return configs.values_list("description", flat=True).first() or None
    if connector is not None and "version" not in kwargs:
        found = Connector.objects.filter(organisation_id=organisation, id=connector)
        return found.values_list("name", flat=True).first()
    return None


def _target(request: HttpRequest, kwargs: dict, response: HttpResponse, result: object) -> dict:
    """What the call changed: kind, id and name, as far as the path and answer say."""
    segments = request.path.rstrip("/").split("/")
    if segments[-1] in _COLLECTIONS:
        if result is None and response.status_code < 300:  # a 201 built by the handler
            result = _json(response)
        made = result.get("connector", result) if isinstance(result, dict) else None
        made = made if isinstance(made, dict) else {}
        return {"kind": _COLLECTIONS[segments[-1]], "id": made.get("id"), "name": made.get("name")}
    for parameter, kind in _PARAMETERS:
        if parameter in kwargs:
            value = str(kwargs[parameter])
            before = segments[segments.index(value) - 1] if value in segments else ""
            kind = kind or _COLLECTIONS.get(before, "item")
            # A version (like an item) is known by its name.
            named = kind in ("version", "action", "trigger", "definition")
            return {"kind": kind, "id": value, "name": value if named else None}
    return {}


def _json(response: HttpResponse) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, AttributeError):  # not JSON, or streamed
        return None


def _outcome(response: HttpResponse) -> str:
    if response.status_code < 400:
        return "ok"
    body = _json(response)
    code = body.get("code") if isinstance(body, dict) else None
    return str(code or response.status_code)


def announce_mutation(
    request: HttpRequest,
    handler,
    kwargs: dict,
    response: HttpResponse,
    result: object,
    named: str | None = None,
) -> None:
    """Send `api_mutation` for a request made with an API key; `named`: a deletion's target's
    name, read before it (`name_before`)."""
    target = _target(request, kwargs, response, result)
    if named is not None and not target.get("name"):
        target["name"] = named
    api_mutation.send(
        sender=announce_mutation,
        operation=getattr(handler, "__name__", request.method.lower()),
        method=request.method,
        path=request.path,
        target=target,
        outcome=_outcome(response),
        status=response.status_code,
        request_id=request.headers.get("X-Request-ID"),
        actor=request.api_key_name,
    )
