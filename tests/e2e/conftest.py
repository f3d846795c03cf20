"""Browser tests: Playwright driving Debian's Chromium, headless, against `live_server`.

Playwright's own browser downloads are never used. Without Chromium the browser tests are
skipped with the reason shown, except under CI (CI=true), where that is a failure.

Every browser test also checks the audit log (issue 8): each change the test's clicks made
through the Connect API has its audit entry, and no entry holds a planted secret.
"""

import os
import re
import shutil
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from dashboard.accounts.models import AuditEntry
from dashboard.connect import get_client
from tests.connections.browser_support import make_operator
from tests.connections.conftest import MARK

HERE = Path(__file__).parent
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def chromium_path() -> str | None:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


@pytest.hookimpl(tryfirst=True)  # before `-m` selection looks at the markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test, so `page` can keep a screenshot of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process."""
    path = chromium_path()
    if path is None:
        reason = "Chromium not found: install Debian's chromium package to run browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls tests make
    # here are still synchronous, so Django's async-safety guard would refuse them needlessly.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context and page whose relative URLs go to the live server.

    A failing test leaves a screenshot in test-artifacts/. A passing one must leave an audit
    entry for every change its browser requests made (`assert_every_change_audited`).
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    in_flight = track_requests_in_flight(context)
    sent = record_browser_changes(page, live_server.url)
    with recording_api_writes() as writes:
        yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS / f"{name}.png")
    settle(page, in_flight)
    context.close()
    if report is not None and report.passed:
        assert_every_change_audited(sent, writes)


def track_requests_in_flight(context) -> set:
    """The requests the context's pages have sent and not yet seen answered or failed."""
    in_flight: set = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def settle(page, in_flight: set) -> None:
    """Let requests the page still has in flight (lazily loaded cells, polling) finish: one
    answered after the test's database is torn down would fail in the live server's thread.
    (Playwright's "networkidle" would do, but it waits for half a second of quiet.)"""
    # A page that keeps polling may never be quiet; what was in flight has had its time by then.
    deadline = time.monotonic() + 5
    with suppress(PlaywrightError):  # a page the test closed has nothing left to wait for
        page.wait_for_timeout(50)  # events the browser has already sent reach `in_flight`
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)


# --- The audit log records every change the browser makes --------------------------------


@dataclass(frozen=True)
class Sent:
    """A request that could change something: its method, path, status and request id."""

    method: str
    path: str
    status: int
    request_id: str


def record_browser_changes(page, base_url: str) -> list[Sent]:
    """Every non-GET request the page sends to the dashboard, as answered (htmx requests,
    form posts and each response of a redirect chain)."""
    sent: list[Sent] = []

    def keep(response) -> None:
        request = response.request
        if request.method not in ("GET", "HEAD") and request.url.startswith(base_url):
            path = urlsplit(request.url).path
            request_id = response.headers.get("x-request-id", "")
            sent.append(Sent(request.method, path, response.status, request_id))

    page.on("response", keep)
    return sent


@contextmanager
def recording_api_writes():
    """Every non-GET call the embedded Connect API receives meanwhile (from the dashboard or
    the test itself), seen where the API receives it, so the audit log's own hook (the
    service layer's `connect_mutation` signal) is not what decides what counts."""
    writes: list[Sent] = []

    def keep(sender, environ, **kwargs) -> None:
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") and path.startswith("/api/connect/v1/"):
            writes.append(Sent(method, path, 0, environ.get("HTTP_X_REQUEST_ID", "")))

    request_started.connect(keep, dispatch_uid=id(writes))
    try:
        yield writes
    finally:
        request_started.disconnect(dispatch_uid=id(writes))


def assert_every_change_audited(sent: list[Sent], writes: list[Sent]) -> None:
    """Each Connect API write has an audit entry with its request id, method and path; each
    browser request that succeeded and made writes is among them (so its entries name the
    user who clicked); no entry holds a planted secret."""
    entries = list(AuditEntry.objects.all())
    unaudited = [
        write
        for write in writes
        if not any(
            entry.request_id == write.request_id
            and entry.method == write.method
            and write.path.endswith("/" + entry.path.lstrip("/"))
            for entry in entries
        )
    ]
    assert unaudited == [], "Connect API writes without an audit entry"
    by_request = {entry.request_id: entry for entry in entries}
    written = {write.request_id for write in writes}
    anonymous = [
        request
        for request in sent
        if request.status < 400
        and request.request_id in written
        and not by_request[request.request_id].username
    ]
    assert anonymous == [], "browser changes audited without the user who made them"
    assert [entry.pk for entry in entries if MARK in str(entry.__dict__)] == []


def log_in_through_the_form(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def log_in(page):
    """Log `page` in through the login form: `log_in(username, password)`."""
    return lambda username, password: log_in_through_the_form(page, username, password)


def log_in_with_a_session(page, user, base_url: str) -> None:
    """Log `page`'s browser context in as `user` without the login form: a session made here,
    its cookie handed to the browser. The form costs three page loads (the form, its post, the
    overview it lands on); test_login.py and test_overview.py still log in through it."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True}]
    )


@pytest.fixture
def log_in_as(page, live_server):
    """Log `page` in as a user, through a session cookie: `log_in_as(user)`."""
    return lambda user: log_in_with_a_session(page, user, live_server.url)


@pytest.fixture
def logged_in_page(page, log_in_as, ops_user):
    """`page`, logged in as the ops user, on no page yet: each test goes where it tests."""
    log_in_as(ops_user)
    return page


@pytest.fixture
def encryption_key(settings):
    """A fresh key for the embedded API's encrypted credentials (`usefixtures` it)."""
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture
def api(encryption_key):
    """The dashboard's own Connect API client (the embedded API); what the dashboard caches
    (catalogues, the overview's counts) is fetched afresh."""
    cache.clear()
    yield get_client()
    cache.clear()


@pytest.fixture
def operator_page(page, log_in_as):
    """`page`, logged in as a new operator, on no page yet."""
    log_in_as(make_operator())
    return page
