"""The client against the embedded API over real HTTP: versions, publishing, the library, and
a version's actions, triggers, definitions and raw schemas."""

import json

import pytest

from dashboard.connect import APIError, NotFound, PreconditionFailed
from dashboard.connect.models import (
    ActionCreate,
    DefinitionCreate,
    DefinitionLinkCreate,
    DefinitionRef,
    DefinitionUpdate,
    HTTPConnectorCreate,
    HTTPParameter,
    HTTPRequestBodyCreate,
    HTTPResponseCreate,
    InlineSchema,
    TriggerCreate,
)

PRODUCT = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "tag": {"$ref": "#/$defs/Tag"}},
}
TAG = {"type": "object", "properties": {"label": {"type": "string"}}}


@pytest.fixture
def connector(live):
    return live.connectors.create_http(
        HTTPConnectorCreate(name="Shop", base_url="https://shop.example.com", public=True)
    )


@pytest.fixture
def draft(live, connector):
    """Version 1.0 with two definitions (one referencing the other), an action and a trigger."""
    live.versions.create(connector.id, "1.0")
    live.definitions.create(
        connector.id,
        "1.0",
        [
            DefinitionCreate(name="Product", schema=InlineSchema(content=json.dumps(PRODUCT))),
            DefinitionCreate(name="Tag", schema=InlineSchema(content=json.dumps(TAG))),
        ],
    )
    body = HTTPRequestBodyCreate(
        required=True,
        definitions=[DefinitionLinkCreate(definition=DefinitionRef(name="Product"))],
    )
    responses = [
        HTTPResponseCreate(
            status=200, definitions=[DefinitionLinkCreate(definition=DefinitionRef(name="Product"))]
        )
    ]
    live.actions.create(
        connector.id,
        "1.0",
        ActionCreate(
            name="createProduct",
            summary="Create a product",
            method="POST",
            path="/products",
            parameters=[HTTPParameter(name="X-Trace", in_="header", required=False)],
            request_body=body,
            responses=responses,
        ),
    )
    live.triggers.create(
        connector.id,
        "1.0",
        TriggerCreate(
            name="productCreated",
            method="POST",
            request_body=body,
            responses=[HTTPResponseCreate(status=204)],
        ),
    )
    return "1.0"


def test_versions_are_created_listed_and_read(live, connector):
    created = live.versions.create(connector.id, "1.0")
    live.versions.create(connector.id, "1.1", from_version="1.0")

    page = live.versions.list(connector.id)
    fetched = live.versions.get(connector.id, "1.0")

    assert (created.name, created.is_published) == ("1.0", False)
    assert sorted(v.name for v in page) == ["1.0", "1.1"]
    assert page.total_count == 2
    assert fetched.id == created.id


def test_a_version_is_published_becomes_latest_and_is_unpublished(live, connector, draft):
    published = live.versions.publish(connector.id, draft)
    latest = live.versions.get(connector.id, "latest")

    assert published.is_published and published.is_latest
    assert latest.name == draft

    unpublished = live.versions.unpublish(connector.id, draft)
    assert not unpublished.is_published


def test_a_published_version_refuses_changes(live, connector, draft):
    live.versions.publish(connector.id, draft)

    with pytest.raises(APIError) as raised:
        live.actions.delete(connector.id, draft, "createProduct")

    assert raised.value.status in (400, 409)


def test_a_versions_description_and_default_are_updated(live, connector):
    live.versions.create(connector.id, "1.0")
    version = live.versions.get(connector.id, "1.0")

    updated = live.versions.update(
        connector.id,
        version.model_copy(update={"description": "First cut"}),
        if_unmodified_since=version.updated_at,
    )

    assert updated.description == "First cut"
    with pytest.raises(PreconditionFailed):
        live.versions.update(
            connector.id,
            version.model_copy(update={"description": "Stale"}),
            if_unmodified_since=version.updated_at,
        )


def test_a_published_version_is_set_as_default(live, connector, draft):
    live.versions.publish(connector.id, draft)
    version = live.versions.get(connector.id, draft)

    updated = live.versions.update(connector.id, version.model_copy(update={"is_default": True}))

    assert updated.is_default
    assert live.versions.get(connector.id, "default").name == draft


