"""Shared set-up for the connections, credentials and OAuth 2.0 tests: connectors with auth
scheme configs, credential bodies of every type carrying distinctive planted secrets, and a
tiny OAuth 2.0 token endpoint on loopback."""

import base64
import datetime
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ulid import ULID

from dashboard.embedded_api.models import AuthSchemeConfig, Connector

# Every secret a test plants contains this marker, so "no secret leaked" is one search.
MARK = "PLANTED-S3CRET"


def secret(label: str) -> str:
    return f"{MARK}-{label}-{ULID()}"


def make_connector(organisation_id: str, *configs: dict, name: str = "Acme CRM") -> Connector:
    """A connector with auth scheme configs, made directly in the database: the connectors
    area owns their API, these tests exercise connections."""
    connector = Connector.objects.create(
        organisation_id=organisation_id, name=name, protocol="http", base_url="https://acme.test"
    )
    for position, config in enumerate(configs):
        config = dict(config)
        AuthSchemeConfig.objects.create(
            connector=connector,
            config_id=config.pop("id"),
            position=position,
            scheme_type=config.pop("schemeType"),
            description=config.pop("description", ""),
            config=config,
        )
    return connector


def config(scheme_type: str, **fields) -> dict:
    """An auth scheme config as the contract writes it (id made here)."""
    defaults = {
        "api-key": {"name": "X-Api-Key", "in": "header"},
        "hmac": {"name": "X-Sig", "in": "header", "algorithm": "sha256", "digestInputs": ["body"]},
        "oauth2": {
            "authorizeUrl": "https://provider.test/authorize",
            "tokenUrl": "https://provider.test/token",
            "scopes": [{"name": "read"}, {"name": "write"}],
            "defaultScopes": ["read"],
            "grant": {"grantType": "authorization_code", "clientId": "client-1"},
        },
    }.get(scheme_type, {})
    return {"id": str(ULID()), "schemeType": scheme_type, **defaults, **fields}


def ref(config_: dict) -> dict:
    """The authSchemeConfig a connection credential sends (the whole config, as the contract
    asks)."""
    return dict(config_)


def self_signed() -> tuple[str, str]:
    """A throwaway certificate and its private key, PEM-encoded."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "patchbay.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM).decode(),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
    )


@dataclass
class Sample:
    """A credential body of one type, the secrets planted in it, and its redacted form."""

    type: str
    data: dict
    secrets: list[str]
    redacted: dict


def samples() -> list[Sample]:
    """One credential of every storable type, each secret distinctive."""
    value, password, client_secret = secret("value"), secret("password"), secret("client")
    access, refresh, key_password = secret("access"), secret("refresh"), secret("oauth-pw")
    binary = secret("binary")
    certificate, key = self_signed()
    return [
        Sample("none", {}, [], {}),
        Sample("string", {"value": value}, [value], {"value": ""}),
        Sample(
            "binary",
            {"valueBase64": base64.b64encode(binary.encode()).decode()},
            [binary, base64.b64encode(binary.encode()).decode()],
            {"valueBase64": ""},
        ),
        Sample(
            "basic-auth",
            {"username": "ops", "password": password},
            [password],
            {"username": "ops", "password": ""},
        ),
        Sample(
            "oauth2-client",
            {
                "clientId": "client-1",
                "clientSecret": client_secret,
                "authorizeUrl": "https://provider.test/authorize",
                "tokenUrl": "https://provider.test/token",
            },
            [client_secret],
            {
                "clientId": "client-1",
                "clientSecret": "",
                "authorizeUrl": "https://provider.test/authorize",
                "tokenUrl": "https://provider.test/token",
            },
        ),
        Sample(
            "oauth2-token",
            {"scopes": ["read"], "accessToken": access, "refreshToken": refresh},
            [access, refresh],
            {"scopes": ["read"]},
        ),
        Sample(
            "oauth2-password",
            {"username": "resource-owner", "password": key_password},
            [key_password],
            {"username": "resource-owner", "password": ""},
        ),
        Sample(
            "certificate",
            {"certificate": certificate, "key": key, "ca": ""},
            [key.splitlines()[1]],
            {"certificate": certificate, "ca": "", "key": ""},
        ),
    ]


SCHEME_FOR_TYPE = {
    "none": "none",
    "string": "api-key",
    "binary": "hmac",
    "basic-auth": "basic-auth",
    "oauth2-client": "oauth2",
    "oauth2-token": "oauth2",
    "oauth2-password": "oauth2",
    "certificate": "certificate",
}


@dataclass
class TokenEndpoint:
    """An OAuth 2.0 token endpoint on 127.0.0.1: answers each POST with `status` and `body`
    and records what it was sent."""

    url: str
    status: int = 200
    body: dict = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)


def serve_token_endpoint() -> tuple[TokenEndpoint, ThreadingHTTPServer]:
    endpoint = TokenEndpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            endpoint.requests.append(
                {"path": self.path, "headers": dict(self.headers), "form": form}
            )
            payload = json.dumps(endpoint.body).encode()
            self.send_response(endpoint.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_port}/token"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return endpoint, server
