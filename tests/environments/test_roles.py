"""Roles per environment: a grant sets a user's (or a group's) role in one environment, in
place of their global role; every check (`@require_permission`, `perms` in templates, `can`)
goes through the one authentication backend."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import (
    CHANGE_CONNECTORS,
    MANAGE_ENVIRONMENTS,
    PUBLISH_VERSIONS,
    VIEW_AUDIT_LOG,
)
from dashboard.environments.models import EnvironmentRole
from dashboard.environments.registry import can, get_environment
from tests.html import one, parse, text

pytestmark = pytest.mark.django_db

# (global role, grants {environment: role}) -> may publish in (production, staging)
MATRIX = [
    ("publisher", {}, (True, True)),
    ("publisher", {"production": "viewer"}, (False, True)),
    ("viewer", {"staging": "publisher"}, (False, True)),
    (None, {"staging": "operator"}, (False, False)),
    ("admin", {"production": "operator"}, (False, True)),
]


@pytest.mark.parametrize("role, grants, expected", MATRIX)
def test_the_role_in_each_environment_decides_who_may_publish_there(
    make_user, role, grants, expected
):
    user = make_user(role, "someone")
    for environment, granted in grants.items():
        EnvironmentRole.objects.create(environment=environment, user=user, role=granted)

    found = tuple(
        can(user, get_environment(slug), PUBLISH_VERSIONS) for slug in ("production", "staging")
    )

    assert found == expected


def test_a_groups_grant_applies_to_its_members_and_a_users_own_grant_wins(make_user):
    alice, bob = make_user("publisher", "alice"), make_user("publisher", "bob")
    EnvironmentRole.objects.create(
        environment="production", group=Group.objects.get(name="publisher"), role="viewer"
    )
    EnvironmentRole.objects.create(environment="production", user=bob, role="publisher")
    production = get_environment("production")

    assert not can(alice, production, PUBLISH_VERSIONS)
    assert can(alice, production, VIEW_AUDIT_LOG)
    assert can(bob, production, PUBLISH_VERSIONS)


def test_managing_environments_stays_global(make_user):
    admin = make_user("admin")
    EnvironmentRole.objects.create(environment="production", user=admin, role="viewer")
    production = get_environment("production")

    assert can(admin, production, MANAGE_ENVIRONMENTS)
    assert not can(admin, production, CHANGE_CONNECTORS)


def test_createsuperuser_noinput_has_every_right_everywhere(django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x-long-password-1")
    call_command("createsuperuser", "--noinput", username="root", email="r@x.invalid")
    root = django_user_model.objects.get(username="root")
    EnvironmentRole.objects.create(environment="production", user=root, role="viewer")

    for slug in ("production", "staging"):
        assert can(root, get_environment(slug), PUBLISH_VERSIONS)


def test_publishing_is_refused_in_production_and_allowed_in_staging(
    client, make_user, production_api, staging_api
):
    from tests.connectors.conftest import make_connector

    user = make_user("publisher", "pat")
    EnvironmentRole.objects.create(environment="production", user=user, role="viewer")
    client.force_login(user)
    urls = {}
    for prefix, api in (("", production_api), ("/env/staging", staging_api)):
        connector = make_connector(api, "Stripe")
        api.versions.create(connector.id, "1.0.0")
        urls[prefix] = f"{prefix}/connectors/{connector.id}/versions/1.0.0/publish/"

    refused = client.post(urls[""], {"version": "1.0.0"})
    published = client.post(urls["/env/staging"], {"version": "1.0.0"})

    assert refused.status_code == 403
    assert "Ask an admin for the publisher role" in text(one(parse(refused), ".page-message"))
    assert published.status_code in (200, 302)
    assert staging_api.versions.get(*published_version(staging_api)).published_at is not None
    assert production_api.versions.get(*published_version(production_api)).published_at is None
    assert AuditEntry.objects.get(action="publish_connector").environment == "staging"


def published_version(api) -> tuple[str, str]:
    connector = next(iter(api.connectors.list()))
    return connector.id, "1.0.0"


def test_the_header_shows_the_role_held_in_the_environment_shown(client, make_user):
    user = make_user("publisher", "pat")
    EnvironmentRole.objects.create(environment="production", user=user, role="viewer")
    client.force_login(user)

    assert text(one(parse(client.get("/")), ".role-badge")) == "viewer"
    assert text(one(parse(client.get("/env/staging/")), ".role-badge")) == "publisher"
