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
