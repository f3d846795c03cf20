"""Two environments on the embedded API: the default (production, the test organisation) and
staging (another organisation), configured from settings; users and connectors in each."""

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache

from dashboard.environments.registry import client_for, get_environment
from tests.connectors.conftest import make_connector, make_user  # noqa: F401

STAGING_ORG = "01JQ0PATCHBAYSTAG1NG0RGAN1"


def staging_settings(**overrides) -> dict:
    """One CONNECT_ENVIRONMENTS entry, as settings.py builds it from the variables."""
    return {
        "slug": "staging",
        "api_url": "",
        "api_token": "",
        "organisation_id": STAGING_ORG,
        "name": "Staging",
        "colour": "amber",
    } | overrides


@pytest.fixture(autouse=True)
def environment_settings(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.ENVIRONMENTS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.CONNECT_ENVIRONMENTS = [staging_settings()]
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def production_api(db):
    return client_for(get_environment("production"))


@pytest.fixture
def staging_api(db):
    return client_for(get_environment("staging"))


@pytest.fixture
def both(production_api, staging_api):
    """The same connector name in both, and one connector only staging has."""
    return {
        "production": make_connector(production_api, "Stripe"),
        "staging": make_connector(staging_api, "Stripe"),
        "staging_only": make_connector(staging_api, "Shopify"),
    }
