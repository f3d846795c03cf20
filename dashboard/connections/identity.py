"""Which credential a row is, without its secret: the user, the client, the key's parameter."""

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.cache import cache

from dashboard.connect import ConnectClient, ConnectError
from dashboard.connect.models import (
    AuthSchemeConfig,
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigHMAC,
    Credential,
    CredentialSummary,
)

PLACES = {"header": "header", "query": "query parameter", "cookie": "cookie"}
# A page of rows is read a few calls at a time: quick, without crowding the API.
FETCHERS = 4
# What was read stays right until the credential or its connector changes (both in the key).
CACHE_SECONDS = 24 * 3600


def identity(credential: Credential, config: AuthSchemeConfig | None = None) -> str:
    """E.g. "user alice", "client acme-app", "key in header X-API-Key", "certificate for
    api.example.com"; "" when the credential has nothing to tell apart but its secret.
    `config`, the auth scheme config it serves, names an API key's or signature's place."""
    data = credential.data
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


def identities(
    client: ConnectClient, credentials: Sequence[Credential | CredentialSummary]
) -> dict[str, str]:
    """The identity of each credential (id -> identity), for a page of rows.

    A listed credential carries no data, and a credential alone does not say where its key
    goes, so each is read: through the first connection using it (GetConnectorConnection, one
    call for all the page's credentials of that connection, and it gives the auth scheme
    config naming a key's place), or GetCredential when no connection uses it. A call that
    fails leaves its credentials unnamed, not the page. What was read is cached under what it
    depends on (the `updatedAt` of the credential, of the connection using it and of its
    connector), so a list seen before reads nothing and a change is seen at once."""
    keys = {credential.id: _cache_key(client, credential) for credential in credentials}
    cached = cache.get_many(list(keys.values()))
    found = {i: cached[key] for i, key in keys.items() if key in cached}
    missing = [credential for credential in credentials if credential.id not in found]
    read = _read(client, missing) if missing else {}
    cache.set_many({keys[i]: name for i, name in read.items()}, CACHE_SECONDS)
    return found | read


def _first_connection(credential: Credential | CredentialSummary):
    return next((u.connection for u in credential.usages or [] if u.connection), None)


def _cache_key(client: ConnectClient, credential: Credential | CredentialSummary) -> str:
    usage = _first_connection(credential)
    connector = usage.connector if usage else None
    depends = [client.organisation_id, credential.id, _at(credential.updated_at)]
    if usage:  # which config it serves there, and that config's key name
        depends += [usage.id, _at(usage.updated_at)]
    if connector:
        depends += [connector.id, _at(connector.updated_at)]
    return "credential-identity:" + "|".join(depends)


def _at(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _read(client: ConnectClient, credentials: Sequence[Credential | CredentialSummary]):
    wanted = {credential.id for credential in credentials}
    connections: dict[tuple[str, str], None] = {}
    unused = []
    for credential in credentials:
        usage = _first_connection(credential)
        if usage and usage.connector:
            connections[(usage.connector.id, usage.id)] = None
        else:
            unused.append(credential.id)

    def through_connection(key: tuple[str, str]) -> dict[str, str]:
        links = client.connections.get(*key).credentials
        return {
            link.credential.id: identity(link.credential, link.auth_scheme_config)
            for link in [*links.action, *links.trigger]
            if link.credential.id in wanted
        }

    def alone(credential_id: str) -> dict[str, str]:
        return {credential_id: identity(client.credentials.get(credential_id))}

    def run(call, argument) -> dict[str, str]:
        try:
            return call(argument)
        except ConnectError:  # e.g. removed meanwhile: the row just goes unnamed
            return {}

    calls = [(through_connection, key) for key in connections] + [(alone, i) for i in unused]
    # Each call runs in a copy of this request's context, so it carries the request id.
    contexts = [copy_context() for _ in calls]
    found: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=FETCHERS) as pool:
        results = pool.map(lambda ctx, call: ctx.run(run, *call), contexts, calls)
        for result in results:
            found = result | found  # a credential's first connection names it
    return found


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
