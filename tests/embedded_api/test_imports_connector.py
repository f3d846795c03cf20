"""ImportHTTPConnector: the connector an OpenAPI document becomes (name, base URL, docs URL,
auth scheme configs, first version), uploaded as multipart, through real HTTP."""

import pytest

from tests.embedded_api.imports_support import (
    by_name,
    details,
    document,
    encode,
    imported,
    pet_store,
    texts,
    upload,
)


def configs(body: dict) -> list[dict]:
    return [
        {k: v for k, v in c.items() if k not in ("id", "validationMessages")}
        for c in body["connector"]["authSchemeConfigs"]
    ]


def test_an_uploaded_document_becomes_a_draft_connector_with_one_version(api):
    body = imported(api, pet_store())

    connector = body["connector"]
    assert (connector["name"], connector["protocol"], connector["public"]) == (
        "Pet Store",
        "http",
        False,
    )
    assert [v["name"] for v in connector["versions"]] == ["1.0.0"]
    assert connector["versions"][0]["publishedAt"] is None
    assert [a["name"] for a in body["actions"]] == ["getPet"]
    # Everything in the result is stored: the API serves the same connector and version.
    assert api.get(f"{api.o}/connectors/{connector['id']}").json() == connector
    actions = api.get(f"{api.o}/connectors/{connector['id']}/versions/1.0.0/actions").json()
    assert actions["actions"] == body["actions"]


def test_the_result_starts_with_a_summary_of_what_was_imported(api):
    body = imported(api, pet_store())

    first = body["messages"][0]
    assert first["severity"] == "info"
    assert first["text"].startswith("Imported OpenAPI 3.0.3 document 'Pet Store': 1 action,")


def test_json_and_yaml_are_told_apart_by_their_content(api):
    yaml_text = "openapi: 3.1.0\ninfo: {title: From YAML, version: '1'}\npaths: {}\n"

    assert imported(api, yaml_text, filename="spec.json")["connector"]["name"] == "From YAML"
    assert imported(api, document(), filename="spec.yaml")["connector"]["name"] == "Pet Store"


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1"])
def test_openapi_3_0_and_3_1_are_imported(api, version):
    assert imported(api, document(version))["messages"][0]["text"].startswith(
        f"Imported OpenAPI {version} "
    )


def test_the_name_comes_from_info_title_and_the_docs_url_from_external_docs(api):
    doc = document(externalDocs={"url": "https://docs.example.com/pets"})

    connector = imported(api, doc)["connector"]

    assert connector["name"] == "Pet Store"
    assert connector["documentationURL"] == "https://docs.example.com/pets"


def test_the_base_url_is_the_first_server_with_its_variables_defaults(api):
    servers = [
        {
            "url": "https://{region}.example.com/{base}/",
            "variables": {"region": {"default": "eu"}, "base": {"default": "v2"}},
        },
        {"url": "https://ignored.example.com"},
    ]

    body = imported(api, document(servers=servers))

    assert body["connector"]["baseUrl"] == "https://eu.example.com/v2"
    assert texts(body) == []


def test_no_servers_gives_an_empty_base_url_with_a_warning(api):
    body = imported(api, document(servers=[]))

    assert body["connector"]["baseUrl"] == ""
    assert "/servers" in details(body)


def test_a_relative_server_url_is_kept_with_a_warning(api):
    body = imported(api, document(servers=[{"url": "/v1"}]))

    assert body["connector"]["baseUrl"] == "/v1"
    assert "/servers/0/url" in details(body)


def test_an_overlong_title_is_cut_with_a_warning(api):
    body = imported(api, document(info={"title": "A" * 300, "version": "1"}))

    assert body["connector"]["name"] == "A" * 200
    assert "/info/title" in details(body)


def test_the_first_version_is_named_after_info_version_when_it_can_be(api):
    named = imported(api, document(info={"title": "T", "version": "2024.06+beta"}))
    unnamed = imported(api, document(info={"title": "T", "version": "June 2024"}))
    reserved = imported(api, document(info={"title": "T", "version": "latest"}))

    assert named["connector"]["versions"][0]["name"] == "2024.06+beta"
    assert unnamed["connector"]["versions"][0]["name"] == "1.0.0"
    assert "/info/version" in details(unnamed, "info")
    assert reserved["connector"]["versions"][0]["name"] == "1.0.0"


# --- securitySchemes -> auth scheme configs ----------------------------------------------


def imported_schemes(api, schemes: dict, **fields) -> dict:
    return imported(api, document(components={"securitySchemes": schemes}, **fields))


