"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_cookie_lasts_as_long_as_the_idle_timeout(client, ops_user, ops_password):
    response = client.post("/login/", {"username": "ops", "password": ops_password})

    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_IDLE_TIMEOUT


def test_every_request_pushes_the_expiry_forward(ops_client):
    ops_client.get("/")
    Session.objects.filter(pk=_session(ops_client).pk).update(
        expire_date=timezone.now() + timedelta(seconds=5)
    )

    ops_client.get("/")

    remaining = _session(ops_client).expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)


def test_a_session_refreshed_within_the_last_minute_is_not_written_again(ops_client):
    ops_client.get("/")
    expiry = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 30)
    Session.objects.filter(pk=_session(ops_client).pk).update(expire_date=expiry)

    response = ops_client.get("/")

    assert _session(ops_client).expire_date == expiry
    assert "sessionid" not in response.cookies


def test_a_session_refreshed_over_a_minute_ago_is_pushed_forward(ops_client):
    ops_client.get("/")
    expiry = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 90)
    Session.objects.filter(pk=_session(ops_client).pk).update(expire_date=expiry)

    response = ops_client.get("/")

    assert _session(ops_client).expire_date > expiry + timedelta(seconds=60)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_IDLE_TIMEOUT


def test_a_session_idle_past_the_timeout_is_logged_out(ops_client):
    ops_client.get("/")
    Session.objects.filter(pk=_session(ops_client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = ops_client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_idle_timeout_comes_from_the_environment():
    # Importing the settings module alone is enough, and much quicker than django.setup().
    read_settings = (
        "from dashboard import settings; "
        "print(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE)"
    )
    environment = os.environ | {"SESSION_IDLE_TIMEOUT": "123", "SECRET_KEY": "test"}

    result = subprocess.run(
        [sys.executable, "-c", read_settings],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == ["123", "123"]
