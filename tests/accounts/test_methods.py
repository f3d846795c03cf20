"""Every dashboard view says which methods it answers: any other gets 405, so a read-only
page never treats a POST, PUT or DELETE as a GET. Walks the URL resolver; the authorisation
matrix (tests/accounts/matrix.py) says which methods each URL answers."""

import pytest
from django.urls import reverse

from dashboard.accounts.roles import ADMIN
from tests.accounts.matrix import RULES
from tests.accounts.test_roles_matrix import dashboard_url_names

OTHER_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ANSWERED: dict[str, set[str]] = {}
for _rule in RULES:
    ANSWERED.setdefault(_rule.url_name, set()).add(_rule.method)
KWARGS = {rule.url_name: rule.kwargs for rule in RULES}
UNANSWERED = [
    (name, method)
    for name in sorted(dashboard_url_names())
    if name in ANSWERED and not name.startswith("admin:")
    for method in OTHER_METHODS
    if method not in ANSWERED[name] and not (method == "GET" and "HEAD" in ANSWERED[name])
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "method"), UNANSWERED, ids=[" ".join(c) for c in UNANSWERED])
def test_a_method_a_page_does_not_answer_is_refused_with_405(
    client, make_user, placeholders, url_name, method
):
    client.force_login(make_user(ADMIN))
    kwargs = {name: value.format(**placeholders) for name, value in KWARGS[url_name].items()}

    response = client.generic(method, reverse(url_name, kwargs=kwargs))

    assert response.status_code == 405, f"{method} {url_name} answered {response.status_code}"
    assert method not in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_the_health_check_answers_only_get(client, method):
    assert client.generic(method, "/healthz").status_code == 405
