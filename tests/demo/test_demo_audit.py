"""The demo's audit history (`manage.py seed_demo`): changes that agree with the demo data,
each made by a demo user whose role allows it."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import (
    CHANGE_CONNECTORS,
    IMPORT_SPECS,
    MANAGE_VERSIONS,
    PUBLISH_VERSIONS,
    ROLES,
    ROTATE_CREDENTIALS,
)
from dashboard.connect import get_client
from dashboard.demo.audit import WINDOW
from tests.html import one, parse, text

pytestmark = pytest.mark.django_db

# The permission each recorded operation needs (the views' require_permission).
NEEDS = {
    "create_http_connector": CHANGE_CONNECTORS,
    "update_connector": CHANGE_CONNECTORS,
    "import_http_connector_version": IMPORT_SPECS,
    "import_public_connector_version": MANAGE_VERSIONS,
    "publish_connector": PUBLISH_VERSIONS,
    "unpublish_connector": PUBLISH_VERSIONS,
    "update_credential": ROTATE_CREDENTIALS,
}


def test_the_history_names_real_connectors_versions_and_credentials_at_their_own_times(seeded):
    entries = list(AuditEntry.objects.order_by("at"))
    client = get_client()
    connectors = {c.id: c for c in client.connectors.list(first=100).iter_all()}
    targets = {
        "connector": connectors,
        "version": {v.id: v for c in connectors.values() for v in c.versions},
        "credential": {c.id: c for c in client.credentials.list(first=100).iter_all()},
    }

    assert f"Audit log: {len(entries)} entries" in seeded
    for entry in entries:
        target = targets[entry.target_kind][entry.target_id]
        assert target.name == entry.target_name
        if entry.action == "publish_connector":
            assert entry.at == target.published_at
        if entry.action == "update_credential":
            assert entry.at == target.updated_at and not target.errors
        assert entry.path.startswith(f"o/{client.organisation_id}/")
    newest, oldest = entries[-1].at, entries[0].at
    assert newest - oldest <= WINDOW
    actions = Counter(entry.action for entry in entries)
    assert actions["create_http_connector"] >= 3
    assert actions["publish_connector"] >= 3
    assert actions["import_http_connector_version"] >= 3
    assert actions["import_public_connector_version"] == 1  # the library's Geocodr
    assert actions["update_credential"] == 3  # the demo's rotated credentials


def test_each_change_is_made_by_a_least_privileged_demo_user_who_may_make_it(seeded):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}

    for entry in AuditEntry.objects.all():
        user = users[entry.username]
        assert entry.user_id == user.pk
        assert user.has_perm(NEEDS[entry.action]), entry.action
        assert entry.username != "admin"


def test_it_shows_failures_too(seeded):
    failed = AuditEntry.objects.exclude(outcome="ok")

    assert sorted(failed.values_list("action", "outcome", "status")) == [
        ("unpublish_connector", "version_in_use", 409),
        ("update_connector", "precondition_failed", 412),
    ]


def test_seeding_again_adds_no_entries(seeded, run_seed, log_in):
    count = AuditEntry.objects.count()

    assert "Audit log" not in run_seed()
    assert AuditEntry.objects.count() == count
    audit = parse(log_in("viewer").get("/audit/"))
    assert text(one(audit, "#audit-count")) == f"{count} entries"
