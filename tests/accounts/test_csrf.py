"""Every POST needs the CSRF token, plain or htmx; the page hands htmx the token it needs."""

import json

import pytest
from django.test import Client

from tests.html import one, parse, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(ops_user):
    """A logged-in client that, unlike Django's default test client, enforces CSRF checks."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_user)
    return client


def test_a_login_post_without_a_token_is_refused(ops_user, ops_password):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "ops", "password": ops_password})

    assert response.status_code == 403
    assert text(one(parse(response), "h1")) == "Request refused"
    assert "_auth_user_id" not in client.session


def test_a_plain_post_without_a_token_is_refused(strict_client):
    response = strict_client.post("/logout/")

    assert response.status_code == 403
    assert "security token" in text(parse(response).select(".auth-card > p")[0])
    assert strict_client.get("/").status_code == 200  # still logged in


def test_an_htmx_post_without_a_token_is_refused_with_a_readable_sentence(strict_client):
    response = strict_client.post("/logout/", headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Patchbay refused this request")
    assert strict_client.get("/").status_code == 200


def test_an_htmx_post_with_the_token_the_page_gives_htmx_is_accepted(strict_client):
    hx_headers = one(parse(strict_client.get("/")), "body")["hx-headers"]
    token = json.loads(hx_headers)["X-CSRFToken"]

    response = strict_client.post("/logout/", headers={"HX-Request": "true", "X-CSRFToken": token})

    assert response.status_code == 200
    assert strict_client.get("/").status_code == 302
