"""securitySchemes to auth scheme configs, in the contract's AuthSchemeConfig shape."""

import pytest
from ulid import ULID

from tests.openapi.support import contract_errors, document, messages_at, run


def configs_for(schemes: dict, **fields) -> tuple[list[dict], object]:
    result = run(document(components={"securitySchemes": schemes}, **fields))
    for config in result.auth_scheme_configs:
        assert contract_errors("AuthSchemeConfig", config) == []
        assert ULID.from_str(config["id"])
    return result.auth_scheme_configs, result


def without_ids(configs: list[dict]) -> list[dict]:
    return [{k: v for k, v in c.items() if k != "id"} for c in configs]


def test_no_security_schemes_means_a_none_config():
    configs, _ = configs_for({})
    assert without_ids(configs) == [{"description": "No authentication", "schemeType": "none"}]


@pytest.mark.parametrize("location", ["header", "query", "cookie"])
def test_an_api_key_keeps_its_name_and_location(location):
    configs, _ = configs_for({"key": {"type": "apiKey", "name": "X-Key", "in": location}})
    assert without_ids(configs) == [
        {"description": "key", "schemeType": "api-key", "name": "X-Key", "in": location}
    ]


def test_http_basic_becomes_basic_auth():
    configs, _ = configs_for({"basic": {"type": "http", "scheme": "Basic"}})
    assert without_ids(configs) == [{"description": "basic", "schemeType": "basic-auth"}]


def test_http_bearer_becomes_an_authorization_header_api_key_with_a_warning():
    configs, result = configs_for(
        {"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    )
    assert without_ids(configs) == [
        {"description": "jwt", "schemeType": "api-key", "name": "Authorization", "in": "header"}
    ]
    assert "Bearer " in messages_at(result, "/components/securitySchemes/jwt")[0]


def test_other_http_schemes_are_dropped_with_a_warning():
    configs, result = configs_for({"digest": {"type": "http", "scheme": "digest"}})
    assert [c["schemeType"] for c in configs] == ["none"]
    assert "digest" in messages_at(result, "/components/securitySchemes/digest")[0]


def test_each_oauth2_flow_becomes_an_oauth2_config_with_its_grant_urls_and_scopes():
    flows = {
        "authorizationCode": {
            "authorizationUrl": "https://auth.example.com/authorize",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": {"pets:read": "Read pets", "pets:write": "Write pets"},
        },
        "clientCredentials": {
            "tokenUrl": "https://auth.example.com/token",
            "scopes": {"admin": "All"},
        },
        "password": {"tokenUrl": "/oauth/token", "scopes": {}},
    }
    configs, _ = configs_for(
        {"oauth": {"type": "oauth2", "flows": flows}},
        security=[{"oauth": ["pets:read", "admin"]}],
    )
    assert without_ids(configs) == [
        {
            "description": "oauth (authorizationCode)",
            "schemeType": "oauth2",
            "authorizeUrl": "https://auth.example.com/authorize",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": [
                {"name": "pets:read", "description": "Read pets"},
                {"name": "pets:write", "description": "Write pets"},
            ],
            "defaultScopes": ["pets:read"],
            "grant": {"grantType": "authorization_code"},
        },
        {
            "description": "oauth (clientCredentials)",
            "schemeType": "oauth2",
            "authorizeUrl": "",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": [{"name": "admin", "description": "All"}],
            "defaultScopes": ["admin"],
            "grant": {"grantType": "client_credentials"},
        },
        {
            "description": "oauth (password)",
            "schemeType": "oauth2",
            "authorizeUrl": "",
            "tokenUrl": "https://api.example.com/oauth/token",
            "scopes": [],
            "defaultScopes": [],
            "grant": {"grantType": "password"},
        },
    ]


def test_a_single_flow_scheme_is_described_by_its_key_alone():
    flow = {"tokenUrl": "https://auth.example.com/token", "scopes": {}}
    configs, _ = configs_for({"cc": {"type": "oauth2", "flows": {"clientCredentials": flow}}})
    assert configs[0]["description"] == "cc"


def test_the_implicit_flow_is_dropped_with_a_warning():
    implicit = {"authorizationUrl": "https://auth.example.com/authorize", "scopes": {}}
    configs, result = configs_for({"old": {"type": "oauth2", "flows": {"implicit": implicit}}})
    assert [c["schemeType"] for c in configs] == ["none"]
    assert "implicit" in messages_at(result, "/components/securitySchemes/old/flows/implicit")[0]


def test_openid_connect_is_not_imported_but_a_message_says_how_to_set_it_up():
    url = "https://id.example.com/.well-known/openid-configuration"
    configs, result = configs_for({"oidc": {"type": "openIdConnect", "openIdConnectUrl": url}})
    assert [c["schemeType"] for c in configs] == ["none"]
    assert url in messages_at(result, "/components/securitySchemes/oidc")[0]


def test_mutual_tls_becomes_certificate():
    configs, _ = configs_for({"mtls": {"type": "mutualTLS"}})
    assert without_ids(configs) == [{"description": "mtls", "schemeType": "certificate"}]


def test_schemes_keep_document_order_and_a_ref_scheme_is_resolved():
    schemes = {
        "b": {"type": "http", "scheme": "basic"},
        "a": {"$ref": "#/components/securitySchemes/b"},
        "k": {"type": "apiKey", "name": "k", "in": "query"},
    }
    configs, _ = configs_for(schemes)
    assert [(c["description"], c["schemeType"]) for c in configs] == [
        ("b", "basic-auth"),
        ("a", "basic-auth"),
        ("k", "api-key"),
    ]


def test_optional_authentication_adds_a_none_config():
    configs, _ = configs_for(
        {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}}, security=[{"key": []}, {}]
    )
    assert [c["schemeType"] for c in configs] == ["api-key", "none"]


def test_every_config_gets_its_own_ulid():
    configs, _ = configs_for(
        {
            "a": {"type": "apiKey", "name": "a", "in": "header"},
            "b": {"type": "apiKey", "name": "b", "in": "header"},
        }
    )
    assert len({c["id"] for c in configs}) == 2
