"""Environments and the roles granted in them, changed in the dashboard, are in the audit log:
who, when, which environment, what changed; the API key only as "changed", never its value."""

import pytest
from django.forms.models import model_to_dict

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import ADMIN
from dashboard.environments.models import EnvironmentRole
from tests.html import parse, text

pytestmark = pytest.mark.django_db

KEY = "vk_live_AUDITED_AS_CHANGED_ONLY"
NEW_KEY = "vk_live_ROTATED_NEVER_RECORDED"
FIELDS = {
    "slug": "qa",
    "name": "QA",
    "colour": "green",
    "base_url": "http://127.0.0.1:9/api/connect/v1",
    "organisation_id": "01JQ0PATCHBAYQA0RGAN1SAT00",
    "api_key": KEY,
}


@pytest.fixture
def admin(client, make_user):
    client.force_login(make_user(ADMIN, "ada"))
    return client


def recorded() -> list[tuple[str, str, str, str]]:
    """(user, action, environment, target name) of each entry, oldest first."""
    entries = AuditEntry.objects.order_by("at", "id")
    return [(e.username, e.action, e.environment, e.target_name) for e in entries]


def assert_no_key_recorded() -> None:
    for entry in AuditEntry.objects.all():
        assert KEY not in str(model_to_dict(entry)) and NEW_KEY not in str(model_to_dict(entry))


def test_adding_and_editing_an_environment_records_each_field_and_the_key_as_changed(admin):
    admin.post("/environments/new/", FIELDS)
    admin.post("/environments/qa/edit/", FIELDS | {"name": "QA 2", "api_key": NEW_KEY})
    admin.post("/environments/qa/edit/", FIELDS | {"name": "QA 2", "api_key": ""})

    assert recorded() == [
        ("ada", "add_environment", "qa", "QA"),
        ("ada", "update_environment", "qa", "QA 2"),
        ("ada", "update_environment", "qa", "QA 2"),
    ]
    added, renamed, untouched = AuditEntry.objects.order_by("at", "id")
    assert added.changes == [
        {"field": "slug", "before": "", "after": "qa"},
        {"field": "name", "before": "", "after": "QA"},
        {"field": "colour", "before": "", "after": "green"},
        {"field": "base_url", "before": "", "after": "http://127.0.0.1:9/api/connect/v1"},
        {"field": "organisation_id", "before": "", "after": "01JQ0PATCHBAYQA0RGAN1SAT00"},
        {"field": "api_key", "secret": True},
    ]
    assert renamed.changes == [
        {"field": "name", "before": "QA", "after": "QA 2"},
        {"field": "api_key", "secret": True},
    ]
    assert untouched.changes == []  # the key left empty is kept, so not changed
    assert (added.user.username, added.outcome, added.path) == ("ada", "ok", "/environments/new/")
    assert_no_key_recorded()


def test_grants_and_removals_are_recorded_in_their_environment(admin, make_user):
    pat = make_user("publisher", "pat")
    admin.post("/environments/new/", FIELDS)
    admin.post(
        "/environments/grants/", {"environment": "staging", "user": pat.pk, "role": "viewer"}
    )
    admin.post("/environments/grants/", {"environment": "qa", "user": pat.pk, "role": "operator"})
    staging_grant = EnvironmentRole.objects.get(environment="staging")
    admin.post("/environments/grants/remove/", {"grant": staging_grant.pk})
    admin.post(
        "/environments/qa/delete/", {"confirm": "yes"}
    )  # its grant goes with it, each recorded

    assert recorded()[1:] == [
        ("ada", "grant_environment_role", "staging", "viewer for pat"),
        ("ada", "grant_environment_role", "qa", "operator for pat"),
        ("ada", "revoke_environment_role", "staging", "viewer for pat"),
        ("ada", "revoke_environment_role", "qa", "operator for pat"),
        ("ada", "delete_environment", "qa", "QA"),
    ]
    assert_no_key_recorded()


def test_the_audit_page_shows_them_in_words_with_their_environment(admin, make_user):
    pat = make_user("publisher", "pat")
    admin.post(
        "/environments/grants/", {"environment": "staging", "user": pat.pk, "role": "viewer"}
    )
    admin.post("/environments/new/", FIELDS)
    admin.post("/environments/qa/edit/", FIELDS | {"colour": "red", "api_key": NEW_KEY})

    response = admin.get("/audit/")

    assert KEY not in response.text and NEW_KEY not in response.text
    page = parse(response).select("tbody tr")
    rows = [[text(cell) for cell in row.select("td")[1:4]] for row in page]
    assert [row[:2] for row in rows] == [["QA", "ada"], ["QA", "ada"], ["Staging", "ada"]]
    edited, added, granted = (row[2] for row in rows)
    assert edited.startswith("edited environment QA update_environment")
    changed = {
        text(li.code): [text(node) for node in li.select("del, ins")] or "changed"
        for li in page[0].select(".history__changes li")
    }
    assert changed == {"colour": ["green", "red"], "api_key": "changed"}
    assert added.startswith("added environment QA add_environment")
    assert granted.startswith("granted role viewer for pat grant_environment_role")
