"""The base layout every page shares: header, navigation, htmx with CSRF, error region."""

import json
import re

import pytest

from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def backend(doc) -> str:
    """What the header's definition list says under Backend."""
    return text(one(doc, "dt:-soup-contains('Backend') + dd"))


def test_the_header_names_the_product_organisation_and_embedded_backend(ops_client, settings):
    settings.CONNECT_API_URL = ""
    settings.CONNECT_ORGANISATION_ID = "01JQ0PATCHBAY0DEM0RGAN1SAT"

    doc = parse(html_of(ops_client.get("/")))

    assert text(one(doc, 'a.brand[href="/"]')) == "Patchbay"
    assert "01JQ0PATCHBAY0DEM0RGAN1SAT" in texts(doc, "code")
    assert backend(doc) == "embedded"


def test_the_header_shows_the_remote_platform_url(ops_client, settings):
    settings.CONNECT_API_URL = "https://connect.example.test/v1"

    doc = parse(html_of(ops_client.get("/")))

    assert backend(doc) == "https://connect.example.test/v1"


def test_the_navigation_marks_the_current_section(ops_client):
    nav = one(parse(html_of(ops_client.get("/"))), 'nav[aria-label="Main"]')

    links = [
        (a["href"], a["data-goto-keys"], a.get("aria-current"), text(a))
        for a in nav.select("li > a")
    ]
    assert links == [
        ("/", "g o", "page", "Overview"),
        ("/connectors/", "g c", None, "Connectors"),
        ("/library/", "g l", None, "Library"),
        ("/credentials/", "g r", None, "Credentials"),
        ("/audit/", "g a", None, "Audit"),
    ]


def test_the_header_shows_the_signed_in_users_role(client, django_user_model):
    from dashboard.accounts.roles import assign_role

    user = django_user_model.objects.create_user("pat", password="x")
    assign_role(user, "publisher")
    client.force_login(user)

    doc = parse(html_of(client.get("/")))

    assert text(one(doc, ".logout-form__user")) == "pat publisher"
    assert text(one(doc, ".role-badge")) == "publisher"


def test_every_page_lists_its_keyboard_shortcuts_in_a_dialog(ops_client):
    dialog = one(parse(html_of(ops_client.get("/"))), "dialog#shortcuts")

    assert text(one(dialog, "#shortcuts-heading")) == "Keyboard shortcuts"
    shortcuts = {text(row.dt): text(row.dd) for row in dialog.select("dl > div")}
    assert shortcuts["g r"] == "Go to Credentials"
    assert shortcuts["j / k"] == "Next / previous row"


def test_the_login_page_shows_no_navigation_or_backend(client):
    doc = parse(html_of(client.get("/login/")))

    assert not doc.select('[aria-label="Main"]')
    assert "Backend" not in text(doc)


def test_every_page_loads_htmx_and_sends_the_csrf_token_with_htmx_requests(ops_client):
    doc = parse(html_of(ops_client.get("/")))

    scripts = {script["src"]: script.has_attr("defer") for script in doc.select("script[src]")}
    scripts_needed = {
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/patchbay.js",
        "/static/js/bulk.js",
        "/static/vendor/tinykeys/tinykeys.umd.js",
        "/static/js/keys.js",
        "/static/js/forms.js",
        "/static/js/json-editor.js",
    }
    assert scripts_needed <= scripts.keys()
    assert all(scripts.values())  # every script deferred
    token = json.loads(one(doc, "body")["hx-headers"])["X-CSRFToken"]
    assert len(token) == 64


def test_pages_have_no_inline_scripts(ops_client):
    html = html_of(ops_client.get("/"))

    scripts = parse(html).select("script")
    assert [script for script in scripts if not script.get("src")] == []
    assert not re.search(r"\son[a-z]+=", html)  # in the raw bytes: no handler anywhere


def test_the_error_region_and_toast_area_are_on_every_page(ops_client):
    doc = parse(html_of(ops_client.get("/")))

    error_region = one(doc, "div#error-region.error-region")
    assert error_region["role"] == "alert" and not error_region.contents
    assert one(doc, "div#toasts.toasts")["role"] == "status"


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/patchbay.js",
        "/static/js/forms.js",
        "/static/js/json-editor.js",
        "/static/css/patchbay.css",
    ],
)
def test_the_front_end_assets_are_served(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_an_unknown_page_is_a_styled_not_found_page(ops_client):
    response = ops_client.get("/no-such-page/")

    assert response.status_code == 404
    message = one(parse(response), ".page-message")
    assert text(one(message, "h1")) == "Not found"
    assert text(message.p) == (
        "There is nothing at this address. It may have been deleted, or the link may be wrong."
    )
