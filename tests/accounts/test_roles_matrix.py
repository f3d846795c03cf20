"""Every URL in the authorisation matrix (matrix.py), as every role: allowed or refused."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import ADMIN, ROLES

from .conftest import NO_ROLE
from .matrix import NO_ONE, OPEN_URLS, RULES, SIGNED_IN, Rule

EVERYONE = [*ROLES, NO_ROLE]
EMBEDDED_API_PREFIX = "api/connect/v1/"


def may(role: str, rule: Rule) -> bool:
    """What the matrix says: may `role` use `rule`'s URL?"""
    if rule.admin_site and role != ADMIN:
        return False
    if rule.permission is SIGNED_IN:
        return True
    if rule.permission == NO_ONE or role == NO_ROLE:
        return False
    return rule.permission in ROLES[role]


def send(client: Client, rule: Rule, url: str, **headers):
    return getattr(client, rule.method.lower())(url, rule.data, headers=headers)


def refused(rule: Rule, response) -> bool:
    if response.status_code == 403:
        return True
    # The Django admin sends whoever is not staff to its own login page.
    return (
        rule.admin_site
        and response.status_code == 302
        and response["Location"].startswith("/admin/login/")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("rule", RULES, ids=str)
def test_each_role_is_allowed_or_refused_as_the_matrix_says(client_as, placeholders, rule, role):
    response = send(client_as(role), rule, rule.url(placeholders))
    if may(role, rule):
        assert not refused(rule, response), f"{role} was refused {rule}"
        assert response.status_code < 500
    else:
        assert refused(rule, response), f"{role} was allowed {rule} ({response.status_code})"


HTMX_REFUSALS = [
    (rule, role)
    for rule in RULES
    for role in EVERYONE
    if not rule.admin_site and not may(role, rule)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "role"), HTMX_REFUSALS, ids=lambda value: str(value))
def test_a_refused_htmx_request_gets_a_sentence_for_the_error_region(
    client_as, placeholders, rule, role
):
    response = send(client_as(role), rule, rule.url(placeholders), **{"HX-Request": "true"})
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Your role does not allow this")


def dashboard_url_names() -> set[str]:
    """Names of every URL outside the Django admin and the embedded Connect API."""
    names = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin" and not route.startswith(EMBEDDED_API_PREFIX):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                names.add(pattern.name or f"(unnamed: {route})")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_dashboard_url_is_in_the_matrix():
    listed = {rule.url_name for rule in RULES} | OPEN_URLS
    assert dashboard_url_names() - listed == set(), "add these URLs to tests/accounts/matrix.py"


@pytest.mark.parametrize("rule", [rule for rule in RULES if not rule.admin_site], ids=str)
def test_each_views_require_permission_agrees_with_the_matrix(rule):
    url = reverse(rule.url_name, kwargs={name: "x" for name in rule.kwargs})
    view = resolve(url).func
    permission = getattr(view, "required_permission", None)
    methods = getattr(view, "permission_methods", None)
    checked = permission if methods is None or rule.method in methods else None
    expected = None if rule.permission in (SIGNED_IN, NO_ONE) else rule.permission
    assert checked == expected


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.method != "GET"], ids=str)
def test_every_mutating_url_refuses_a_request_without_the_csrf_token(
    make_user, placeholders, rule, htmx
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(ADMIN))
    headers = {"HX-Request": "true"} if htmx else {}
    response = send(client, rule, rule.url(placeholders), **headers)
    assert response.status_code == 403
    assert "security token" in response.text
    assert AuditEntry.objects.filter(action="publish_connector").count() == 1
