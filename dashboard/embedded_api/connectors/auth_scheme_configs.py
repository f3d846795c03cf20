"""UpsertAuthSchemeConfig and DeleteAuthSchemeConfig, and storing configs for connector create.

A config's client-made id is unique within its connector (a database constraint) and configs
keep the order they were added in (`position`), which UpdateConnector's
`authSchemeConfigIds` can change. The OAuth 2.0 client secret of an `authorization_code` or
`password` grant is never stored in the config: it goes into an `oauth2-client` credential of
the organisation, which the config references by `credentialId`/`organisationId`.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from ulid import ULID

from ..connections.credentials import new_credential, rotate
from ..errors import bad_request, conflict, field_error, not_found
from ..http import check_unmodified
from ..models import AuthSchemeConfig, Connector, Credential
from .catalogue import PROTOCOLS
from .lookup import own_connector, serialised
from .messages import refresh_validation_messages
from .schemas import AuthSchemeConfigIn, ClientGrant, OAuth2Config, parse


def upsert_auth_scheme_config(
    request: HttpRequest, organisation_id: str, connector_id: str, auth_scheme_config_id: str
) -> dict:
    """UpsertAuthSchemeConfig: replace the config with this id, or add it after the others."""
    body = parse(request, AuthSchemeConfigIn)
    if body.id != _canonical(auth_scheme_config_id):
        raise field_error("id", "must equal the auth scheme config id in the path")
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        # A form loaded before someone else changed the connector must not overwrite it.
        check_unmodified(request, connector.updated_at)
        check_supported(connector, [body], field="")
        config = connector.auth_scheme_configs.filter(config_id=body.id).first()
        if config is None:
            last = connector.auth_scheme_configs.aggregate(last=Max("position"))["last"]
            config = AuthSchemeConfig(connector=connector, position=(last or 0) + 1)
        previously_owned = config.owned_credential_id
        _fill(config, body, connector)
        try:
            with transaction.atomic():
                config.save()
        except IntegrityError:
            raise conflict("An auth scheme config with this id already exists.", "id") from None
        if previously_owned and previously_owned != config.owned_credential_id:
            drop_owned_credentials([previously_owned])
        refresh_validation_messages(connector)
        connector.touch()
    return serialised(connector)


def delete_auth_scheme_config(
    request: HttpRequest, organisation_id: str, connector_id: str, auth_scheme_config_id: str
) -> dict:
    """DeleteAuthSchemeConfig: remove the config. Connections made with it keep working (they
    hold a copy); a client credential the config created goes with it unless one uses it."""
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        config_id = _canonical(auth_scheme_config_id)
        config = config_id and connector.auth_scheme_configs.filter(config_id=config_id).first()
        if not config:
            raise not_found("auth scheme config")
        config.delete()
        if config.owned_credential_id:
            drop_owned_credentials([config.owned_credential_id])
        refresh_validation_messages(connector)
        connector.touch()
    return serialised(connector)


def add_auth_scheme_configs(connector: Connector, bodies: list) -> None:
    """Store the configs of a new connector, in the order given (ids already checked unique)."""
    check_supported(connector, bodies, field="authSchemeConfigs")
    configs = []
    for position, body in enumerate(bodies, start=1):
        config = AuthSchemeConfig(connector=connector, position=position)
        _fill(config, body, connector, field=f"authSchemeConfigs[{position - 1}]")
        configs.append(config)
    AuthSchemeConfig.objects.bulk_create(configs)
    refresh_validation_messages(connector)


def check_supported(connector: Connector, bodies: list, field: str) -> None:
    """400 for configs of a scheme the connector's protocol does not support."""
    supported = PROTOCOLS[connector.protocol].auth_schemes
    problems = [
        {
            "field": f"{field}[{i}].schemeType" if field else "schemeType",
            "message": f"{connector.protocol} connectors support: {', '.join(supported)}",
        }
        for i, body in enumerate(bodies)
        if body.scheme_type not in supported
    ]
    if problems:
        raise bad_request("The auth scheme is not supported by this protocol.", problems)


