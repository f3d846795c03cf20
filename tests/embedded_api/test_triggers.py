"""Triggers of a connector version. They share their implementation with actions (see
test_actions.py for the finer rules); these tests cover every trigger operation and what
differs: no path, and no path parameters."""

import pytest

from tests.embedded_api.versions_support import (
    definition,
    make_connector,
    make_definitions,
    make_version,
    publish,
    trigger,
    versions_path,
)


@pytest.fixture
def connector(api):
    return make_connector(api.org)


@pytest.fixture
def triggers(api, connector) -> str:
    make_version(api, connector, "1")
    return f"{versions_path(api, connector)}/1/triggers"


def test_a_trigger_is_created_and_read_back(api, connector, triggers):
    make_definitions(api, connector, "1", definition("Order"))
    body = trigger(
        parameters=[{"name": "X-Signature", "in": "header", "required": True, "type": "string"}],
        requestBody={"required": True, "definitions": [{"definition": {"name": "Order"}}]},
    )

    created = api.post(triggers, json=body)

    assert created.status_code == 201
    data = created.json()
    assert "path" not in data
    assert data["errors"] == []
    assert data["requestBody"]["definitions"][0]["definition"]["name"] == "Order"
    assert api.get(f"{triggers}/OrderCreated").json() == data


def test_a_path_parameter_is_refused_on_a_trigger(api, triggers):
    body = trigger(parameters=[{"name": "id", "in": "path", "required": True, "type": "string"}])
    response = api.post(triggers, json=body)
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "parameters[0].in"


def test_a_duplicate_trigger_name_is_a_conflict(api, triggers):
    api.post(triggers, json=trigger())
    response = api.post(triggers, json=trigger())
    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "name"


def test_an_action_and_a_trigger_may_share_a_name(api, connector, triggers):
    from tests.embedded_api.versions_support import action

    actions = f"{versions_path(api, connector)}/1/actions"
    assert api.post(actions, json=action("OrderCreated", path="/o", parameters=[])).is_success
    assert api.post(triggers, json=trigger("OrderCreated")).status_code == 201


def test_triggers_are_filtered_by_name_and_paged(api, triggers):
    for name in ("OrderCreated", "OrderPaid", "RefundIssued"):
        api.post(triggers, json=trigger(name))

    filtered = api.get(triggers, params={"name": "ORDER"}).json()
    first = api.get(triggers, params={"first": 2}).json()
    rest = api.get(triggers, params={"first": 2, "after": first["next"]}).json()

    assert {item["name"] for item in filtered["triggers"]} == {"OrderCreated", "OrderPaid"}
    assert [item["name"] for item in first["triggers"]] == ["RefundIssued", "OrderPaid"]
    assert [item["name"] for item in rest["triggers"]] == ["OrderCreated"]
    assert "next" not in rest and "prev" in rest and "prev" not in first


def test_a_trigger_is_updated_and_renamed(api, triggers):
    current = api.post(triggers, json=trigger()).json()
    changed = {**current, "name": "OrderPlaced", "description": "A shop order was placed"}

    response = api.put(f"{triggers}/OrderCreated", json=changed)

    assert response.status_code == 200
    assert response.json()["description"] == "A shop order was placed"
    assert api.get(f"{triggers}/OrderPlaced").json()["id"] == current["id"]


def test_a_trigger_is_deleted(api, triggers):
    api.post(triggers, json=trigger())
    assert api.delete(f"{triggers}/OrderCreated").status_code == 204
    assert api.get(f"{triggers}/OrderCreated").status_code == 404


def test_trigger_problems_are_reported_in_errors(api, triggers):
    created = api.post(triggers, json=trigger(responses=[])).json()
    assert created["errors"] == [
        {
            "field": "/responses",
            "message": "At least one response must be defined.",
            "severity": "error",
        }
    ]


def test_triggers_of_a_published_version_cannot_change(api, connector, triggers):
    current = api.post(triggers, json=trigger()).json()
    publish(api, connector, "1")

    attempts = [
        api.post(triggers, json=trigger("Another")),
        api.put(f"{triggers}/OrderCreated", json={**current, "summary": "changed"}),
        api.delete(f"{triggers}/OrderCreated"),
    ]

    assert [response.status_code for response in attempts] == [409, 409, 409]
    assert api.get(f"{triggers}/OrderCreated").json() == current


def test_creating_a_trigger_bumps_the_version(api, connector, triggers):
    before = api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"]
    api.post(triggers, json=trigger())
    assert api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"] > before
