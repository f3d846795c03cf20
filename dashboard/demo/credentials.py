"""Credential data for demo connections: the credential type and `data` an auth scheme config
takes, with fake secrets (derived from a name, so they are stable) and a real, freshly signed
client certificate where one is needed."""

import base64
import hashlib
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dashboard.embedded_api.models import AuthSchemeConfig


def fake_secret(kind: str, key: str, length: int = 32) -> str:
    return f"demo_{kind}_" + hashlib.sha256(f"{kind}/{key}".encode()).hexdigest()[:length]


def credential_for(config: AuthSchemeConfig, key: str, now: datetime, expires_at) -> tuple:
    """(credential type, data) satisfying `config`, for the credential named by `key`."""
    fields = config.config
    scheme = config.scheme_type
    if scheme == "none":
        return "none", {}
    if scheme == "api-key":
        return "string", {"value": fake_secret("key", key)}
    if scheme == "basic-auth":
        return "basic-auth", {"username": "svc-patchbay", "password": fake_secret("pw", key, 20)}
    if scheme == "hmac":
        secret = hashlib.sha256(f"hmac/{key}".encode()).digest()
        return "binary", {"valueBase64": base64.b64encode(secret).decode()}
    if scheme == "certificate":
        return "certificate", certificate_data(key, now, expires_at)
    grant = fields["grant"]["grantType"]
    if grant == "client_credentials":
        return "oauth2-client", {
            "clientId": f"patchbay-{hashlib.sha256(key.encode()).hexdigest()[:8]}",
            "clientSecret": fake_secret("client", key),
            "authorizeUrl": "",
            "tokenUrl": fields["tokenUrl"],
            "scopes": fields.get("defaultScopes", []),
        }
    if grant == "password":
        return "oauth2-password", {
            "username": "integrations@acme.example",
            "password": fake_secret("pw", key, 20),
        }
    return "oauth2-token", {
        "scopes": fields.get("defaultScopes", []),
        "accessToken": fake_secret("at", key, 40),
        "refreshToken": fake_secret("rt", key, 40),
    }


def certificate_data(key: str, now: datetime, expires_at: datetime | None) -> dict:
    """A self-signed client certificate valid until `expires_at` (a year if None), with its
    private key. The key is derived from `key`, so it is the same on every seed."""
    scalar = int.from_bytes(hashlib.sha256(f"certificate/{key}".encode()).digest(), "big")
    private_key = ec.derive_private_key(scalar % (2**255) + 1, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{key}.clients.acme.example")])
    not_after = expires_at or now + timedelta(days=365)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(scalar % (2**64) + 1)
        .not_valid_before(min(now, not_after) - timedelta(days=365))
        .not_valid_after(not_after)
        .sign(private_key, hashes.SHA256())
    )
    return {
        "certificate": certificate.public_bytes(serialization.Encoding.PEM).decode(),
        "key": private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "ca": "",
    }
