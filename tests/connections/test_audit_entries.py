"""What audit entries say about their target: a deletion names what it deleted (done or
refused), a refused edit names what it tried to edit, a skip is not a failure, and an edit's
changes list only what changed, masking only secrets."""

import pytest

from dashboard.accounts.audit_words import describe
from dashboard.accounts.models import AuditEntry
from dashboard.connect import APIError
from dashboard.connect.models import ConnectionUpdate, ConnectionVariable
from dashboard.embedded_api.models import ConnectorVersion, Subscription
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    string_credential,
)
from tests.connections.test_connection_edit import form_data, url
from tests.html import parse, text, texts

pytestmark = pytest.mark.django_db


def what_happened(response) -> list[str]:
    """The audit log's "What happened" cells, without the operation's code."""
    cells = [row.select("td")[3] for row in parse(response).select("#audit-results tbody tr")]
    for cell in cells:
        cell.code.decompose()
    return [text(cell) for cell in cells]


def test_a_deleted_connector_is_named_whether_the_deletion_was_refused_or_done(operator, api):
    connector = make_connector(api, "Ledger sync")
    version = ConnectorVersion.objects.create(connector_id=connector.id, name="1.0")
    subscription = Subscription.objects.create(version=version, subscriber="s", reference="b")
    with pytest.raises(APIError):
        api.connectors.delete(connector.id)
    subscription.delete()
    api.connectors.delete(connector.id)

    entries = AuditEntry.objects.filter(action="delete_connector").order_by("at")

    assert [(e.outcome, e.target_id, e.target_name) for e in entries] == [
        ("connector_in_use", connector.id, "Ledger sync"),
        ("ok", connector.id, "Ledger sync"),
    ]
    assert what_happened(operator.get("/audit/?action=delete_connector")) == [
        "deleted connector Ledger sync",
        "failed to delete connector Ledger sync (connector_in_use)",
    ]


def test_deleted_connections_credentials_and_auth_scheme_configs_are_named(api):
    connector = make_connector(api, "Billing", configs=[api_key_config(description="Live key")])
    config = connector.auth_scheme_configs[0]
    connection = make_connection(
        api, connector, "Billing EU", action=[string_credential(config, "eu-key")]
    )
    credential_id = connection.credentials.action[0].credential.id

    api.credentials.delete(credential_id, force=True)
    api.connections.delete(connector.id, connection.id)
    api.auth_scheme_configs.delete(connector.id, config.id)

    named = AuditEntry.objects.filter(action__startswith="delete").values_list(
        "action", "target_name"
    )
    assert sorted(named) == [
        ("delete_auth_scheme_config", "Live key"),
        ("delete_connection", "Billing EU"),
        ("delete_credential", "eu-key"),
    ]


def test_a_refused_rename_names_the_connection_edited_not_the_name_it_wanted(api):
    connector = make_connector(api, "Billing")
    make_connection(api, connector, "Production")
    test3 = make_connection(api, connector, "review-ops-test3")

    with pytest.raises(APIError):
        api.connections.update(connector.id, ConnectionUpdate(id=test3.id, name="Production"))

    entry = AuditEntry.objects.get(action="update_connection")
    assert (entry.outcome, entry.target_id, entry.target_name) == (
        "conflict",
        test3.id,
        "review-ops-test3",
    )
    assert describe(entry) == "failed to edit connection review-ops-test3 (conflict)"


def test_an_edit_lists_only_real_changes_and_shows_a_plain_variable(api):
    connector = make_connector(api, "Billing")
    config = connector.auth_scheme_configs[0]
    connection = make_connection(
        api,
        connector,
        "Billing EU",
        action=[string_credential(config, "eu-key")],
        variables=[ConnectionVariable(name="region", value="us")],
    )
    # What the edit form sends: the credential links as they are, the variable changed.
    links = {"action": [{"id": c.id, "auth_scheme_config": c.auth_scheme_config}
                        for c in connection.credentials.action]}  # fmt: skip

    api.connections.update(
        connector.id,
        ConnectionUpdate(
            id=connection.id,
            name="Billing EU",
            credentials=links,
            variables=[ConnectionVariable(name="region", value="eu")],
        ),
    )

    entry = AuditEntry.objects.get(action="update_connection")
    assert entry.changes == [
        {
            "field": "variables",
            "before": '[{"name": "region", "value": "us"}]',
            "after": '[{"name": "region", "value": "eu"}]',
        }
    ]


@pytest.mark.parametrize(
    ("action", "kind", "name", "said"),
    [
        ("update_credential", "credential", "Ledgerly", "did not rotate credential Ledgerly"),
        ("promote", "promotion", "Trigger “paid”", "did not promote Trigger “paid”"),
    ],
)
def test_a_skip_reads_as_skipped_and_is_not_a_failure(operator, action, kind, name, said):
    AuditEntry.objects.create(
        action=action, target_kind=kind, target_id="k", target_name=name, outcome="skipped"
    )

    assert what_happened(operator.get("/audit/")) == [f"{said} (skipped)"]
    assert what_happened(operator.get("/audit/?outcome=failed")) == []
    assert what_happened(operator.get("/audit/?outcome=skipped")) == [f"{said} (skipped)"]


def test_a_promoted_step_reads_naturally():
    entry = AuditEntry(action="promote", target_kind="promotion", target_name="Version 2.0.0")
    entry.outcome = "ok"
    assert describe(entry) == "promoted Version 2.0.0"


def test_the_edit_forms_save_records_only_the_changed_variable(operator, api):
    connector = make_connector(api, "Billing")
    config = connector.auth_scheme_configs[0]
    connection = make_connection(
        api,
        connector,
        "review-ops-test3",
        action=[string_credential(config, "eu-key")],
        variables=[ConnectionVariable(name="region", value="us")],
    )
    make_connection(api, connector, "Production")
    page = url(connector, connection)
    data = form_data(operator.get(page).text)

    refused = operator.post(page, data | {"name": "Production", "variables-0-value": "eu"})
    saved = operator.post(page, data | {"variables-0-value": "eu"})

    assert (refused.status_code, saved.status_code) == (422, 302)
    history = operator.get(f"/connectors/{connector.id}/connections/{connection.id}/history/")
    assert texts(parse(history), ".history__sentence")[:2] == [
        "operator edited connection review-ops-test3",
        "operator failed to edit connection review-ops-test3 (conflict)",
    ]
    changes = [
        (text(li.code), text(li.find("del")), text(li.ins))
        for li in parse(history).select(".history__changes li")
    ]
    assert changes == [  # the credential links sent as they were are no change
        ("variables", '[{"name": "region", "value": "us"}]', '[{"name": "region", "value": "eu"}]')
    ]
