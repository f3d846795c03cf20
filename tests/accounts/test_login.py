"""Logging in and out, and every page but login and the health check needing a login."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from dashboard.embedded_api.models import ApiKey
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db

# Sample values for path converters, so every route can be requested.
_SAMPLES = {"int": "1", "uuid": str(uuid.uuid4())}


def _login_required_paths() -> list[str]:
    """Every route in the URLconf whose view does not opt out of LoginRequiredMiddleware.

    Regex routes with groups (a few of Django admin's) are left out: they have no sample value.
    """
    paths = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = _route(pattern.pattern)
            if route is None:
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and getattr(
                pattern.callback, "login_required", True
            ):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return paths


def _needs_login(view) -> bool:
    return getattr(view, "login_required", True)  # login_not_required sets it to False


def _route(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        for name, converter in pattern.converters.items():
            kind = type(converter).__name__.removesuffix("Converter").lower()
            sample = _SAMPLES.get(kind, "sample")
            route = route.replace(f"<{kind}:{name}>", sample).replace(f"<{name}>", sample)
        return route
    regex = str(pattern).removeprefix("^").removesuffix("$").removesuffix("\\Z")
    return None if "(" in regex or "\\" in regex else regex


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(client):
    paths = _login_required_paths()
    assert "/" in paths

    not_redirected = {}
    for path in paths:
        response = client.get(path)
        # Django's admin sends visitors to its own login page, which is fine.
        if response.status_code != 302 or not response["Location"].startswith(
            ("/login/?next=", "/admin/login/?next=")
        ):
            not_redirected[path] = response.status_code
    assert not_redirected == {}


def test_the_login_page_shows_a_labelled_form(client):
    response = client.get("/login/?next=/library/")

    assert response.status_code == 200
    doc = parse(response)
    assert text(one(doc, 'label[for="id_username"]')) == "Username"
    assert one(doc, "#id_username")["name"] == "username"
    assert text(one(doc, 'label[for="id_password"]')) == "Password"
    assert one(doc, "#id_password")["type"] == "password"
    assert field_value(doc, "csrfmiddlewaretoken")
    assert field_value(doc, "next") == "/library/"
    assert text(one(doc, ".auth-card__note")) == "Log in to see that page."


def test_logging_in_lands_on_the_overview(client, ops_user, ops_password):
    response = client.post("/login/", {"username": "ops", "password": ops_password}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert text(one(parse(response), "h1")) == "Overview"
    assert response.context["user"] == ops_user


def test_logging_in_returns_to_the_page_asked_for(client, ops_user, ops_password):
    response = client.post(
        "/login/", {"username": "ops", "password": ops_password, "next": "/library/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/library/"


def test_logging_in_never_redirects_off_site(client, ops_user, ops_password):
    response = client.post(
        "/login/",
        {"username": "ops", "password": ops_password, "next": "https://evil.example/"},
    )

    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_the_username_kept(client, ops_user):
    response = client.post("/login/", {"username": "ops", "password": "not it"})

    assert response.status_code == 200
    doc = parse(response)
    [refusal] = texts(doc, ".form-errors[role=alert] p")
    assert refusal.startswith("Please enter a correct username and password.")
    assert field_value(doc, "username") == "ops"
    assert field_value(doc, "password") == ""
    assert "_auth_user_id" not in client.session


def test_a_logged_in_user_visiting_the_login_page_goes_home(ops_client):
    response = ops_client.get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_out_shows_the_logged_out_page_and_ends_the_session(ops_client):
    response = ops_client.post("/logout/")

    assert response.status_code == 200
    assert text(one(parse(response), "h1")) == "You have logged out"
    assert ops_client.get("/")["Location"] == "/login/?next=/"


def test_logging_out_needs_a_post(ops_client):
    assert ops_client.get("/logout/").status_code == 405
    assert ops_client.get("/").status_code == 200


def test_an_htmx_request_without_a_session_reloads_the_login_page(client):
    response = client.get(
        "/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/library/?q=x"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/library/%3Fq%3Dx"


def test_an_api_call_from_a_signed_in_browser_does_not_load_the_user(ops_client, settings):
    organisation = settings.CONNECT_ORGANISATION_ID
    _, key = ApiKey.mint(organisation, "tests")

    with CaptureQueriesContext(connection) as api_call:
        response = ops_client.get(
            f"/api/connect/v1/o/{organisation}/connectors",
            headers={"Authorization": f"Bearer {key}"},
        )
    with CaptureQueriesContext(connection) as page:
        assert ops_client.get("/connectors/").status_code == 200

    # The API opts out of the login (its key is its credential): the session cookie the
    # browser sends along costs no user lookup.
    assert response.status_code == 200
    assert not [q for q in api_call.captured_queries if "auth_user" in q["sql"]]
    assert [q for q in page.captured_queries if "auth_user" in q["sql"]]
