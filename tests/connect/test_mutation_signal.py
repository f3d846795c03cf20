"""`connect_mutation`: one announcement per call that changes something (for the audit log),
whatever its outcome, naming the operation and target and never carrying a body."""

import pytest

from dashboard.connect import ConnectTimeout, NotFound, ServerError
from dashboard.connect.models import CredentialDataString, CredentialUpdate, HTTPConnectorCreate
from tests.connect.conftest import CONNECTOR_ID, ORG, connector_body, connector_page
from tests.connect.fault_server import hang, respond

SECRET = "sk_live_PLANTED_SECRET_VALUE"


def test_reads_announce_nothing(server, client, mutations):
    server.then(respond(200, connector_page()), respond(200, connector_body()))

    client.connectors.list()
    client.connectors.get(CONNECTOR_ID)

    assert mutations == []


def test_a_create_announces_the_new_resource_it_learnt_from_the_response(server, client, mutations):
    server.default = respond(201, connector_body(id="01JQ0NEW", name="Stripe"))

    client.connectors.create_http(HTTPConnectorCreate(name="Stripe", base_url="https://x"))

    assert mutations == [
        {
            "operation": "create_http_connector",
            "method": "POST",
            "path": f"o/{ORG}/protocols/http/connectors",
            "target": {"kind": "connector", "id": "01JQ0NEW", "name": "Stripe"},
            "outcome": "ok",
            "status": 201,
            # The id the call was sent with: the audit entry matches the logs and the API's.
            "request_id": server.received[0].headers["X-Request-ID"],
            "changes": [],  # a create changes no existing field
            "environment": "",  # this client serves no named environment
        }
    ]


def test_a_refused_call_announces_the_contracts_error_code(server, client, mutations):
    server.default = respond(404, {"code": "not_found", "message": "No such connector."})

    with pytest.raises(NotFound):
        client.connectors.delete(CONNECTOR_ID, force=True)

    [sent] = mutations
    assert (sent["operation"], sent["outcome"], sent["status"]) == (
        "delete_connector",
        "not_found",
        404,
    )
    assert sent["target"] == {"kind": "connector", "id": CONNECTOR_ID, "name": None}
    assert "?" not in sent["path"]


def test_a_call_that_got_no_answer_announces_a_timeout_without_a_status(
    server, make_client, mutations
):
    client = make_client(timeout=0.3)
    server.default = hang(5)

    with pytest.raises(ConnectTimeout):
        client.versions.publish(CONNECTOR_ID, "1.0")

    [sent] = mutations
    assert (sent["operation"], sent["outcome"], sent["status"]) == (
        "publish_connector",
        "timeout",
        None,
    )
    assert sent["request_id"] == server.received[0].headers["X-Request-ID"]
    assert sent["target"] == {"kind": "version", "id": None, "name": "1.0"}


def test_a_retried_write_is_announced_once(server, client, mutations):
    server.then(respond(503), respond(503), respond(503))

    with pytest.raises(ServerError):
        client.connectors.update_tags(CONNECTOR_ID, {"a": ["b"]})

    assert len(server.received) == 3
    assert [m["outcome"] for m in mutations] == ["http_503"]


def test_a_stale_remote_write_refused_before_sending_is_announced(server, client, mutations):
    from datetime import UTC, datetime

    server.default = respond(200, connector_body(updatedAt="2030-01-01T00:00:00Z"))

    with pytest.raises(Exception, match="changed by someone else"):
        client.connectors.update_tags(
            CONNECTOR_ID, {}, if_unmodified_since=datetime(2025, 1, 1, tzinfo=UTC)
        )

    assert [(m["operation"], m["outcome"], m["status"]) for m in mutations] == [
        ("update_connector_tags", "precondition_failed", 412)
    ]


def test_an_announcement_never_carries_the_secret_being_written(server, client, mutations):
    server.default = respond(
        200, {"id": "01C", "name": "Key", "type": "string", "data": {"value": ""}}
    )

    client.credentials.update(
        CredentialUpdate(
            id="01C", name="Key", type="string", data=CredentialDataString(value=SECRET)
        )
    )

    assert SECRET not in repr(mutations)
    assert mutations[0]["target"] == {"kind": "credential", "id": "01C", "name": "Key"}


def test_an_update_announces_the_fields_it_changed_and_only_names_a_secret(
    make_client, server, mutations
):
    client = make_client(record_changes=True)
    before = {"id": "01C", "name": "Stripe key", "type": "string", "data": {"value": ""}}
    after = {**before, "name": "Stripe live key"}
    server.then(respond(200, before), respond(200, after))

    client.credentials.update(
        CredentialUpdate(
            id="01C",
            name="Stripe live key",
            type="string",
            data=CredentialDataString(value="sk_live_NEW"),
        )
    )

    assert [request.method for request in server.received] == ["GET", "PUT"]
    assert sorted(mutations[0]["changes"], key=lambda change: change["field"]) == [
        {"field": "data.value", "secret": True},
        {"field": "name", "before": "Stripe key", "after": "Stripe live key"},
    ]
    assert "sk_live_NEW" not in str(mutations[0])
