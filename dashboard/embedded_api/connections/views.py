"""A connector's connections: list, create (with inline credentials), get, update, delete.

A connection's credentials are links to organisation credentials (see models.connections).
Create makes new credentials inline, or links existing ones given as `{"id": ...}`; update
reorders links, points them at another auth scheme config of the same scheme type, or drops
them; the credentials themselves change only through UpdateCredential.
"""

import dataclasses

import pydantic
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone

from ..errors import ApiError, conflict, field_error
from ..http import check_unmodified, no_content, parse_body, query_flag
from ..models import AuthSchemeConfig, Connection, ConnectionCredential, Connector, Credential
from ..pagination import paginate
from . import credential_data, oauth2
from .credentials import new_credential
from .lookup import connection_of, connector_of, credential_of
from .schemas import (
    AuthSchemeConfigRef,
    ConnectionCreate,
    ConnectionCredentialCreate,
    ConnectionUpdate,
    CredentialCreate,
)
from .serialise import (
    CONNECTION_RELATED,
    auth_scheme_config,
    serialise_connection,
    serialise_connection_summary,
)

KINDS = tuple(ConnectionCredential.Kind.values)


def list_connections(request: HttpRequest, organisation_id: str, connector_id: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    page = paginate(request, connector.connections.all())
    return {"items": [serialise_connection_summary(c) for c in page.items], **page.info()}


def create_connection(request: HttpRequest, organisation_id: str, connector_id: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    body = parse_body(request, ConnectionCreate)
    # Before the transaction, so no database lock waits on an OAuth 2.0 provider.
    _redeem_codes(connector, body, field="")
    with transaction.atomic():
        connection = _add(connector, body, field="")
        connector.touch()
    return _connection(connection)


def add_connection(connector: Connector, body: object, field: str) -> Connection:
    """A connection given inline in another body (CreateConnector's `connections`), made as
    CreateConnection makes it; errors name their place under `field` (`connections[0]`).
    Runs in the caller's transaction, so a bad connection undoes the whole create. No OAuth 2.0
    code is exchanged in it: states are issued for existing connectors only, so a code given
    with a new connector is refused before the provider is called."""
    try:
        parsed = ConnectionCreate.model_validate(body)
    except pydantic.ValidationError as error:
        raise credential_data.invalid(error, field, "The connection is not valid.") from None
    _redeem_codes(connector, parsed, field)
    return _add(connector, parsed, field)


def _at(field: str, name: str) -> str:
    """Where `name` is in a body whose connection is at `field` ("" for the whole body)."""
    return f"{field}.{name}" if field else name


def _redeem_codes(connector: Connector, body: ConnectionCreate, field: str) -> None:
    """Replace each `oauth2-code` credential of `body` by the `oauth2-token` credential its
    code is exchanged for. A code can be spent once, so a taken name is refused first."""
    codes = [
        (kind, position, item)
        for kind in KINDS
        for position, item in enumerate(getattr(body.credentials, kind))
        if item.credential.get("type") == "oauth2-code"
    ]
    if not codes:
        return
    _check_name_free(connector, body.name, _at(field, "name"))
    configs = _configs(connector)
    for kind, position, item in codes:
        item_at = _at(field, f"credentials.{kind}[{position}]")
        config = _config(configs, item.authSchemeConfig, f"{item_at}.authSchemeConfig")
        credential = _parse_credential(config, item.credential, f"{item_at}.credential")
        item.credential = oauth2.redeem_code(connector, config, credential, f"{item_at}.credential")


def _add(connector: Connector, body: ConnectionCreate, field: str) -> Connection:
    _check_name_free(connector, body.name, _at(field, "name"))
    configs = _configs(connector)
    try:
        with transaction.atomic():
            connection = Connection.objects.create(
                connector=connector,
                name=body.name,
                variables=[variable.model_dump() for variable in body.variables],
            )
            for kind in KINDS:
                for position, item in enumerate(getattr(body.credentials, kind)):
                    item_at = _at(field, f"credentials.{kind}[{position}]")
                    config = _config(configs, item.authSchemeConfig, f"{item_at}.authSchemeConfig")
                    credential = _credential(connector, config, item, f"{item_at}.credential")
                    _link(connection, credential, kind, position, config)
    except IntegrityError:
        raise _name_taken(_at(field, "name")) from None
    return connection


def get_connection(
    request: HttpRequest, organisation_id: str, connector_id: str, connection_id: str
) -> dict:
    connection = connection_of(connector_of(organisation_id, connector_id), connection_id)
    return _connection(connection)


def update_connection(
    request: HttpRequest, organisation_id: str, connector_id: str, connection_id: str
) -> dict:
    connector = connector_of(organisation_id, connector_id)
    connection = connection_of(connector, connection_id)
    check_unmodified(request, connection.updated_at)
    body = parse_body(request, ConnectionUpdate)
    if body.id != connection.id:
        raise field_error("id", "must be the id of the connection in the path")
    if body.name != connection.name:
        _check_name_free(connector, body.name)
    changes = _planned_link_changes(connection, body, _configs(connector))
    variables = (
        connection.variables
        if body.variables is None
        else [variable.model_dump() for variable in body.variables]
    )
    try:
        with transaction.atomic():
            # Conditional on the row read above, so two concurrent edits cannot both win
            # (a plain row lock would do nothing on SQLite).
            claimed = Connection.objects.filter(
                pk=connection.pk, updated_at=connection.updated_at
            ).update(name=body.name, variables=variables, updated_at=timezone.now())
            if not claimed:
                raise ApiError(
                    412,
                    "precondition_failed",
                    "The connection was changed by someone else while saving; reload it.",
                )
            for link in changes.removed:
                link.delete()
            for link in changes.kept:
                link.save(update_fields=["position", "auth_scheme_config_id", "auth_scheme_config"])
            connector.touch()
    except IntegrityError:
        raise _name_taken() from None
    return _connection(connection_of(connector, connection_id))


def delete_connection(
    request: HttpRequest, organisation_id: str, connector_id: str, connection_id: str
):
    """412 while another product subscribes to the connection, unless `force=true`."""
    connector = connector_of(organisation_id, connector_id)
    connection = connection_of(connector, connection_id)
    force = query_flag(request, "force")
    subscribers = sorted(set(connection.subscriptions.values_list("subscriber", flat=True)))
    if subscribers and not force:
        raise ApiError(
            412,
            "connection_in_use",
            f"The connection is in use by {', '.join(subscribers)}; delete it with force=true "
            "only if those uses may break.",
        )
    with transaction.atomic():
        connection.delete()
        connector.touch()
    return no_content()


# --- helpers -------------------------------------------------------------------------------


def _connection(connection: Connection) -> dict:
    prefetch_related_objects([connection], *CONNECTION_RELATED, "connector__auth_scheme_configs")
    return serialise_connection(connection)


def _name_taken(field: str = "name") -> ApiError:
    return conflict("A connection with this name already exists for this connector.", field)


def _check_name_free(connector: Connector, name: str, field: str = "name") -> None:
    if connector.connections.filter(name=name).exists():
        raise _name_taken(field)


def _configs(connector: Connector) -> dict[str, AuthSchemeConfig]:
    return {config.config_id: config for config in connector.auth_scheme_configs.all()}


def _config(
    configs: dict[str, AuthSchemeConfig], ref: AuthSchemeConfigRef, field: str
) -> AuthSchemeConfig:
    config = configs.get(ref.id)
    if config is None:
        raise field_error(f"{field}.id", "is not an auth scheme config of this connector")
    if ref.schemeType != config.scheme_type:
        raise field_error(
            f"{field}.schemeType",
            f"must be '{config.scheme_type}', the scheme type of that auth scheme config",
        )
    return config


def _credential(
    connector: Connector, config: AuthSchemeConfig, item: ConnectionCredentialCreate, field: str
) -> Credential:
    """The credential a new link uses: an existing one (`{"id": ...}`) or one made inline."""
    raw = item.credential
    if "id" in raw and "type" not in raw:
        try:
            credential = credential_of(connector.organisation_id, raw["id"])
        except ApiError:
            raise field_error(f"{field}.id", "is not a credential of this organisation") from None
        _check_compatible(config, credential.type, f"{field}.id")
        return credential
    body = _parse_credential(config, raw, field)
    return new_credential(
        connector.organisation_id,
        name=body.name,
        type=body.type,
        data=body.data,
        expires_at=body.expiresAt,
        inline=True,
        field=field,
    )


def _parse_credential(config: AuthSchemeConfig, raw: dict, field: str) -> CredentialCreate:
    """An inline credential's body, of a type `config` takes."""
    try:
        body = CredentialCreate.model_validate(raw)
    except pydantic.ValidationError as error:
        raise credential_data.invalid(error, field, "The credential is not valid.") from None
    _check_compatible(config, body.type, f"{field}.type")
    return body


def _check_compatible(config: AuthSchemeConfig, credential_type: str, field: str) -> None:
    allowed = credential_data.TYPES_FOR_SCHEME[config.scheme_type]
    if credential_type not in allowed:
        raise field_error(
            field,
            f"a {config.scheme_type} auth scheme config takes credentials of type "
            f"{', '.join(allowed)}",
        )


def _link(
    connection: Connection,
    credential: Credential,
    kind: str,
    position: int,
    config: AuthSchemeConfig,
) -> ConnectionCredential:
    return ConnectionCredential.objects.create(
        connection=connection,
        credential=credential,
        kind=kind,
        position=position,
        auth_scheme_config_id=config.config_id,
        auth_scheme_config=auth_scheme_config(config),
    )


@dataclasses.dataclass
class _LinkChanges:
    kept: list[ConnectionCredential] = dataclasses.field(default_factory=list)
    removed: list[ConnectionCredential] = dataclasses.field(default_factory=list)


def _planned_link_changes(
    connection: Connection, body: ConnectionUpdate, configs: dict[str, AuthSchemeConfig]
) -> _LinkChanges:
    """Validate the update's credential lists against the connection's links, and say which
    links move (new position or auth scheme config) and which go."""
    changes = _LinkChanges()
    if body.credentials is None:
        return changes
    links = list(connection.connection_credentials.all())
    for kind in KINDS:
        items = getattr(body.credentials, kind)
        if items is None:
            continue
        current = {link.id: link for link in links if link.kind == kind}
        seen: set[str] = set()
        for position, item in enumerate(items):
            field = f"credentials.{kind}[{position}]"
            link = current.get(item.id)
            if link is None or item.id in seen:
                raise field_error(f"{field}.id", f"is not a {kind} credential of this connection")
            seen.add(item.id)
            link.position = position
            changes.kept.append(link)
            if item.authSchemeConfig.id == link.auth_scheme_config_id and (
                item.authSchemeConfig.id not in configs
            ):
                continue  # Its config was deleted since; the link keeps the copy it has.
            config = _config(configs, item.authSchemeConfig, f"{field}.authSchemeConfig")
            if config.scheme_type != link.auth_scheme_config.get("schemeType"):
                raise field_error(
                    f"{field}.authSchemeConfig.schemeType",
                    "cannot change; add a credential for the new scheme and remove this one",
                )
            link.auth_scheme_config_id = config.config_id
            link.auth_scheme_config = auth_scheme_config(config)
        changes.removed += [link for link_id, link in current.items() if link_id not in seen]
    return changes
