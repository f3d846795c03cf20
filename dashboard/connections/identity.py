"""Which credential a row is, without its secret: the user, the client, the key's parameter."""

from cryptography import x509
from cryptography.x509.oid import NameOID

from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigHMAC,
    ConnectionCredential,
)

PLACES = {"header": "header", "query": "query parameter", "cookie": "cookie"}


def identity(link: ConnectionCredential) -> str:
    """E.g. "user alice", "client acme-app", "key in header X-API-Key", "certificate for
    api.example.com"; "" when the credential has nothing to tell apart but its secret."""
    data, config = link.credential.data, link.auth_scheme_config
    if username := getattr(data, "username", ""):
        return f"user {username}"
    if client_id := getattr(data, "client_id", ""):
        return f"client {client_id}"
    if certificate := getattr(data, "certificate", ""):
        return _certificate_subject(certificate)
    if isinstance(config, AuthSchemeConfigAPIKey | AuthSchemeConfigHMAC) and config.name:
        what = "key" if isinstance(config, AuthSchemeConfigAPIKey) else "signature"
        return f"{what} in {PLACES.get(config.in_, config.in_)} {config.name}"
    return ""


def _certificate_subject(pem: str) -> str:
    try:
        names = x509.load_pem_x509_certificate(pem.encode()).subject
    except ValueError:
        return "certificate"
    common = names.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not common:
        return "certificate"
    value = common[0].value
    return f"certificate for {value.decode() if isinstance(value, bytes) else value}"
