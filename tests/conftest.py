"""Fixtures every test can use: the ops user and a client logged in as it."""

import pytest
from django.conf import settings

OPS_PASSWORD = "patch-bay-test-password"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite's in-memory test database shares one cache between connections, whose locks
    fail at once instead of waiting. There, `BEGIN IMMEDIATE` (settings.py) would fail every
    in-process API call made while a test's own transaction holds the write lock, even one
    that only reads; such tests are written for deferred transactions. A file test database
    (`TEST_DATABASE_NAME`) keeps the settings `make run` uses."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME"):
        database["OPTIONS"].pop("transaction_mode", None)


def _transactional(request) -> bool:
    """Whether the test's database work is committed (a live server or other threads see it)."""
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def embedded_api_in_test_transaction(request, settings, monkeypatch):
    """The dashboard's calls to the embedded API are answered on the test's thread, inside its
    transaction (rolled back after it), so tests need no committed rows and no tables emptied.
    Tests whose database work is committed (`transaction=True`, `live_server`) keep the
    production transport: worker threads with their own connections."""
    if _transactional(request):
        return
    from dashboard.connect import client
    from dashboard.environments import registry

    settings.CONNECT_EMBEDDED_TRANSPORT = "tests.in_process.EmbeddedOnCallingThread"
    # Built on first use, with this transport, and dropped after the test.
    monkeypatch.setattr(client, "_client", None)
    monkeypatch.setattr(registry, "_clients", {})


@pytest.fixture(autouse=True)
def counted_at_once(request, monkeypatch):
    """The overview's snapshot is counted on the request's own thread, so a test sees it at
    once and no thread is left reading the database while the test writes (the shared
    in-memory database then answers "table is locked"). Tests marked `background_count`
    keep the background count, and watch the page poll for it."""
    if request.node.get_closest_marker("background_count") is None:
        from dashboard.overview import estate

        monkeypatch.setattr(estate, "start_refresh", estate.refresh)


@pytest.fixture(autouse=True)
def static_files_found_per_request(settings):
    """WhiteNoise indexes every static file when a handler loads its middleware: once per
    server process, but once per test client here (about 0.1 s, more than most tests take).
    Tests find each file when it is asked for, as development does."""
    settings.WHITENOISE_AUTOREFRESH = True


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
