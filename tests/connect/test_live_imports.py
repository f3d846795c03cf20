"""The client against the embedded API over real HTTP: OpenAPI imports, by upload and by URL.

Skipped until the embedded API routes ImportHTTPConnector (they then run by themselves)."""

import pytest
from django.urls import resolve

from dashboard.connect import BadRequest
from tests.connect.fault_server import raw

SPEC = b"""
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
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: A pet
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
"""


def _routed(path: str) -> bool:
    return resolve(path).func.__name__ != "_unknown"


requires_import = pytest.mark.skipif(
    not _routed("/api/connect/v1/o/01JQ0PATCHBAY0DEM0RGAN1SAT/protocols/http/import"),
    reason="the embedded API does not route ImportHTTPConnector yet",
)


@requires_import
def test_an_uploaded_spec_becomes_a_connector_with_its_actions_and_definitions(live):
    result = live.imports.create(SPEC, "petstore.yaml")

    assert (result.connector.name, result.connector.base_url) == (
        "Pet Store",
        "https://pets.example.com/v1",
    )
    assert [a.name for a in result.actions] == ["getPet"]
    assert "Pet" in {d.name for d in result.definitions}
    assert [c.scheme_type for c in result.connector.auth_scheme_configs] == ["api-key"]
    assert result.messages
    assert live.connectors.get(result.connector.id).name == "Pet Store"


@requires_import
def test_an_invalid_spec_is_refused_with_messages(live):
    with pytest.raises(BadRequest) as raised:
        live.imports.create(b"swagger: '2.0'\ninfo: {title: Old}\n", "old.yaml")

    assert raised.value.messages or raised.value.message


@requires_import
def test_a_spec_imports_as_a_new_version_of_a_connector(live):
    first = live.imports.create(SPEC, "petstore.yaml")

    result = live.imports.create_version(
        first.connector.id, "2.0", SPEC.replace(b"getPet", b"fetchPet"), "petstore.yaml"
    )

    assert [a.name for a in live.actions.list(first.connector.id, "2.0")] == ["fetchPet"]
    assert result.connector.id == first.connector.id


@requires_import
def test_a_spec_is_imported_from_a_url(live, server, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    server.default = raw(200, SPEC, "application/yaml")

    result = live.imports.create_from_url(f"{server.url}/petstore.yaml", filetype="yaml")
    version = live.imports.create_version_from_url(
        result.connector.id, "2.0", f"{server.url}/petstore.yaml", filetype="yaml"
    )

    assert result.connector.name == "Pet Store"
    assert [a.name for a in version.actions] == ["getPet"]
