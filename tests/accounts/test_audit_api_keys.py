"""Changes made straight through the embedded API with an API key are in the same audit log,
with the key's name as the actor; the dashboard's own calls are recorded once, not twice."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard.accounts.models import AuditEntry
from dashboard.connect import get_client
from dashboard.connect.models import HTTPConnectorCreate
from dashboard.embedded_api.models import ApiKey

pytestmark = pytest.mark.django_db

API = "/api/connect/v1"
FORMAT = '{"format": "openapi"}'
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Imported by CI", "version": "2.0.0"},
    "servers": [{"url": "https://ci.example.com"}],
    "paths": {"/things": {"get": {"responses": {"200": {"description": "OK"}}}}},
}


@pytest.fixture
def key_client(client):
    """Django's test client sending a freshly minted API key named "ci deployer"."""
    _, raw = ApiKey.mint(settings.CONNECT_ORGANISATION_ID, "ci deployer")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client.o = f"{API}/o/{settings.CONNECT_ORGANISATION_ID}"
    return client


def send_json(client, method: str, path: str, body: dict, **headers):
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_connector_created_edited_and_published_with_an_api_key_is_in_the_audit_log(
    key_client,
):
    o = key_client.o
    made = key_client.post(
        f"{o}/protocols/http/import",
        {
            "file": SimpleUploadedFile("spec.json", json.dumps(DOCUMENT).encode()),
            "metadata": FORMAT,
        },
        headers={"X-Request-ID": "req-ci-1"},
    )
    assert made.status_code == 201, made.content
    connector = made.json()["connector"]
    edited = dict(connector, name="Renamed by CI")
    assert (
        send_json(key_client, "put", f"{o}/connectors/{connector['id']}", edited).status_code == 200
    )
    published = key_client.post(f"{o}/connectors/{connector['id']}/versions/2.0.0/publish")
    assert published.status_code == 200, published.content

    entries = list(AuditEntry.objects.order_by("at", "id"))
    assert [(e.username, e.method, e.outcome, e.status) for e in entries] == [
        ("API key: ci deployer", "POST", "ok", 201),
        ("API key: ci deployer", "PUT", "ok", 200),
        ("API key: ci deployer", "POST", "ok", 200),
    ]
    assert [(e.target_kind, e.target_id) for e in entries] == [
        ("connector", connector["id"]),
        ("connector", connector["id"]),
        ("version", "2.0.0"),
    ]
    assert entries[0].target_name == "Imported by CI"
    assert entries[0].request_id == "req-ci-1"
    assert all(e.user_id is None for e in entries)


def test_a_refused_call_with_an_api_key_is_recorded_with_its_error_code(key_client):
    response = send_json(
        key_client, "post", f"{key_client.o}/protocols/http/connectors", {"name": "No URL"}
    )

    assert response.status_code == 400
    entry = AuditEntry.objects.get()
    assert (entry.username, entry.outcome, entry.status) == (
        "API key: ci deployer",
        "bad_request",
        400,
    )


def test_reading_with_an_api_key_records_nothing(key_client):
    assert key_client.get(f"{key_client.o}/connectors").status_code == 200

    assert not AuditEntry.objects.exists()


def test_the_dashboards_own_call_through_the_api_is_recorded_once_for_its_user():
    get_client().connectors.create_http(
        HTTPConnectorCreate(name="From the dashboard", base_url="https://d.example.com")
    )

    entry = AuditEntry.objects.get()  # the client's entry; the API announced nothing
    assert entry.action == "create_http_connector"
    assert entry.username == ""  # no signed-in user here: the system


def test_a_deletion_with_an_api_key_names_what_it_deleted(key_client):
    made = get_client().connectors.create_http(
        HTTPConnectorCreate(name="Old sync", base_url="https://d.example.com")
    )

    assert key_client.delete(f"{key_client.o}/connectors/{made.id}").status_code == 204
    assert key_client.delete(f"{key_client.o}/connectors/{made.id}").status_code == 404

    deleted, again = AuditEntry.objects.filter(method="DELETE").order_by("at", "id")
    assert (deleted.outcome, deleted.target_id, deleted.target_name) == ("ok", made.id, "Old sync")
    assert (again.outcome, again.target_name) == ("not_found", "")  # gone: its id alone