def test_a_draft_is_deleted_and_a_published_one_needs_force(live, connector, draft):
    live.versions.create(connector.id, "scratch")
    live.versions.delete(connector.id, "scratch")
    live.versions.publish(connector.id, draft)

    with pytest.raises(APIError):
        live.versions.delete(connector.id, draft)
    live.versions.delete(connector.id, draft, force=True)

    with pytest.raises(NotFound):
        live.versions.get(connector.id, draft)


def test_actions_are_listed_filtered_read_updated_and_deleted(live, connector, draft):
    page = live.actions.list(connector.id, draft)
    filtered = live.actions.list(connector.id, draft, name="PRODUCT")
    none = live.actions.list(connector.id, draft, name="nothing")
    action = live.actions.get(connector.id, draft, "createProduct")

    assert [a.name for a in page] == ["createProduct"]
    assert len(filtered) == 1 and len(none) == 0
    assert (action.method, action.path, action.summary) == ("POST", "/products", "Create a product")
    assert action.parameters[0].in_ == "header"
    assert action.request_body.definitions[0].definition.name == "Product"
    assert [r.status for r in action.responses] == [200]

    updated = live.actions.update(
        connector.id, draft, "createProduct", action.model_copy(update={"path": "/v2/products"})
    )
    assert updated.path == "/v2/products"

    live.actions.delete(connector.id, draft, "createProduct")
    with pytest.raises(NotFound):
        live.actions.get(connector.id, draft, "createProduct")


def test_triggers_are_listed_read_updated_and_deleted(live, connector, draft):
    [listed] = live.triggers.list(connector.id, draft)
    trigger = live.triggers.get(connector.id, draft, "productCreated")

    updated = live.triggers.update(
        connector.id, draft, "productCreated", trigger.model_copy(update={"summary": "Created"})
    )
    live.triggers.delete(connector.id, draft, "productCreated")

    assert listed.name == trigger.name == "productCreated"
    assert updated.summary == "Created"
    assert list(live.triggers.list(connector.id, draft)) == []


def test_definitions_are_read_with_their_references_and_raw_schema(live, connector, draft):
    page = live.definitions.list(connector.id, draft)
    tag = live.definitions.get(connector.id, draft, "Tag")
    product = live.definitions.get(connector.id, draft, "Product")
    filename = product.url.rstrip("/").rsplit("/", 1)[-1]

    raw = live.definitions.raw_schema(connector.id, draft, filename)

    assert sorted(d.name for d in page) == ["Product", "Tag"]
    assert ("definition", "Product") in {(r.type, r.name) for r in tag.referenced_by}
    assert {"action", "trigger"} <= {r.type for r in product.referenced_by}
    assert raw["properties"]["id"] == {"type": "string"}


def test_a_referenced_definition_needs_force_to_delete(live, connector, draft):
    with pytest.raises(PreconditionFailed) as raised:
        live.definitions.delete(connector.id, draft, "Tag")

    assert raised.value.body  # the 412 body says what references it
    live.definitions.delete(connector.id, draft, "Tag", force=True)
    assert [d.name for d in live.definitions.list(connector.id, draft)] == ["Product"]


def test_a_definition_is_updated(live, connector, draft):
    tag = live.definitions.get(connector.id, draft, "Tag")

    updated = live.definitions.update(
        connector.id,
        draft,
        "Tag",
        DefinitionUpdate(
            id=tag.id,
            name="Tag",
            description="A label",
            schema=InlineSchema(content='{"type": "string"}'),
        ),
    )

    assert updated.description == "A label"


def test_definitions_are_deleted_in_bulk(live, connector, draft):
    live.definitions.delete_many(connector.id, draft, names=["Tag", "Product"], force=True)

    assert list(live.definitions.list(connector.id, draft)) == []


def test_a_public_version_is_imported_from_the_library(live, connector, draft):
    live.versions.publish(connector.id, draft)

    imported = live.library.import_version(connector.id, draft)

    assert imported.organisation_id == live.organisation_id
    assert [a.name for a in live.actions.list(imported.id, draft)] == ["createProduct"]
    assert not live.versions.get(imported.id, draft).is_published
