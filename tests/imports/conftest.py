"""Fixtures for the spec upload: documents, a publisher (who may import) and htmx headers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.connectors.conftest import (  # noqa: F401 (fixtures, and helpers for the tests)
    api,
    client_as,
    dashboard_api,
    encryption_key,
    fault_server,
    fresh_catalogue,
    htmx,
    make_connector,
    make_user,
    start_fault_server,
)
from tests.html import text

PETSTORE = b"""
openapi: 3.0.3
info: {title: Pet Store, version: "1.0"}
servers: [{url: "https://pets.example.com/v1"}]
components:
  securitySchemes:
    key: {type: apiKey, name: X-Api-Key, in: header}
  schemas:
    Pet:
      type: object
      properties: {id: {type: string}, name: {type: string}}
paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{name: tags, in: query, schema: {type: array, items: {type: string}}}]
      responses:
        "200":
          description: Pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: A pet
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
"""


def upload(content: bytes = PETSTORE, name: str = "petstore.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/yaml")


@pytest.fixture
def publisher(client_as):  # noqa: F811
    """Django's test client, logged in as a publisher (the role that imports specs)."""
    return client_as("publisher")


# One warning (no servers) and one trigger (a webhook); as a new version, the document's
# api-key scheme, which the connector lacks, is a warning of the new version's own instead.
ONE_OF_EACH = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1"},
    "paths": {"/ping": {"get": {"responses": {"204": {"description": "ok"}}}}},
    "webhooks": {"created": {"post": {"responses": {"200": {"description": "ok"}}}}},
}
AS_NEW_VERSION = ONE_OF_EACH | {
    "servers": [{"url": "https://tiny.example.com"}],
    "components": {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
    "security": [{"key": []}],
}


def counts(page) -> dict[str, str]:
    """The import counts a preview or result page shows, by kind ("1 trigger")."""
    return {node["data-count"]: text(node) for node in page.select(".import-counts li")}
