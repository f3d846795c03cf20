"""Fixtures for the demo data: the organisation seeded by `manage.py seed_demo`."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import call_command

from tests.demo.api import DemoApi

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture(autouse=True)
def encryption_key(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def embedded(settings, monkeypatch):
    """Seeding is for the embedded API; the dashboard's catalogue cache starts empty."""
    settings.CONNECT_API_URL = ""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_seed(tmp_path):
    """`run_seed()` runs `manage.py seed_demo` and returns what it printed."""

    def run() -> str:
        out = io.StringIO()
        call_command("seed_demo", env_file=tmp_path / ".env", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def seeded(run_seed) -> str:
    return run_seed()


@pytest.fixture
def demo_api() -> DemoApi:
    """The embedded API as the demo organisation (responses checked against the contract)."""
    return DemoApi()
