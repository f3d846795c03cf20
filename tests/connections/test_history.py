"""History tabs: a connector's, a version's, a connection's and a credential's audit entries
and those of everything inside them, newest first, in words, with before -> after for plain
fields and only "changed" for secrets; and the audit log's object filter finding the same."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.accounts.models import AuditEntry
from tests.connections.conftest import (
    MARK,
    api_key_config,
    make_connection,
    make_connector,
    secret,
    string_credential,
)
from tests.connectors.test_edit import form_data
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def sentences(html: str) -> list[str]:
    return texts(parse(html), ".history__sentence")


def what_happened(html: str) -> list[str]:
    """The audit log's "What happened" cells, row by row."""
    return [text(row.select("td")[3]) for row in parse(html).select("#audit-results tbody tr")]


@pytest.fixture
def billing(api, operator):
    """A connector made, edited, versioned and published, with a connection whose action
    credential is then rotated, all through the dashboard's own pages (so by `operator`)."""
    connector = make_connector(api, "Billing", configs=[api_key_config()])
    connection = make_connection(
        api,
        connector,
        "Billing EU",
        action=[string_credential(connector.auth_scheme_configs[0], "eu-key")],
    )
    return api.connectors.get(connector.id), connection


def rotate(operator, api, credential_id: str, new_value: str) -> None:
    credential = api.credentials.get(credential_id)
    response = operator.post(
        f"/credentials/{credential_id}/rotate/",
        {
            "name": credential.name,
            "updated_at": credential.updated_at.isoformat(),
            "confirm": "on",
            "data-value": new_value,
            "data-value_again": new_value,
            "expires_at": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302


def test_a_connectors_history_holds_everything_inside_it_newest_first(operator, api, billing):
    connector, connection = billing
    operator.post(f"/connectors/{connector.id}/tags/", {"tags": "team:payments"})
    api.versions.create(connector.id, "2.0.0")
    api.versions.publish(connector.id, "2.0.0")
    rotate(operator, api, connection.credentials.action[0].credential.id, secret("new"))

    html = operator.get(f"/connectors/{connector.id}/history/").content.decode()

    assert sentences(html) == [
        "operator rotated the action credential of connection Billing EU",
        "system published version 2.0.0",
        "system created version 2.0.0",
        "operator changed the tags of connector Billing",
        "system created connection Billing EU",
        "system created connector Billing",
    ]
    assert texts(parse(html), '.tabs [aria-current="page"]') == ["History"]


def test_an_edit_shows_each_changed_field_before_and_after(operator, api, billing):
    connector, _ = billing
    operator.post(f"/connectors/{connector.id}/tags/", {"tags": "team:payments"})
    operator.post(f"/connectors/{connector.id}/tags/", {"tags": "team:billing, tier:gold"})

    html = operator.get(f"/connectors/{connector.id}/history/").content.decode()

    changes = [
        (text(li.code), text(li.find("del")), text(li.ins))
        for li in parse(html).select(".history__changes li")
    ]
    assert changes[:3] == [
        ("tags.team", '["payments"]', '["billing"]'),
        ("tags.tier", "(empty)", '["gold"]'),
        ("tags.team", "(empty)", '["payments"]'),
    ]


def test_a_rotated_secret_shows_only_as_changed_and_is_never_stored(operator, api, billing):
    _, connection = billing
    credential_id = connection.credentials.action[0].credential.id
    new = secret("rotated")

    rotate(operator, api, credential_id, new)

    entry = AuditEntry.objects.get(action="update_credential")
    assert {"field": "data.value", "secret": True} in entry.changes
    assert any(c["field"] == "expiresAt" and c["before"] == "" for c in entry.changes)
    assert MARK not in str(entry.changes) and new not in str(entry.changes)
    html = operator.get(f"/credentials/{credential_id}/history/").content.decode()
    assert "data.value : changed" in texts(parse(html), ".history__changes li")
    assert "operator rotated credential eu-key" in sentences(html)
    assert new not in html


def test_a_versions_history_is_its_own(operator, api, billing):
    connector, _ = billing
    for name in ("1.0.0", "2.0.0"):
        api.versions.create(connector.id, name)
    api.versions.publish(connector.id, "2.0.0")

    html = operator.get(f"/connectors/{connector.id}/versions/2.0.0/history/").content.decode()

    assert sentences(html) == ["system published version 2.0.0", "system created version 2.0.0"]


def test_a_connections_history_holds_its_credentials_rotations(operator, api, billing):
    connector, connection = billing
    rotate(operator, api, connection.credentials.action[0].credential.id, secret("new"))
    other = make_connection(
        api,
        connector,
        "Billing US",
        action=[string_credential(connector.auth_scheme_configs[0], "us-key")],
    )

    html = operator.get(
        f"/connectors/{connector.id}/connections/{connection.id}/history/"
    ).content.decode()

    assert sentences(html) == [
        "operator rotated the action credential of connection Billing EU",
        "system created connection Billing EU",
    ]
    assert other.name not in text(parse(html))


def test_entries_recorded_before_changes_were_kept_still_show(operator, api, billing):
    connector, _ = billing
    AuditEntry.objects.create(
        username="publisher",
        action="upsert_auth_scheme_config",
        method="PUT",
        path=f"o/x/connectors/{connector.id}/auth-scheme-configs/01OLD",
        target_kind="auth_scheme_config",
        target_id="01OLD",
        target_name="Legacy key",
        outcome="ok",
    )

    html = operator.get(f"/connectors/{connector.id}/history/").content.decode()

    assert sentences(html)[0] == "publisher saved auth scheme config Legacy key"


def test_history_is_paginated(operator, api, billing):
    connector, _ = billing
    AuditEntry.objects.bulk_create(
        AuditEntry(
            username="operator",
            action="update_connector_tags",
            method="PUT",
            path=f"o/x/connectors/{connector.id}/tags",
            target_kind="connector",
            target_id=connector.id,
            outcome="ok",
        )
        for _ in range(30)
    )

    first = operator.get(f"/connectors/{connector.id}/history/").content.decode()
    second = operator.get(f"/connectors/{connector.id}/history/?page=2").content.decode()

    assert len(sentences(first)) == 25
    assert text(one(parse(first), ".pager__range")) == "Page 1 of 2"
    assert len(sentences(second)) == 7  # 30, and the connector's and connection's creation


def test_the_audit_logs_object_filter_finds_the_whole_history(operator, api, billing):
    connector, connection = billing
    api.versions.create(connector.id, "2.0.0")
    rotate(operator, api, connection.credentials.action[0].credential.id, secret("new"))
    make_connector(api, "Unrelated")

    history = operator.get(f"/connectors/{connector.id}/history/").content.decode()
    opener = one(parse(history), ".history .section-head a")
    assert text(opener) == "Open in the audit log"
    link = opener["href"]
    audit = operator.get(link).content.decode()

    assert link == f"/audit/?object=connector%3A{connector.id}"
    assert len(what_happened(audit)) == len(sentences(history)) == 4
    assert "Unrelated" not in text(parse(audit))
    assert any(what.startswith("rotated credential eu-key") for what in what_happened(audit))


def test_an_id_typed_in_the_audit_logs_target_filter_finds_whats_inside_it(operator, api, billing):
    connector, _ = billing
    api.versions.create(connector.id, "2.0.0")

    audit = operator.get(f"/audit/?target={connector.id}").content.decode()

    what = what_happened(audit)
    assert any(row.startswith("created version 2.0.0") for row in what)
    assert any(row.startswith("created connection Billing EU") for row in what)


def test_a_malformed_object_filter_is_explained(operator):
    response = operator.get("/audit/?object=spaceship:1")

    [error] = texts(parse(response), ".field__errors li")
    assert "Write connector:<id>" in error


def test_an_entry_keeps_the_name_its_target_had_then(operator, api, billing):
    connector, _ = billing
    form = operator.get(f"/connectors/{connector.id}/edit/").content.decode()
    response = operator.post(
        f"/connectors/{connector.id}/edit/", form_data(form) | {"name": "Billing Europe"}
    )
    assert response.status_code == 302

    html = operator.get(f"/connectors/{connector.id}/history/").content.decode()

    assert sentences(html)[0] == "operator edited connector Billing Europe"
    assert sentences(html)[-1] == "system created connector Billing"
