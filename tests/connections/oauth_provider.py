"""A small OAuth 2.0 provider on 127.0.0.1 for round-trip tests: an authorize endpoint that
sends the browser straight back with a code (or an error), and a token endpoint that swaps
that code for tokens when the client authenticates with the right ID and secret."""

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.test import override_settings


@dataclass
class Provider:
    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str
    url: str = ""
    # Set to an RFC 6749 error code to refuse the next authorization.
    deny_with: str | None = None
    authorize_requests: list[dict] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            if parts.path != "/authorize":
                return self._answer(404, {"error": "not_found"})
            params = dict(parse_qsl(parts.query))
            provider.authorize_requests.append(params)
            if provider.deny_with:
                back = {"error": provider.deny_with, "state": params.get("state", "")}
            else:
                code = secrets.token_urlsafe(16)
                provider.codes.add(code)
                back = {"code": code, "state": params.get("state", "")}
            self.send_response(302)
            self.send_header("Location", f"{params['redirect_uri']}?{urlencode(back)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            provider.token_requests.append(form)
            if not self._client_authenticated():
                return self._answer(401, {"error": "invalid_client"})
            if form.get("code") not in provider.codes:
                return self._answer(400, {"error": "invalid_grant"})
            provider.codes.discard(form["code"])
            self._answer(
                200,
                {
                    "access_token": provider.access_token,
                    "refresh_token": provider.refresh_token,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                },
            )

        def _client_authenticated(self) -> bool:
            scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
            if scheme != "Basic":
                return False
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
            return (unquote(client_id), unquote(secret)) == (
                provider.client_id,
                provider.client_secret,
            )

        def _answer(self, status: int, body: dict):
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


class ProviderServer:
    """`with ProviderServer(provider) as provider:` serves it on 127.0.0.1 (and lets the
    token exchange reach loopback meanwhile)."""

    def __init__(self, provider: Provider):
        self.provider = provider
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        provider.url = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.loopback = override_settings(OUTBOUND_ALLOW_LOOPBACK=True)

    def __enter__(self) -> Provider:
        self.loopback.enable()
        self.thread.start()
        return self.provider

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.loopback.disable()