def test_no_security_schemes_gives_a_none_config(api):
    assert configs(imported(api, document())) == [
        {"description": "No authentication", "schemeType": "none"}
    ]


def test_api_keys_keep_their_name_and_location(api):
    schemes = {
        "header": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "query": {"type": "apiKey", "name": "key", "in": "query"},
        "cookie": {"type": "apiKey", "name": "session", "in": "cookie"},
    }

    assert configs(imported_schemes(api, schemes)) == [
        {"description": "header", "schemeType": "api-key", "name": "X-Key", "in": "header"},
        {"description": "query", "schemeType": "api-key", "name": "key", "in": "query"},
        {"description": "cookie", "schemeType": "api-key", "name": "session", "in": "cookie"},
    ]


def test_http_basic_becomes_basic_auth_and_mutual_tls_certificate(api):
    schemes = {"basic": {"type": "http", "scheme": "basic"}, "mtls": {"type": "mutualTLS"}}

    assert configs(imported_schemes(api, schemes)) == [
        {"description": "basic", "schemeType": "basic-auth"},
        {"description": "mtls", "schemeType": "certificate"},
    ]


def test_http_bearer_becomes_an_authorization_header_with_a_message(api):
    body = imported_schemes(api, {"jwt": {"type": "http", "scheme": "bearer"}})

    assert configs(body) == [
        {"description": "jwt", "schemeType": "api-key", "name": "Authorization", "in": "header"}
    ]
    assert any("Bearer " in text for text in texts(body))
    assert "/components/securitySchemes/jwt" in details(body)


def test_oauth2_flows_become_oauth2_configs_with_grant_urls_and_scopes(api):
    flows = {
        "authorizationCode": {
            "authorizationUrl": "https://auth.example.com/authorize",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": {"pets:read": "Read pets"},
        },
        "clientCredentials": {"tokenUrl": "/token", "scopes": {}},
        "password": {"tokenUrl": "https://auth.example.com/token", "scopes": {}},
    }

    body = imported_schemes(
        api, {"oauth": {"type": "oauth2", "flows": flows}}, security=[{"oauth": ["pets:read"]}]
    )

    found = by_name([{"name": c["grant"]["grantType"], **c} for c in configs(body)])
    code = found["authorization_code"]
    assert (code["authorizeUrl"], code["tokenUrl"]) == (
        "https://auth.example.com/authorize",
        "https://auth.example.com/token",
    )
    assert code["scopes"] == [{"name": "pets:read", "description": "Read pets"}]
    assert code["defaultScopes"] == ["pets:read"]
    # A relative token URL is resolved against the base URL (https://api.example.com/v1).
    assert found["client_credentials"]["tokenUrl"] == "https://api.example.com/token"
    assert found["password"]["tokenUrl"] == "https://auth.example.com/token"


def test_an_oauth2_implicit_flow_is_dropped_with_a_warning(api):
    flows = {"implicit": {"authorizationUrl": "https://auth.example.com/a", "scopes": {}}}

    body = imported_schemes(api, {"old": {"type": "oauth2", "flows": flows}})

    assert [c["schemeType"] for c in configs(body)] == ["none"]
    assert any("implicit" in text for text in texts(body))


def test_openid_connect_is_a_message_naming_the_discovery_url(api):
    discovery = "https://id.example.com/.well-known/openid-configuration"

    body = imported_schemes(api, {"oidc": {"type": "openIdConnect", "openIdConnectUrl": discovery}})

    assert [c["schemeType"] for c in configs(body)] == ["none"]
    assert any(discovery in text for text in texts(body))


def test_an_oauth2_config_the_api_would_refuse_is_left_out_with_a_warning(api):
    # No servers and a relative token URL: nothing to resolve it against.
    flows = {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}

    body = imported_schemes(api, {"cc": {"type": "oauth2", "flows": flows}}, servers=[])

    assert configs(body) == []
    assert any("'cc'" in text and "tokenUrl" in text for text in texts(body))


def test_the_upload_may_have_any_file_name_and_type(api):
    response = api.post(
        f"{api.o}/protocols/http/import",
        files={
            "file": ("whatever", encode(document()), "text/plain"),
            "metadata": ("metadata.json", b'{"format": "openapi"}', "application/json"),
        },
    )

    assert response.status_code == 201, response.text


def test_another_organisations_path_is_not_found(api, other_api):
    refused = api.post(
        f"{other_api.o}/protocols/http/import",
        files={"file": ("a.json", encode(document())), "metadata": (None, '{"format":"openapi"}')},
    )

    assert refused.status_code == 404


def test_an_import_needs_an_api_key(anonymous_api):
    response = upload(anonymous_api, document())

    assert response.status_code == 401
