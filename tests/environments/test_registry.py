"""The registry: the default environment from today's settings, more from settings or added by
an admin (API key encrypted at rest), one client each."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from dashboard.connect import get_client
from dashboard.environments import registry
from dashboard.environments.models import AddedEnvironment
from dashboard.environments.registry import (
    UnknownEnvironment,
    all_environments,
    client_for,
    get_environment,
)
from dashboard.environments.secrets import encrypt
from tests.environments.conftest import STAGING_ORG, staging_settings
from tests.html import parse, text

pytestmark = pytest.mark.django_db

SECRET_KEY_VALUE = "pk_live_ENVIRONMENT_KEY_NEVER_SHOWN"


def test_the_default_environment_is_todays_settings_unchanged(settings):
    default = get_environment("production")

    assert default.is_default and default.url_prefix == ""
    assert default.organisation_id == settings.CONNECT_ORGANISATION_ID
    assert default.backend == "embedded"
    assert client_for(default) is get_client()  # outside a request: the default's client


def test_more_environments_come_from_settings_in_order(settings):
    settings.CONNECT_ENVIRONMENTS = [
        staging_settings(),
        staging_settings(slug="eu", api_url="http://127.0.0.1:9/api/connect/v1", name=""),
    ]

    found = all_environments()

    assert [e.slug for e in found] == ["production", "staging", "eu"]
    eu = found[2]
    assert eu.name == "Eu" and eu.colour == "amber" and eu.backend.startswith("http://127.0.0.1")
    assert get_environment("staging").organisation_id == STAGING_ORG


@pytest.mark.parametrize(
    "entry, problem",
    [
        (staging_settings(slug="Not A Slug"), "lower-case"),
        (staging_settings(colour="pink"), "colour"),
        (staging_settings(organisation_id=""), "CONNECT_STAGING_ORGANISATION_ID"),
        (staging_settings(slug="production"), "repeat"),
    ],
)
def test_a_bad_environment_in_settings_fails_loudly(settings, entry, problem):
    settings.CONNECT_ENVIRONMENTS = [entry]

    with pytest.raises(ImproperlyConfigured, match=problem):
        all_environments()


def test_an_added_environment_keeps_its_api_key_encrypted_in_the_database():
    AddedEnvironment.objects.create(
        slug="qa",
        name="QA",
        colour="green",
        base_url="http://127.0.0.1:9/api/connect/v1",
        organisation_id="ORG-QA",
        encrypted_api_key=encrypt(SECRET_KEY_VALUE),
    )

    qa = get_environment("qa")

    assert qa.added and qa.api_key == SECRET_KEY_VALUE
    assert SECRET_KEY_VALUE not in repr(qa)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM environments_addedenvironment")
        stored = repr(cursor.fetchall())
    assert "ORG-QA" in stored and SECRET_KEY_VALUE not in stored
    assert [e.slug for e in all_environments()] == ["production", "staging", "qa"]


def test_an_unknown_slug_raises():
    with pytest.raises(UnknownEnvironment):
        get_environment("nowhere")


def test_each_environment_has_one_client_of_its_own(staging_api):
    staging = get_environment("staging")

    assert client_for(staging) is staging_api
    assert staging_api is not get_client()
    assert staging_api.organisation_id == STAGING_ORG and staging_api.environment == "staging"


def test_an_environment_edited_in_the_dashboard_gets_a_new_client():
    row = AddedEnvironment.objects.create(slug="qa", name="QA", organisation_id="ORG-1")
    before = client_for(get_environment("qa"))
    row.organisation_id = "ORG-2"
    row.save()

    after = client_for(get_environment("qa"))

    assert after is not before and after.organisation_id == "ORG-2"


def test_activated_sets_the_current_environment_and_its_client(staging_api):
    staging = get_environment("staging")

    with registry.activated(staging):
        assert registry.current_environment() == staging
        assert get_client() is staging_api
    assert registry.current_environment().slug == "production"


def test_a_key_no_configured_key_opens_leaves_the_pages_working(settings, client, ops_user):
    from cryptography.fernet import Fernet

    AddedEnvironment.objects.create(
        slug="qa", name="QA", organisation_id="ORG-QA", encrypted_api_key=encrypt(SECRET_KEY_VALUE)
    )
    settings.ENVIRONMENTS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    client.force_login(ops_user)

    assert get_environment("qa").key_unreadable
    assert client.get("/connectors/").status_code == 200
    rows = parse(client.get("/environments/")).select("tbody tr")
    [qa] = [row for row in rows if text(row.code) == "qa"]
    assert text(qa.select("td")[4]) == "unreadable: enter it again"
