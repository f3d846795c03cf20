"""Each import is one transaction: a failure half-way, after the connector, its configs, the
version, definitions and actions were written, leaves nothing behind.

The failure is real, injected in the database: a trigger that refuses the last rows an
import writes (its triggers, from the document's webhooks)."""

import pytest
from django.db import connection

from dashboard.embedded_api.models import Trigger, Upload
from tests.embedded_api.imports_support import (
    API_ROOT,
    FORMAT,
    document,
    encode,
    imported,
    operation,
    pet_store,
    stored_counts,
    upload,
    upload_version,
)
from tests.in_process import BASE_URL, in_process_client

TABLE = Trigger._meta.db_table


def with_webhook(doc: dict) -> dict:
    doc["openapi"] = "3.1.0"
    doc["webhooks"] = {"petAdopted": {"post": operation(operationId="petAdopted")}}
    return doc


@pytest.fixture
def failing_trigger_inserts():
    """Every INSERT into the triggers table fails, until the test ends."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION inject_failure() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER inject_failure BEFORE INSERT ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION inject_failure()"
            )
        else:
            # RAISE() would read as a constraint violation; a missing table is plainly an error.
            cursor.execute(
                f"CREATE TRIGGER inject_failure BEFORE INSERT ON {TABLE} "
                "BEGIN INSERT INTO injected_failure VALUES (1); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER inject_failure ON {TABLE}")
            cursor.execute("DROP FUNCTION inject_failure()")
        else:
            cursor.execute("DROP TRIGGER inject_failure")


def test_a_connector_import_failing_half_way_stores_nothing(api, failing_trigger_inserts):
    response = upload(api, with_webhook(pet_store()))

    assert response.status_code == 500
    assert stored_counts(api.org) == {
        "connectors": 0,
        "auth scheme configs": 0,
        "versions": 0,
        "definitions": 0,
        "actions": 0,
        "triggers": 0,
    }


def test_a_version_import_failing_half_way_stores_nothing(api, failing_trigger_inserts):
    connector = imported(api, pet_store())["connector"]
    before = stored_counts(api.org)

    response = upload_version(api, connector["id"], with_webhook(pet_store()))

    assert response.status_code == 500
    assert stored_counts(api.org) == before
    after = api.get(f"{api.o}/connectors/{connector['id']}").json()
    assert after["updatedAt"] == connector["updatedAt"]


def test_an_upload_is_not_used_up_by_an_import_failing_half_way(
    api, settings, failing_trigger_inserts
):
    settings.EMBEDDED_API_PUBLIC_URL = BASE_URL + API_ROOT
    urls = api.get(f"{api.o}/protocols/http/upload-url").json()
    with_hook = encode(with_webhook(pet_store()))
    with in_process_client() as storage:
        assert storage.put(urls["uploadUrl"], content=with_hook).status_code == 200

    response = api.post(f"{api.o}/protocols/http/import", json={"schemaURL": urls["url"], **FORMAT})

    assert response.status_code == 500
    assert Upload.objects.filter(uploaded_at__isnull=False).count() == 1


def test_without_the_failure_the_same_document_imports(api):
    body = imported(api, with_webhook(document()))

    assert [t["name"] for t in body["triggers"]] == ["petAdopted"]
