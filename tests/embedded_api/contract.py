"""Checks response bodies against the reference Connect API document (the contract).

The document is read from beside the project (`tests.reference`); without it, responses go
unchecked and `test_the_contract_document_is_beside_the_project` says why.
"""

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from ulid import ULID

from tests.reference import REFERENCE

_URN = "urn:patchbay:connect-api-v1"


def available() -> bool:
    return REFERENCE.exists()


def _allow_null(node):
    """The document is 3.1 but still says `nullable: true` (3.0 style); honour it."""
    if isinstance(node, dict):
        node = {key: _allow_null(value) for key, value in node.items()}
        if node.pop("nullable", False):
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_allow_null(value) for value in node]
    return node


def _load(path: Path) -> dict:
    with path.open() as handle:
        return _allow_null(yaml.load(handle, Loader=yaml.CSafeLoader))


def _credential_data_any_of(document: dict) -> dict:
    """The credential `data` alternatives overlap (basic-auth and oauth2-password have one
    shape; oauth2-client with scopes also fits oauth2-token; in v1alpha1 every oauth2-token
    fits oauth2-client), so `oneOf` cannot hold for those types: check `anyOf` instead."""
    for name in ("Credential", "CredentialCreate"):
        data = document["components"]["schemas"][name]["properties"]["data"]
        data["anyOf"] = data.pop("oneOf")
    return document


@cache
def _document() -> dict:
    return _credential_data_any_of(_load(REFERENCE))


# The organisation's credentials come from v1alpha1 (v1 has no such operations). They serve
# v1's credential vocabulary (types, data shapes, auth scheme types) in v1alpha1's envelope.
ALPHA_REFERENCE = REFERENCE.with_name("connect-api-v1alpha1.yaml")
_ALPHA_URN = "urn:patchbay:connect-api-v1alpha1"
_ALPHA_PATHS = re.compile(r"^/o/\{organisation_id\}/credentials")


@cache
def _alpha_document() -> dict:
    alpha = _credential_data_any_of(_load(ALPHA_REFERENCE))
    v1 = _document()["components"]["schemas"]
    schemas = alpha["components"]["schemas"]
    for name, schema in v1.items():
        if name.startswith("CredentialData") or name in {"CredentialType", "AuthSchemeType"}:
            schemas[name] = schema
    schemas["Credential"]["properties"]["data"] = v1["Credential"]["properties"]["data"]
    alpha["paths"] = {t: op for t, op in alpha["paths"].items() if _ALPHA_PATHS.match(t)}
    return alpha


def _documents() -> dict[str, dict]:
    documents = {_URN: _document()}
    if ALPHA_REFERENCE.exists():
        documents[_ALPHA_URN] = _alpha_document()
    return documents


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (urn, DRAFT202012.create_resource(document)) for urn, document in _documents().items()
    )


@cache
def _routes() -> list[tuple[re.Pattern, str, str]]:
    routes = []
    for urn, document in _documents().items():
        for template in document["paths"]:
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
            routes.append((re.compile(f"^{pattern}$"), template, urn))
    # The most literal template wins (`/protocols/http/connectors` over `/protocols/{slug}/...`).
    routes.sort(key=lambda route: -len(re.sub(r"\{[^}]+\}", "", route[1])))
    return routes


def operation_for(method: str, path: str) -> tuple[str, dict, str] | None:
    """The (path template, operation, document URN) a request is for."""
    for pattern, template, urn in _routes():
        if pattern.match(path):
            operation = _documents()[urn]["paths"][template].get(method.lower())
            if operation is not None:
                return template, operation, urn
    return None


_formats = jsonschema.FormatChecker()


@_formats.checks("ulid", raises=ValueError)
def _is_ulid(value) -> bool:
    return not isinstance(value, str) or bool(ULID.from_str(value))


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    return not isinstance(value, str) or bool(datetime.fromisoformat(value.replace("Z", "+00:00")))


def problems(method: str, url: str, status: int, body: object, api_root: str) -> list[str]:
    """What is wrong with this response according to the contract (empty when it conforms)."""
    path = urlsplit(url).path
    if not path.startswith(api_root):
        return []
    path = path[len(api_root) :] or "/"
    found = operation_for(method, path)
    if found is None:
        if status < 400:
            return [f"{method} {path} is not an operation of the contract"]
        template, operation, urn = path, {"operationId": f"{method} {path}", "responses": {}}, _URN
    else:
        template, operation, urn = found
    responses = operation.get("responses", {})
    key = str(status) if str(status) in responses else "default" if "default" in responses else None
    if key is None:
        if status >= 400:
            pointer = "#/components/schemas/Error"
        else:
            return [f"{operation['operationId']} does not document status {status}"]
    else:
        content = responses[key].get("content") or {}
        if not content:
            return [] if body in (None, b"", "") else [f"{status} should have no body"]
        media = content.get("application/json")
        if media is None or "schema" not in media:
            return []
        escaped = template.replace("~", "~0").replace("/", "~1")
        pointer = (
            f"#/paths/{escaped}/{method.lower()}/responses/{key}/content/application~1json/schema"
        )
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{urn}{pointer}"}, registry=_registry(), format_checker=_formats
    )
    return [
        f"{operation['operationId']} {status} at /{'/'.join(map(str, error.absolute_path))}: "
        f"{error.message[:300]}"
        for error in validator.iter_errors(body)
    ][:10]
