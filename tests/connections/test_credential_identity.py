"""A credential row says which credential it is without its secret (issue 16)."""

import pytest

from dashboard.connect.models import ConnectionCredential
from dashboard.connections.identity import identity
from tests.connections.conftest import self_signed

API_KEY = {"id": "c1", "schemeType": "api-key", "name": "X-API-Key", "in": "header"}
BASIC = {"id": "c2", "schemeType": "basic-auth"}
HMAC = {"id": "c3", "schemeType": "hmac", "name": "sig", "in": "query", "algorithm": "sha256"}
CERTIFICATE = {"id": "c4", "schemeType": "certificate"}


def link(config: dict, credential_type: str, data: dict) -> ConnectionCredential:
    credential = {"id": "k", "name": "n", "type": credential_type, "data": data}
    return ConnectionCredential.model_validate(
        {"id": "l", "authSchemeConfig": config, "credential": credential}
    )


@pytest.mark.parametrize(
    "config, credential_type, data, expected",
    [
        (BASIC, "basic-auth", {"username": "alice", "password": "<redacted>"}, "user alice"),
        (BASIC, "oauth2-password", {"username": "bob"}, "user bob"),
        (
            API_KEY,
            "oauth2-client",
            {"clientId": "acme-app", "tokenUrl": "https://t"},
            "client acme-app",
        ),
        (API_KEY, "string", {"value": "<redacted>"}, "key in header X-API-Key"),
        (HMAC, "string", {}, "signature in query parameter sig"),
        (
            CERTIFICATE,
            "certificate",
            {"certificate": self_signed("api.acme.test")[0]},
            "certificate for api.acme.test",
        ),
        (BASIC, "none", {}, ""),
    ],
)
def test_a_credential_is_named_by_what_is_not_secret(config, credential_type, data, expected):
    found = link(config, credential_type, data)
    assert identity(found.credential, found.auth_scheme_config) == expected
