"""The base layout every page shares: header, navigation, htmx with CSRF, error region."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_names_the_product_organisation_and_embedded_backend(ops_client, settings):
    settings.CONNECT_API_URL = ""
    settings.CONNECT_ORGANISATION_ID = "01JQ0PATCHBAY0DEM0RGAN1SAT"

    html = html_of(ops_client.get("/"))

    assert '<a class="brand" href="/">Patchbay</a>' in html
    assert "<code>01JQ0PATCHBAY0DEM0RGAN1SAT</code>" in html
    assert "<dt>Backend</dt><dd>embedded</dd>" in html


def test_the_header_shows_the_remote_platform_url(ops_client, settings):
    settings.CONNECT_API_URL = "https://connect.example.test/v1"

    html = html_of(ops_client.get("/"))

    assert "<dt>Backend</dt><dd>https://connect.example.test/v1</dd>" in html


def test_the_navigation_marks_the_current_section(ops_client):
    html = html_of(ops_client.get("/"))

    links = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', html)
    assert links == [
        ("/", ' aria-current="page"', "Overview"),
        ("/connectors/", "", "Connectors"),
        ("/library/", "", "Library"),
        ("/credentials/", "", "Credentials"),
        ("/audit/", "", "Audit"),
    ]


def test_the_login_page_shows_no_navigation_or_backend(client):
    html = html_of(client.get("/login/"))

    assert 'aria-label="Main"' not in html
    assert "Backend" not in html


def test_every_page_loads_htmx_and_sends_the_csrf_token_with_htmx_requests(ops_client):
    html = html_of(ops_client.get("/"))

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert '<script src="/static/js/patchbay.js" defer></script>' in html
    token = re.search(r"""<body hx-headers='\{"X-CSRFToken": "([^"]+)"\}'>""", html).group(1)
    assert len(token) == 64


def test_pages_have_no_inline_scripts(ops_client):
    html = html_of(ops_client.get("/"))

    # Data blocks (json_script, type application/json) are never executed: not inline code.
    inline = re.findall(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []
    assert not re.search(r"\son[a-z]+=", html)


def test_the_error_region_and_toast_area_are_on_every_page(ops_client):
    html = html_of(ops_client.get("/"))

    assert '<div id="error-region" class="error-region" role="alert"></div>' in html
    assert '<div id="toasts" class="toasts" role="status">' in html


@pytest.mark.parametrize(
    "path",
    ["/static/vendor/htmx/htmx.min.js", "/static/js/patchbay.js", "/static/css/patchbay.css"],
)
def test_the_front_end_assets_are_served(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_an_unknown_page_is_a_styled_not_found_page(ops_client):
    response = ops_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()
