"""What the connection page offers for OAuth 2.0 sign-in, and how its outcome reads.

A connector's OAuth 2.0 configs with the authorization code grant are signed into per
connection: "Connect" the first time, "Re-authorise" once the connection holds a token from
that config. The API's callback sends the browser back to the connection's page with
`oauth2=connected` or `oauth2_error=<code>`.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from dashboard.connect import ConnectClient, NotFound
from dashboard.connect.models import (
    AuthSchemeConfig,
    Connection,
    ConnectionCredential,
    Connector,
    Credential,
)

from .connection_forms import is_authorization_code

OAUTH2_ERRORS = {
    "access_denied": "The sign-in was cancelled or refused at the provider.",
    "expired_state": "The sign-in took too long and expired. Connect again.",
    "invalid_request": "The provider sent the browser back without a code. Connect again.",
    "connection_not_found": "The connection or its auth scheme was deleted during the sign-in.",
    "configuration_changed": "The auth scheme changed during the sign-in. Connect again.",
    "token_endpoint_unreachable": "The provider's token URL could not be reached.",
    "token_endpoint_not_allowed": "The token URL is not a public address, so it was not called.",
    "token_exchange_failed": "The provider did not issue a token for the code.",
    "invalid_grant": "The provider refused the code (invalid_grant). Connect again.",
    "invalid_client": "The provider refused the client ID or secret (invalid_client).",
    "server_error": "The sign-in could not be completed. Try again.",
}


@dataclass(frozen=True)
class ConnectOption:
    config: AuthSchemeConfig
    # The connection's token credential from this config, once connected.
    link: ConnectionCredential | None

    @property
    def has_client(self) -> bool:
        return bool(getattr(self.config.grant, "credential_id", None))

    @property
    def label(self) -> str:
        return "Re-authorise" if self.link else "Connect"


def connect_options(connector: Connector, connection: Connection) -> list[ConnectOption]:
    options = []
    for config in connector.auth_scheme_configs:
        if is_authorization_code(config):
            link = next(
                (
                    link
                    for link in connection.credentials.action
                    if link.auth_scheme_config.id == config.id
                    and link.credential.type == "oauth2-token"
                ),
                None,
            )
            options.append(ConnectOption(config, link))
    return options


@dataclass(frozen=True)
class TokenSignIn:
    """The connection an `oauth2-token` credential signs in for, and its sign-in option."""

    connector_id: str
    connection: Connection
    option: ConnectOption


def token_sign_in(client: ConnectClient, credential: Credential) -> TokenSignIn | None:
    """Where a token credential's tokens come from: the first connection holding it from a
    sign-in option (whose page offers "Re-authorise" only if the option has a client); None
    for other credentials, or when no connection signs in with it."""
    if credential.type != "oauth2-token":
        return None
    for usage in credential.usages or []:
        used_by = usage.connection
        if used_by is None or used_by.connector is None:
            continue
        try:
            connector = client.connectors.get(used_by.connector.id)
        except NotFound:  # deleted meanwhile: no page to send anyone to
            continue
        for connection in connector.connections:
            if connection.id != used_by.id:
                continue
            for option in connect_options(connector, connection):
                if option.link and option.link.credential.id == credential.id:
                    return TokenSignIn(connector.id, connection, option)
    return None


def origin(url: str) -> str:
    """`scheme://host[:port]` of a URL, as a CSP source and for comparing sites."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()
