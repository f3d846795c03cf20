"""Everything the demo data makes the API say keeps to the contract, shows no secret, and
could have been made through the API (published versions are publishable)."""

import pytest

from dashboard.demo import catalogue
from dashboard.embedded_api import crypto
from dashboard.embedded_api.connections.credential_data import SECRET_FIELDS
from dashboard.embedded_api.models import Credential

pytestmark = pytest.mark.django_db


def test_every_demo_response_keeps_to_the_contract(seeded, demo_api):
    api = demo_api
    connectors = api.all("connectors", "connectors")
    assert len(connectors) == 45
    api.all("/connectors", "connectors")
    api.get("/categories")
    versions_seen = 0
    for connector in connectors:
        path = f"connectors/{connector['id']}"
        api.get(path)
        for connection in api.all(f"{path}/connections", "items"):
            api.get(f"{path}/connections/{connection['id']}")
        for version in api.all(f"{path}/versions", "items"):
            versions_seen += 1
            at = f"{path}/versions/{version['name']}"
            endpoints = api.all(f"{at}/actions", "actions") + api.all(f"{at}/triggers", "triggers")
            api.all(f"{at}/definitions", "definitions")
            if version["publishedAt"]:
                # The API would have refused to publish a version with errors.
                assert [e["errors"] for e in endpoints if e["errors"]] == []
    for credential in api.all("credentials", "credentials"):
        api.get(f"credentials/{credential['id']}")
    # Each connector's planned versions, one imported from the library, none for BigQuery.
    planned = sum(len(catalogue.PLANS[item.plan]) for item in catalogue.CONNECTORS)
    assert versions_seen == planned + 1 == 90


def test_no_secret_reaches_a_response(seeded, demo_api):
    api = demo_api
    for credential in api.all("credentials", "credentials"):
        api.get(f"credentials/{credential['id']}")
    for connector in api.all("connectors", "connectors"):
        api.get(f"connectors/{connector['id']}")
    secrets = []
    for credential in Credential.objects.all():
        stored = crypto.decrypt(credential.secret_data)
        assert set(stored) == SECRET_FIELDS[credential.type]
        assert not set(credential.public_data) & SECRET_FIELDS[credential.type]
        secrets += [value for value in stored.values() if value]
    assert len(secrets) > 50
    text = "\n".join(api.texts)
    assert [secret for secret in secrets if secret in text] == []
    assert "PRIVATE KEY" not in text
