"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request."""

import os
import subprocess
import sys
from datetime import timedelta
from http.cookies import SimpleCookie

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


# --- Read through a shared cache (Redis in production; here a cache of the test process) ---


@pytest.fixture
def session_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-sessions",
        },
    }
    yield
    from django.core.cache import caches

    caches["shared"].clear()


def _session_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "django_session" in q["sql"]]


def test_a_cached_session_is_read_without_a_query(session_cache, ops_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ops_client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = ops_client.get("/connectors/")

    assert response.status_code == 200
    assert _session_queries(captured) == []


def test_a_cached_session_is_still_pushed_forward_and_still_expires(
    session_cache, ops_client, monkeypatch
):
    from dashboard.accounts import sessions

    ops_client.get("/")
    stored = _session(ops_client).expire_date
    later = timezone.now() + timedelta(seconds=120)
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)

    ops_client.get("/")  # the cached copy knows its expiry is two minutes behind

    assert _session(ops_client).expire_date > stored + timedelta(seconds=60)
    gone = later + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1)
    monkeypatch.setattr(sessions.timezone, "now", lambda: gone)
    assert ops_client.get("/").status_code == 302  # idle past the timeout: logged out


def test_logging_out_ends_a_cached_session_everywhere(session_cache, ops_client):
    from django.test import Client

    ops_client.get("/")
    elsewhere = Client()
    # The same session from another browser tab or instance (a copy: logging out clears the
    # cookie in the client that does it only).
    elsewhere.cookies = SimpleCookie(ops_client.cookies.output(header="", sep=";"))
    assert elsewhere.get("/").status_code == 200

    ops_client.post("/logout/")

    assert elsewhere.get("/").status_code == 302


def test_without_a_shared_cache_sessions_are_read_from_the_database():
    read_settings = (
        "from dashboard import settings; print(settings.CACHES['shared']['BACKEND'], "
        "settings.CACHES['shared'] is settings.CACHES['default'])"
    )
    results = []
    for cache_url in ("locmemcache://", "redis://127.0.0.1:6379/0"):
        environment = os.environ | {"CACHE_URL": cache_url, "SECRET_KEY": "test"}
        result = subprocess.run(
            [sys.executable, "-c", read_settings],
            env=environment,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(result.stdout.split())

    assert results == [
        ["django.core.cache.backends.dummy.DummyCache", "False"],
        ["dashboard.redis_cache.RedisCache", "True"],
    ]
