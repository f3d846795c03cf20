"""Helpers for the OpenAPI import endpoints' tests: sending documents, reading results."""

from __future__ import annotations

import json

import httpx

from dashboard.embedded_api.models import (
    Action,
    AuthSchemeConfig,
    Connector,
    ConnectorVersion,
    Definition,
    Trigger,
)
from tests.openapi.support import document, json_body, operation  # noqa: F401 - re-exported

API_ROOT = "/api/connect/v1"
FORMAT = {"format": "openapi"}


def encode(doc: dict | bytes | str) -> bytes:
    if isinstance(doc, dict):
        return json.dumps(doc).encode()
    return doc.encode() if isinstance(doc, str) else doc


def upload(
    api, doc, *, metadata: dict | None = None, filename: str = "openapi.json"
) -> httpx.Response:
    """ImportHTTPConnector with the document as a multipart upload."""
    return api.post(f"{api.o}/protocols/http/import", files=_parts(doc, metadata, filename))


def upload_version(
    api, connector_id: str, doc, version: str = "2.0.0", *, metadata: dict | None = None
) -> httpx.Response:
    """ImportHTTPConnectorVersion with the document as a multipart upload."""
    metadata = FORMAT | {"version": version} if metadata is None else metadata
    return api.post(
        f"{api.o}/connector/{connector_id}/http/import",
        files=_parts(doc, metadata, "openapi.json"),
    )


def _parts(doc, metadata: dict | None, filename: str) -> dict:
    return {
        "file": (filename, encode(doc), "application/octet-stream"),
        "metadata": (
            None,
            json.dumps(FORMAT if metadata is None else metadata),
            "application/json",
        ),
    }


def imported(api, doc, **options) -> dict:
    """The ImportHTTPConnectorResult of a successful import."""
    response = upload(api, doc, **options)
    assert response.status_code == 201, response.text
    return response.json()


def by_name(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


def texts(body: dict, severity: str = "warning") -> list[str]:
    return [m["text"] for m in body["messages"] if m["severity"] == severity]


def details(body: dict, severity: str = "warning") -> list[str]:
    """Every JSON pointer the messages of this severity name."""
    return [
        pointer
        for m in body["messages"]
        if m["severity"] == severity
        for pointer in m.get("detail", [])
    ]


def raw_schema(api, definition: dict) -> dict:
    """The JSON Schema behind a definition's `url` (GetRawSchema)."""
    path = definition["url"].split(API_ROOT, 1)[1]
    response = api.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def stored_counts(organisation_id: str) -> dict[str, int]:
    """How many of each thing an import creates the organisation has in the database."""
    in_org = {"version__connector__organisation_id": organisation_id}
    return {
        "connectors": Connector.objects.filter(organisation_id=organisation_id).count(),
        "auth scheme configs": AuthSchemeConfig.objects.filter(
            connector__organisation_id=organisation_id
        ).count(),
        "versions": ConnectorVersion.objects.filter(
            connector__organisation_id=organisation_id
        ).count(),
        "definitions": Definition.objects.filter(**in_org).count(),
        "actions": Action.objects.filter(**in_org).count(),
        "triggers": Trigger.objects.filter(**in_org).count(),
    }


def pet_store() -> dict:
    """A small but complete 3.0 document: a schema, an operation using it, an API key."""
    return document(
        "3.0.3",
        components={
            "securitySchemes": {"key": {"type": "apiKey", "name": "X-Api-Key", "in": "header"}},
            "schemas": {
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        },
        paths={
            "/pets/{petId}": {
                "get": operation(
                    operationId="getPet",
                    parameters=[
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    responses={
                        "200": {
                            "description": "A pet",
                            **json_body({"$ref": "#/components/schemas/Pet"}),
                        }
                    },
                )
            }
        },
    )
