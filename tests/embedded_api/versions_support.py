"""Helpers shared by the versions-area tests (versions, actions, triggers, definitions,
schemas, library import). Connectors are made directly in the database: they belong to the
connectors area, and these tests are about what hangs off them."""

import json

from dashboard.embedded_api.models import Connector


def make_connector(organisation_id: str, *, protocol: str = "http", public: bool = False, **fields):
    return Connector.objects.create(
        organisation_id=organisation_id,
        name=fields.pop("name", "Shop"),
        protocol=protocol,
        public=public,
        base_url="https://shop.example" if protocol == "http" else "",
        **fields,
    )


def versions_path(api, connector) -> str:
    return f"{api.o}/connectors/{connector.pk}/versions"


def make_version(api, connector, name: str = "1.0.0", **body) -> dict:
    response = api.post(versions_path(api, connector), json={"name": name, **body})
    assert response.status_code == 201, response.text
    return response.json()


def publish(api, connector, name: str) -> dict:
    response = api.post(f"{versions_path(api, connector)}/{name}/publish")
    assert response.status_code == 200, response.text
    return response.json()["version"]


def json_schema(content: dict | bool) -> dict:
    return {"contentType": "application/schema+json", "content": json.dumps(content)}


def definition(name: str, content: dict | bool | None = None, accept=("application/json",)) -> dict:
    return {
        "name": name,
        "accept": list(accept),
        "schema": json_schema({"type": "object"} if content is None else content),
    }


def make_definitions(api, connector, version: str, *definitions: dict) -> list[dict]:
    response = api.post(
        f"{versions_path(api, connector)}/{version}/definitions",
        json={"definitions": list(definitions)},
    )
    assert response.status_code == 201, response.text
    return response.json()["definitions"]


def action(name: str = "GetProduct", **fields) -> dict:
    """A valid ActionCreate: GET /products/{{ param.id }} answering 200."""
    return {
        "type": "http",
        "name": name,
        "method": "GET",
        "path": "/products/{{ param.id }}",
        "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
        "responses": [{"status": 200, "definitions": []}],
        **fields,
    }


def trigger(name: str = "OrderCreated", **fields) -> dict:
    """A valid TriggerCreate: a POST webhook answering 204."""
    return {
        "type": "http",
        "name": name,
        "method": "POST",
        "parameters": [],
        "responses": [{"status": 204, "definitions": []}],
        **fields,
    }
