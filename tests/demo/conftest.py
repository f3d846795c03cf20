"""Fixtures for the demo data: the organisation as `manage.py seed_demo` leaves it.

Seeding takes a few seconds, so `seeded` does it once for the package's tests (tests/demo is a
package for that): committed before them (each runs in a transaction that is rolled back, so
it may change things) and removed after them, before any other directory's tests.
"""

import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import ROLES
from dashboard.embedded_api.models import Connector, ConnectorCount, Credential
from dashboard.environments.models import AddedEnvironment
from tests.demo.api import DemoApi

DEMO_PASSWORD = "demo-password-for-tests"
ENCRYPTION_KEY = Fernet.generate_key().decode()


def seed_demo(env_file: Path) -> str:
    """Run `manage.py seed_demo`; return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", env_file=env_file, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def embedded(settings, monkeypatch):
    """The embedded API with one encryption key, the demo password set, no cached catalogue."""
    settings.EMBEDDED_API_ENCRYPTION_KEY = ENCRYPTION_KEY
    settings.CONNECT_API_URL = ""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The demo data, seeded once for the package; what the seeding printed."""
    env_file = tmp_path_factory.mktemp("demo") / ".env"
    with (
        override_settings(
            EMBEDDED_API_ENCRYPTION_KEY=ENCRYPTION_KEY,
            CONNECT_API_URL="",
            # As tests/conftest.py's fast_password_hashing, which is per test.
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
    ):
        patch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
        try:
            yield seed_demo(env_file)
        finally:
            AuditEntry.objects.all().delete()
            Connector.objects.all().delete()
            Credential.objects.all().delete()
            ConnectorCount.objects.all().delete()
            get_user_model().objects.filter(username__in=list(ROLES)).delete()
            AddedEnvironment.objects.all().delete()


@pytest.fixture
def run_seed(tmp_path):
    """`run_seed()` runs `manage.py seed_demo` again, within the test."""
    return lambda: seed_demo(tmp_path / ".env")


@pytest.fixture
def log_in(seeded, client):
    """`log_in(role)`: the test client as that role's demo user (part of the demo data)."""

    def as_user(role: str):
        client.force_login(get_user_model().objects.get(username=role))
        return client

    return as_user


@pytest.fixture
def demo_api() -> DemoApi:
    """The embedded API as the demo organisation (responses checked against the contract)."""
    return DemoApi()
