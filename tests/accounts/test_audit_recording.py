"""The audit log records every Connect API mutation, for the user who made it, and nothing
secret."""

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from ulid import ULID

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import ADMIN, OPERATOR
from dashboard.connect.signals import connect_mutation
from tests.html import parse, text, texts

SECRET = "sk_live_PLANTED_SECRET_0123456789"


def send(**overrides) -> None:
    kwargs = {
        "operation": "publish_connector",
        "method": "PUT",
        "path": "o/ORG/connectors/01JQ0CONNECTOR000000000001/versions/1.0.0/publish",
        "target": {"kind": "version", "id": "1.0.0", "name": "Stripe 1.0.0"},
        "outcome": "ok",
        "status": 200,
    } | overrides
    connect_mutation.send(sender=None, **kwargs)


def stored_text(entry: AuditEntry) -> str:
    return " ".join(str(value) for value in model_to_dict(entry).values())


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_mutation_during_a_request_is_recorded_for_the_signed_in_user_and_request(
    client_as,
):
    client = client_as(OPERATOR)
    response = client.post(
        "/test/send-mutation",
        {
            "operation": "update_connector",
            "path": "o/ORG/connectors/01JQ0CONNECTOR000000000001",
            "id": "01JQ0CONNECTOR000000000001",
            "name": "Stripe",
            "outcome": "ok",
            "status": "200",
        },
        headers={"X-Request-ID": "req-audit-1"},
    )
    assert response.status_code == 200

    entry = AuditEntry.objects.get()
    assert entry.user.username == OPERATOR
    assert entry.username == OPERATOR
    assert entry.action == "update_connector"
    assert entry.method == "POST"
    assert (entry.target_kind, entry.target_id, entry.target_name) == (
        "connector",
        "01JQ0CONNECTOR000000000001",
        "Stripe",
    )
    assert (entry.outcome, entry.status) == ("ok", 200)
    assert entry.request_id == "req-audit-1"


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_failed_mutation_is_recorded_with_its_error_code(client_as):
    client_as(OPERATOR).post(
        "/test/send-mutation",
        {
            "operation": "delete_connector",
            "path": "o/ORG/connectors/X",
            "id": "X",
            "name": "",
            "outcome": "conflict",
            "status": "409",
        },
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.status) == ("delete_connector", "conflict", 409)


@pytest.mark.django_db
def test_a_mutation_outside_any_request_is_recorded_as_the_system():
    send()
    entry = AuditEntry.objects.get()
    assert entry.user is None
    assert entry.username == ""
    assert entry.request_id == ""
    assert str(entry).endswith("system publish_connector")


@pytest.mark.django_db
def test_a_transport_failure_is_recorded_without_a_status():
    send(outcome="timeout", status=None)
    assert AuditEntry.objects.values_list("outcome", "status").get() == ("timeout", None)


@pytest.mark.django_db
def test_only_the_named_fields_are_kept_so_a_secret_sent_along_is_not_stored():
    send(
        path=f"o/ORG/connections/01JQ0C/credentials?token={SECRET}",
        target={"kind": "credential", "id": "01JQ0CRED", "name": "Stripe key", "data": SECRET},
        body={"apiKey": SECRET},
        headers={"Authorization": f"Bearer {SECRET}"},
    )
    entry = AuditEntry.objects.get()
    assert entry.path == "o/ORG/connections/01JQ0C/credentials"
    assert SECRET not in stored_text(entry)
    assert "PLANTED" not in stored_text(entry)


@pytest.mark.django_db
def test_overlong_values_are_cut_to_fit_rather_than_refused():
    send(target={"kind": "connector", "id": "1" * 300, "name": "n" * 1000}, operation="o" * 300)
    entry = AuditEntry.objects.get()
    assert len(entry.target_name) == 200
    assert len(entry.target_id) == 100
    assert len(entry.action) == 100


@pytest.mark.django_db
def test_an_entry_cannot_be_changed_or_deleted():
    send()
    entry = AuditEntry.objects.get()
    entry.outcome = "forged"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    assert AuditEntry.objects.get().outcome == "ok"


@pytest.mark.django_db
def test_the_django_admin_shows_entries_but_offers_no_way_to_change_them(client, make_user):
    send()
    entry = AuditEntry.objects.get()
    admin = make_user(ADMIN)
    admin.is_superuser = True  # even a superuser
    admin.save()
    client.force_login(admin)

    listing = client.get("/admin/accounts/auditentry/")
    assert listing.status_code == 200
    doc = parse(listing)
    assert any("publish_connector" in cell for cell in texts(doc, "#result_list tbody tr > *"))
    assert doc.select('option[value="delete_selected"]') == []
    assert "delete_selected" not in text(doc)
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert client.get(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    change = client.post(f"/admin/accounts/auditentry/{entry.pk}/change/", {"outcome": "forged"})
    assert change.status_code == 403
    assert AuditEntry.objects.get().outcome == "ok"


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_mutation_made_through_the_service_layer_client_is_recorded(client_as, settings):
    connector_id = str(ULID())
    response = client_as(OPERATOR).post(
        f"/test/delete-connector/{connector_id}", headers={"X-Request-ID": "req-client-1"}
    )
    assert response.status_code == 400  # no such connector: a failed mutation is recorded too

    entry = AuditEntry.objects.get()
    assert (entry.username, entry.action, entry.method) == (OPERATOR, "delete_connector", "DELETE")
    assert entry.target_id == connector_id
    assert (entry.outcome, entry.status) == ("not_found", 404)
    assert entry.request_id == "req-client-1"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [204, 404])
def test_a_client_call_outside_a_request_records_the_request_id_it_was_sent_with(status):
    """Management commands and other callers outside a request still get an id per call:
    the entry holds that one, so it matches the logs and the Connect API's."""
    from tests.connect.fault_server import FaultServer, respond
    from tests.connectors.conftest import remote_client

    with FaultServer() as server:
        server.then(respond(status, None if status == 204 else {"code": "x", "message": "No."}))
        client = remote_client(server.url + "/api/connect/v1")
        try:
            client.connectors.delete(str(ULID()))
        except Exception:  # noqa: S110 (a failed call is recorded too)
            pass
        finally:
            client.close()

    [received] = server.received
    entry = AuditEntry.objects.get()
    assert entry.request_id == received.headers["X-Request-ID"] != ""
    assert entry.username == ""
