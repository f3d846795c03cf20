"""Every URL and name field of the dashboard's forms, with valid and invalid input: URLs are
absolute https:// or http:// (image URLs https:// only) and names follow the Connect API's
patterns, checked before anything is sent (issue 16)."""

import pytest

from dashboard.connections.auth_scheme_forms import APIKeyForm, HMACForm, OAuth2Form
from dashboard.connections.credential_forms import OAuth2ClientDataForm
from dashboard.connectors.forms import ConnectorCreateForm, ConnectorEditForm, VariableForm
from dashboard.imports.forms import SpecUploadForm, VersionUploadForm
from dashboard.validators import IMAGE_URL_MESSAGE, URL_MESSAGE
from dashboard.versions.forms import DefinitionForm, EndpointForm, ParameterForm, VersionCreateForm

URL_FIELDS = [
    (lambda data: ConnectorCreateForm(data, categories=[]), "base_url"),
    (ConnectorEditForm, "base_url"),
    (ConnectorEditForm, "documentation_url"),
    (OAuth2Form, "authorize_url"),
    (OAuth2Form, "token_url"),
    (OAuth2ClientDataForm, "authorize_url"),
    (OAuth2ClientDataForm, "token_url"),
    (SpecUploadForm, "url"),
]
GOOD_URLS = ["https://api.example.com/v1", "http://localhost:8080/x?y=1", "HTTPS://EXAMPLE.COM"]
BAD_URLS = [
    "not a url",
    "javascript:alert(1)",
    "/relative/path",
    "api.example.com",
    "ftp://files.example.com/a",
    "https://",
    "https://exa mple.com",
]

NAME_FIELDS = [
    (lambda data: ConnectorCreateForm(data, categories=[]), "auth_key_name", "X-API-Key"),
    (APIKeyForm, "name", "X-API-Key"),
    (HMACForm, "name", "X-Signature"),
    (VariableForm, "name", "tenant_id"),
    (lambda data: ParameterForm(data, kind="action"), "name", "filter[name]"),
    (lambda data: EndpointForm(data, kind="action"), "name", "list$Orders"),
    (lambda data: DefinitionForm(data, json_schema=True), "name", "Order-item"),
    (lambda data: VersionCreateForm(data, versions=[]), "name", "1.2.0-rc.1+b7"),
    (VersionUploadForm, "version", "2026.01"),
]
BAD_NAMES = ["bad name!", "two words", "naïve/ünïcode", "a\tb"]


def errors_of(make, field: str, value: str) -> list[str]:
    form = make({field: value})
    form.is_valid()
    return form.errors.get(field, [])


@pytest.mark.parametrize("make, field", URL_FIELDS)
@pytest.mark.parametrize("url", GOOD_URLS)
def test_an_absolute_http_or_https_url_is_accepted(make, field, url):
    assert errors_of(make, field, url) == []


@pytest.mark.parametrize("make, field", URL_FIELDS)
@pytest.mark.parametrize("url", BAD_URLS)
def test_anything_else_is_refused_with_a_clear_message(make, field, url):
    assert errors_of(make, field, url) == [URL_MESSAGE]


def test_an_image_url_must_be_https():
    assert errors_of(ConnectorEditForm, "image_url", "https://cdn.example.com/logo.png") == []
    for url in ("http://cdn.example.com/logo.png", "javascript:alert(1)", "logo.png"):
        assert errors_of(ConnectorEditForm, "image_url", url) == [IMAGE_URL_MESSAGE]


def test_an_image_patchbay_serves_itself_may_be_http(settings):
    """The demo logos come from Patchbay's own address, which the CSP allows as 'self'."""
    settings.EMBEDDED_API_PUBLIC_URL = "http://127.0.0.1:8100/api/connect/v1"
    own = "http://127.0.0.1:8100/static/demo/logos/bazaar.svg"

    assert errors_of(ConnectorEditForm, "image_url", own) == []
    for other in ("http://127.0.0.1:8000/static/demo/logos/bazaar.svg", "http://evil.example/x"):
        assert errors_of(ConnectorEditForm, "image_url", other) == [IMAGE_URL_MESSAGE]


def test_optional_url_fields_may_stay_empty():
    assert errors_of(ConnectorEditForm, "documentation_url", "") == []
    assert errors_of(ConnectorEditForm, "image_url", "") == []


@pytest.mark.parametrize("make, field, good", NAME_FIELDS)
def test_a_name_in_the_apis_pattern_is_accepted(make, field, good):
    assert errors_of(make, field, good) == []


@pytest.mark.parametrize("make, field, good", NAME_FIELDS)
@pytest.mark.parametrize("bad", BAD_NAMES)
def test_a_name_outside_the_apis_pattern_is_refused_with_what_to_use(make, field, good, bad):
    [message] = errors_of(make, field, bad)
    assert message.startswith(("Use ", "Start with"))


def test_reserved_version_names_are_refused():
    [message] = errors_of(lambda data: VersionCreateForm(data, versions=[]), "name", "latest")
    assert message == "“latest” is reserved; choose another name."


def test_a_variable_with_a_bad_name_and_a_value_gets_only_the_names_message():
    form = VariableForm({"name": "bad name!", "value": "eu"})

    assert not form.is_valid()
    [message] = form.errors["name"]
    assert message.startswith("Use ")
