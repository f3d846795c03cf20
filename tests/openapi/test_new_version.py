"""A new version of an existing connector: its base URL and auth configs are only compared."""

from dashboard.openapi import new_version_messages
from tests.openapi.support import document, run

SCHEMES = {
    "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
    "basic": {"type": "http", "scheme": "basic"},
}


def imported(schemes: dict = SCHEMES, url: str = "https://api.example.com/v1"):
    return run(document(servers=[{"url": url}], components={"securitySchemes": schemes}))


def existing_configs() -> list[dict]:
    """The connector's configs: same behaviour, other ids and descriptions."""
    return [
        {
            "id": "01J00000000000000000000001",
            "description": "Key",
            "schemeType": "api-key",
            "name": "X-Key",
            "in": "header",
        },
        {"id": "01J00000000000000000000002", "description": "Basic", "schemeType": "basic-auth"},
    ]


def test_a_document_matching_the_connector_says_nothing():
    result = imported()
    assert (
        new_version_messages(
            result, base_url="https://api.example.com/v1/", auth_scheme_configs=existing_configs()
        )
        == []
    )


def test_a_scheme_the_connector_lacks_is_a_warning_naming_it():
    schemes = {**SCHEMES, "other": {"type": "apiKey", "name": "X-Other", "in": "query"}}
    [message] = new_version_messages(
        imported(schemes),
        base_url="https://api.example.com/v1",
        auth_scheme_configs=existing_configs(),
    )
    assert message.severity == "warning"
    assert "'other' (api-key)" in message.text and "left unchanged" in message.text
    assert message.detail == ("/components/securitySchemes",)


def test_a_config_the_document_no_longer_has_is_kept_with_an_info():
    [message] = new_version_messages(
        imported({"key": SCHEMES["key"]}),
        base_url="https://api.example.com/v1",
        auth_scheme_configs=existing_configs(),
    )
    assert message.severity == "info"
    assert "'Basic' (basic-auth)" in message.text and "kept" in message.text


def test_a_different_base_url_is_kept_with_an_info():
    [message] = new_version_messages(
        imported(url="https://api.example.com/v2"),
        base_url="https://api.example.com/v1",
        auth_scheme_configs=existing_configs(),
    )
    assert message.severity == "info"
    assert "https://api.example.com/v2" in message.text and "kept" in message.text


def test_a_connector_without_a_base_url_is_said_to_have_none():
    [message] = new_version_messages(
        imported(url="https://api.example.com/v2"), base_url="", auth_scheme_configs=[]
    )[-1:]
    assert message.text == (
        "The connector has no base URL; the document's, https://api.example.com/v2, is not used."
    )
