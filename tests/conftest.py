"""Fixtures every test can use: the ops user and a client logged in as it."""

import pytest

OPS_PASSWORD = "patch-bay-test-password"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests log in often and gain nothing from it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ops_password() -> str:
    return OPS_PASSWORD


@pytest.fixture
def ops_user(django_user_model):
    """The `ops` user as `make run` creates it (`manage.py ensure_ops_user`)."""
    return django_user_model.objects.create_superuser("ops", email="", password=OPS_PASSWORD)


@pytest.fixture
def ops_client(client, ops_user):
    """Django's test client, logged in as `ops`."""
    client.force_login(ops_user)
    return client
