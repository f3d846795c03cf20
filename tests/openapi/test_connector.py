"""Connector fields: name, base URL and documentation URL."""

from tests.openapi.support import document, messages_at, run


def test_the_name_comes_from_info_title():
    result = run(document(info={"title": "  Pet Store API ", "version": "1"}))
    assert result.connector.name == "Pet Store API"


def test_an_empty_title_gives_a_placeholder_name_with_a_warning():
    result = run(document(info={"title": " ", "version": "1"}))
    assert result.connector.name == "Untitled API"
    assert "empty" in messages_at(result, "/info/title")[0]


def test_the_base_url_is_the_first_server_with_variable_defaults_substituted():
    servers = [
        {
            "url": "https://{region}.example.com:{port}/{base}/",
            "variables": {
                "region": {"default": "eu", "enum": ["eu", "us"]},
                "port": {"default": "8443"},
                "base": {"default": "v2"},
            },
        },
        {"url": "https://ignored.example.com"},
    ]
    result = run(document(servers=servers))
    assert result.connector.base_url == "https://eu.example.com:8443/v2"
    assert messages_at(result, "/servers") == []


def test_without_servers_the_base_url_is_empty_with_a_warning():
    doc = document()
    del doc["servers"]
    result = run(doc)
    assert result.connector.base_url == ""
    assert "no servers" in messages_at(result, "/servers")[0]


def test_a_relative_server_url_is_kept_with_a_warning():
    result = run(document(servers=[{"url": "/api/v3"}]))
    assert result.connector.base_url == "/api/v3"
    assert "relative" in messages_at(result, "/servers/0/url")[0]


def test_a_relative_server_url_is_resolved_against_the_url_the_document_came_from():
    result = run(
        document(servers=[{"url": "/api/v3"}]),
        source_url="https://petstore.example.com/docs/openapi.json",
    )
    assert result.connector.base_url == "https://petstore.example.com/api/v3"
    assert messages_at(result, "/servers/0/url") == []


def test_a_server_variable_without_a_definition_stays_with_a_warning():
    result = run(document(servers=[{"url": "https://{tenant}.example.com"}]))
    assert result.connector.base_url == "https://{tenant}.example.com"
    assert "tenant" in messages_at(result, "/servers/0/url")[0]


def test_the_documentation_url_comes_from_external_docs():
    result = run(document(externalDocs={"url": "https://docs.example.com", "description": "Docs"}))
    assert result.connector.documentation_url == "https://docs.example.com"
    assert run(document()).connector.documentation_url == ""


def test_connector_fields_serialise_with_the_contracts_names():
    result = run(document(externalDocs={"url": "https://docs.example.com"}))
    assert result.connector.to_dict() == {
        "name": "Pet Store",
        "baseUrl": "https://api.example.com/v1",
        "documentationURL": "https://docs.example.com",
    }
