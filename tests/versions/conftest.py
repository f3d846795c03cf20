"""Fixtures for the version pages: the dashboard's own client (the embedded API, in process),
a connector with a published version 1.0 and a draft 2.0 made from it and changed, and users
in each role."""

import json

import pytest

from dashboard.connect import ConnectClient
from dashboard.connect.models import (
    ActionCreate,
    Connector,
    DefinitionCreate,
    DefinitionLinkCreate,
    DefinitionRef,
    DefinitionUpdate,
    HTTPParameter,
    HTTPRequestBodyCreate,
    HTTPResponseCreate,
    InlineSchema,
    TriggerCreate,
)
from tests.connectors.conftest import (  # noqa: F401 (the connector pages' fixtures serve here too)
    api,
    client_as,
    encryption_key,
    fresh_catalogue,
    make_connector,
    make_user,
)

PRODUCT = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "tag": {"$ref": "#/$defs/Tag"}},
    "required": ["id"],
}
TAG = {"type": "object", "properties": {"label": {"type": "string"}}}


def uses(*names: str) -> list[DefinitionLinkCreate]:
    return [DefinitionLinkCreate(definition=DefinitionRef(name=name)) for name in names]


def schema(value: dict) -> InlineSchema:
    return InlineSchema(content=json.dumps(value))


def fill_version(client: ConnectClient, connector_id: str, version: str) -> None:
    """Version contents: definitions Product (referring to Tag) and Tag, actions listProducts
    and createProduct, trigger productCreated."""
    client.definitions.create(
        connector_id,
        version,
        [
            DefinitionCreate(name="Product", description="A product", schema=schema(PRODUCT)),
            DefinitionCreate(name="Tag", schema=schema(TAG)),
        ],
    )
    client.actions.create(
        connector_id,
        version,
        ActionCreate(
            name="listProducts",
            summary="List products",
            method="GET",
            path="/products",
            parameters=[HTTPParameter(name="limit", in_="query", type="integer")],
            responses=[HTTPResponseCreate(status=200, definitions=uses("Product"))],
        ),
    )
    client.actions.create(
        connector_id,
        version,
        ActionCreate(
            name="createProduct",
            method="POST",
            path="/products",
            request_body=HTTPRequestBodyCreate(required=True, definitions=uses("Product")),
            responses=[HTTPResponseCreate(status=201, definitions=uses("Product"))],
        ),
    )
    client.triggers.create(
        connector_id,
        version,
        TriggerCreate(
            name="productCreated",
            method="POST",
            request_body=HTTPRequestBodyCreate(required=True, definitions=uses("Product")),
            responses=[HTTPResponseCreate(status=204)],
        ),
    )


def change_draft(client: ConnectClient, connector_id: str, version: str) -> None:
    """What 2.0 changes from 1.0: listProducts moves and gains a parameter, createProduct is
    removed, getProduct is added (with a path that uses an undeclared parameter: an error the
    API reports), Product's schema gains a property, Order is added."""
    listing = client.actions.get(connector_id, version, "listProducts")
    listing.path = "/v2/products"
    listing.parameters.append(HTTPParameter(name="cursor", in_="query"))
    client.actions.update(connector_id, version, "listProducts", listing)
    client.actions.delete(connector_id, version, "createProduct")
    client.actions.create(
        connector_id,
        version,
        ActionCreate(
            name="getProduct",
            method="GET",
            path="/products/{{ param.id }}",
            responses=[HTTPResponseCreate(status=200, definitions=uses("Product"))],
        ),
    )
    product = client.definitions.get(connector_id, version, "Product")
    changed = {**PRODUCT, "properties": {**PRODUCT["properties"], "price": {"type": "number"}}}
    client.definitions.update(
        connector_id,
        version,
        "Product",
        DefinitionUpdate(
            id=product.id, name="Product", description="A product", schema=schema(changed)
        ),
    )
    client.definitions.create(
        connector_id, version, [DefinitionCreate(name="Order", schema=schema({"type": "object"}))]
    )


@pytest.fixture
def connector(api) -> Connector:  # noqa: F811
    """A connector with version 1.0 published and 2.0, a changed copy of it, in draft."""
    made = make_connector(api, "Shop")
    api.versions.create(made.id, "1.0")
    fill_version(api, made.id, "1.0")
    api.versions.publish(made.id, "1.0")
    api.versions.create(made.id, "2.0", from_version="1.0")
    change_draft(api, made.id, "2.0")
    return api.connectors.get(made.id)


@pytest.fixture
def publisher(client_as):  # noqa: F811
    return client_as("publisher")