def drop_owned_credentials(credential_ids: list[str]) -> None:
    """Delete client credentials configs created, unless a connection still uses them."""
    Credential.objects.filter(pk__in=credential_ids, links__isnull=True).delete()


def _fill(config: AuthSchemeConfig, body, connector: Connector, field: str = "") -> None:
    config.config_id = body.id
    config.scheme_type = body.scheme_type
    config.description = body.description
    config.config = body.stored()
    previously_owned, config.owned_credential_id = config.owned_credential_id, ""
    if isinstance(body, OAuth2Config) and isinstance(body.grant, ClientGrant):
        prefix = f"{field}.grant" if field else "grant"
        config.config["grant"] = _client_credential(
            config, body, connector, prefix, previously_owned
        )


def _client_credential(
    config: AuthSchemeConfig,
    body: OAuth2Config,
    connector: Connector,
    field: str,
    previously_owned: str,
) -> dict:
    """Keep the grant's client ID and secret in a credential; return the grant to store.

    As the contract says: without `credentialId`/`organisationId` a credential is created;
    with them, that credential is updated (fields left out keep their value). The config
    owns (and deletes with itself) only a credential it created."""
    grant = body.grant
    secret = grant.client_secret.get_secret_value() if grant.client_secret else None
    client = {
        "authorizeUrl": body.authorize_url,
        "tokenUrl": body.token_url,
        "additionalParams": body.additional_token_params,
    }
    if grant.credential_id is None:
        if grant.client_id is None and secret is None:
            return {"grantType": grant.grant_type}  # Each connection brings its own client.
        if not grant.client_id or not secret:
            raise field_error(
                f"{field}.clientSecret" if grant.client_id else f"{field}.clientId",
                "give both clientId and clientSecret to store the OAuth 2.0 client",
            )
        credential = new_credential(
            connector.organisation_id,
            name=f"{connector.name}: {body.description or body.id} (OAuth 2.0 client)"[:200],
            type=Credential.Type.OAUTH2_CLIENT,
            data={"clientId": grant.client_id, "clientSecret": secret, **client},
            field=field,
        )
        config.owned_credential_id = credential.pk
    else:
        credential = _referenced_client(grant, connector, field)
        if credential.organisation_id == connector.organisation_id:
            changes = {"clientId": grant.client_id, "clientSecret": secret}
            data = {**credential.public_data, **client}
            data.update({name: value for name, value in changes.items() if value})
            credential = rotate(
                credential, name=credential.name, data=data, expires_at=credential.expires_at
            )
        elif grant.client_id is not None or secret is not None:
            raise field_error(
                f"{field}.credentialId",
                "a library credential cannot be changed; leave out clientId and clientSecret "
                "to use it as it is",
            )
        if credential.pk == previously_owned:
            config.owned_credential_id = previously_owned
    return {
        "grantType": grant.grant_type,
        "credentialId": credential.pk,
        "organisationId": credential.organisation_id,
        "clientId": credential.public_data.get("clientId", ""),
    }


def _referenced_client(grant: ClientGrant, connector: Connector, field: str) -> Credential:
    """The oauth2-client credential a grant names: one of the connector's organisation, or
    one a public (library) connector's config owns. Anything else does not exist here."""
    credential = Credential.objects.filter(
        pk=grant.credential_id,
        organisation_id=grant.organisation_id,
        type=Credential.Type.OAUTH2_CLIENT,
    ).first()
    visible = credential is not None and (
        credential.organisation_id == connector.organisation_id
        or AuthSchemeConfig.objects.filter(
            owned_credential_id=credential.pk, connector__public=True
        ).exists()
    )
    if not visible:
        raise field_error(f"{field}.credentialId", "is not an oauth2-client credential you can use")
    return credential


def _canonical(raw: str) -> str | None:
    """A config id from the path as stored (a canonical ULID); None if it is not a ULID."""
    try:
        return str(ULID.from_str(raw))
    except ValueError:
        return None
