"""Connections and credentials as the contract's JSON, secrets redacted.

`serialise_connection` reads the connection's links, their credentials and its connector's
auth scheme configs; prefetch `CONNECTION_RELATED` (from the connection) and the connector's
`auth_scheme_configs` to serialise many connections in a fixed number of queries.
"""

from django.utils.text import slugify

from ..http import iso
from ..models import AuthSchemeConfig, Connection, Connector, Credential
from . import credential_data

CONNECTION_RELATED = ("connection_credentials__credential",)
CREDENTIAL_RELATED = ("links__connection__connector",)


def serialise_connection(connection: Connection) -> dict:
    """The contract's Connection, with each credential's data redacted."""
    configs = {
        config.config_id: config for config in connection.connector.auth_scheme_configs.all()
    }
    credentials: dict[str, list[dict]] = {"action": [], "trigger": []}
    links = sorted(connection.connection_credentials.all(), key=lambda link: link.position)
    for link in links:
        config = configs.get(link.auth_scheme_config_id)
        # The link says which scheme the credential serves here, so the credential's own
        # links (what `auth_scheme_type` reads) are never loaded: no query per credential.
        scheme_type = (
            link.auth_scheme_config.get("schemeType")
            or (credential_data.DEFAULT_SCHEME[link.credential.type])
        )
        credentials[link.kind].append(
            {
                "id": link.id,
                "authSchemeConfig": auth_scheme_config(config)
                if config
                else link.auth_scheme_config,
                "credential": serialise_credential(link.credential, scheme_type=scheme_type),
            }
        )
    return {
        "id": connection.id,
        "name": connection.name,
        "credentials": credentials,
        "variables": connection.variables,
        "createdAt": iso(connection.created_at),
        "updatedAt": iso(connection.updated_at),
    }


def serialise_connection_summary(connection: Connection) -> dict:
    return {
        "id": connection.id,
        "name": connection.name,
        "createdAt": iso(connection.created_at),
        "updatedAt": iso(connection.updated_at),
    }


def serialise_credential(
    credential: Credential, *, usages: bool = False, scheme_type: str | None = None
) -> dict:
    """The contract's Credential (v1, plus v1alpha1's timestamps): data redacted. `usages`
    is only loaded where asked, as the contract allows; it, and `authSchemeType` unless the
    caller knows it (a connection's link does), read CREDENTIAL_RELATED."""
    data = _credential_fields(credential, scheme_type)
    data["data"] = credential_data.redacted(credential)
    if usages:
        data["usages"] = serialise_usages(credential)
    return data


def serialise_credential_summary(credential: Credential) -> dict:
    """v1alpha1's CredentialSummary: no data, with usages (needs CREDENTIAL_RELATED)."""
    return {**_credential_fields(credential, None), "usages": serialise_usages(credential)}


def serialise_usages(credential: Credential) -> list[dict]:
    """One usage per connection using the credential, in both vocabularies: v1's `connection`
    (a connection and its connector) and v1alpha1's `environment` (the same connection, which
    v1alpha1 called an environment, of a connector it called a connection)."""
    connections = {link.connection_id: link.connection for link in credential.links.all()}
    return [
        {"connection": _usage_connection(connection), "environment": _usage_environment(connection)}
        for connection in sorted(connections.values(), key=lambda c: (c.name, c.id))
    ]


def auth_scheme_type(credential: Credential) -> str:
    """The scheme the credential serves: that of its first use, else its type's usual one."""
    for link in credential.links.all():
        return link.auth_scheme_config.get("schemeType", "")
    return credential_data.DEFAULT_SCHEME[credential.type]


def auth_scheme_config(config: AuthSchemeConfig) -> dict:
    """A connector's auth scheme config as the contract shows it (no secrets are stored in it)."""
    # Imported here: the connectors area's serialiser imports this module for its connections.
    from ..connectors.serialise import serialise_auth_scheme_config

    return serialise_auth_scheme_config(config)


def _credential_fields(credential: Credential, scheme_type: str | None) -> dict:
    fields = {
        "id": credential.id,
        "organisationId": credential.organisation_id,
        "type": credential.type,
        "name": credential.name,
        "authSchemeType": scheme_type or auth_scheme_type(credential),
        "errors": credential.errors,
        "createdAt": iso(credential.created_at),
        "updatedAt": iso(credential.updated_at),
    }
    if credential.expires_at is not None:
        fields["expiresAt"] = iso(credential.expires_at)
    return fields


def _connector_summary(connector: Connector) -> dict:
    return {
        "id": connector.id,
        "organisationId": connector.organisation_id,
        "name": connector.name,
        "protocol": connector.protocol,
        "createdAt": iso(connector.created_at),
        "updatedAt": iso(connector.updated_at),
    }


def _usage_connection(connection: Connection) -> dict:
    return {
        "id": connection.id,
        "name": connection.name,
        "connector": _connector_summary(connection.connector),
        "createdAt": iso(connection.created_at),
        "updatedAt": iso(connection.updated_at),
    }


def _usage_environment(connection: Connection) -> dict:
    return {
        "id": connection.id,
        "name": connection.name,
        "slug": slugify(connection.name),
        "connection": _connector_summary(connection.connector),
        "createdAt": iso(connection.created_at),
        "updatedAt": iso(connection.updated_at),
    }
