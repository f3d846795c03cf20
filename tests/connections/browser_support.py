"""Helpers for the browser tests of the auth scheme, connection and credential pages
(tests/e2e/test_connections.py, test_credentials.py, test_oauth.py)."""

from django.contrib.auth import get_user_model
from playwright.sync_api import Error as PlaywrightError

from dashboard.accounts.roles import assign_role
from tests.connections.conftest import MARK, PASSWORD


def make_operator(username: str = "olivia"):
    """A new user with the operator role (the browser tests log `page` in as them)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    assign_role(user, "operator")
    return user


def record_sources(page) -> list[str]:
    """Every HTML or text body the browser receives from now on (pages, htmx fragments,
    redirects' targets): the page source in all its versions."""
    sources: list[str] = []

    def keep(response) -> None:
        kind = response.headers.get("content-type", "")
        if kind.startswith(("text/html", "text/plain")) and not 300 <= response.status < 400:
            try:
                sources.append(response.text())
            except PlaywrightError:  # a response the browser dropped has no body
                return

    page.on("response", keep)
    return sources


def leaked(sources: list[str], *planted: str) -> list[str]:
    """The bodies that carry a planted secret (or the marker every planted secret has)."""
    values = [*planted, MARK]
    return [source[:200] for source in sources if any(value in source for value in values)]
