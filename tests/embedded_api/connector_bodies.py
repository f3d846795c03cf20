"""Request bodies and small helpers for the connector tests (test_connectors_*.py)."""

from ulid import ULID


def new_id() -> str:
    return str(ULID())


def http_connector(**fields) -> dict:
    base = {"name": "Shopify", "baseUrl": "https://shop.example.com/api", "authSchemeConfigs": []}
    return base | fields


def create_http(api, **fields) -> dict:
    response = api.post(f"{api.o}/protocols/http/connectors", json=http_connector(**fields))
    assert response.status_code == 201, response.text
    return response.json()


def update_body(connector: dict, **fields) -> dict:
    """A full UpdateConnector body that keeps everything `connector` (as read) has."""
    keep = ("id", "organisationId", "name", "tags", "protocol", "public")
    keep += ("documentationURL", "imageURL", "baseUrl", "datasetId", "connectionVariables")
    return {name: connector[name] for name in keep if name in connector} | fields


def none_config(**fields) -> dict:
    return {"id": new_id(), "description": "", "schemeType": "none"} | fields


def api_key_config(**fields) -> dict:
    return {
        "id": new_id(),
        "description": "API key",
        "schemeType": "api-key",
        "name": "X-Api-Key",
        "in": "header",
    } | fields


def basic_auth_config(**fields) -> dict:
    return {"id": new_id(), "description": "Basic", "schemeType": "basic-auth"} | fields


def certificate_config(**fields) -> dict:
    return {"id": new_id(), "description": "mTLS", "schemeType": "certificate"} | fields


def hmac_config(**fields) -> dict:
    return {
        "id": new_id(),
        "description": "Webhook signature",
        "schemeType": "hmac",
        "name": "X-Signature",
        "in": "header",
        "algorithm": "sha256",
        "digestInputs": ["body"],
    } | fields


def oauth2_config(grant: dict | None = None, **fields) -> dict:
    return {
        "id": new_id(),
        "description": "OAuth",
        "schemeType": "oauth2",
        "authorizeUrl": "https://auth.example.com/authorize",
        "tokenUrl": "https://auth.example.com/token",
        "scopes": [{"name": "read", "description": "Read data"}, {"name": "write"}],
        "defaultScopes": ["read"],
        "grant": grant or {"grantType": "client_credentials"},
    } | fields
