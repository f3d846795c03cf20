"""The client against the embedded API over real HTTP: connections, organisation credentials
(rotation) and the start of the OAuth 2.0 flow."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from ulid import ULID

from dashboard.connect import PreconditionFailed
from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigOAuth2,
    ConnectionCreate,
    ConnectionCredentialCreate,
    ConnectionCredentialsCreate,
    ConnectionCredentialsUpdate,
    ConnectionCredentialUpdate,
    ConnectionUpdate,
    ConnectionVariable,
    CredentialCreate,
    CredentialDataBasicAuth,
    CredentialDataOAuth2Client,
    CredentialDataString,
    CredentialRef,
    CredentialUpdate,
    HTTPConnectorCreate,
    InitialiseOAuth2ConnectionRequest,
    InitialiseOAuth2Credential,
    OAuth2GrantAuthorizationCode,
)

SECRET = "sk_live_FIRST_SECRET"
ROTATED = "sk_live_ROTATED_SECRET"


@pytest.fixture
def connector(live):
    config = AuthSchemeConfigAPIKey(id=str(ULID()), description="Key", name="X-Key", in_="header")
    return live.connectors.create_http(
        HTTPConnectorCreate(
            name="Stripe", base_url="https://api.example.com", auth_scheme_configs=[config]
        )
    )


def _new_connection(live, connector, name="Production", secret=SECRET):
    return live.connections.create(
        connector.id,
        ConnectionCreate(
            name=name,
            variables=[ConnectionVariable(name="region", value="eu")],
            credentials=ConnectionCredentialsCreate(
                action=[
                    ConnectionCredentialCreate(
                        auth_scheme_config=connector.auth_scheme_configs[0],
                        credential=CredentialCreate(
                            name=f"{name} key",
                            type="string",
                            data=CredentialDataString(value=secret),
                            expires_at=datetime(2030, 1, 1, tzinfo=UTC),
                        ),
                    )
                ]
            ),
        ),
    )


def test_a_connection_is_created_with_its_credential_and_listed(live, connector):
    connection = _new_connection(live, connector)

    page = live.connections.list(connector.id)
    fetched = live.connections.get(connector.id, connection.id)

    assert [c.name for c in page] == ["Production"]
    [link] = fetched.credentials.action
    assert link.auth_scheme_config.scheme_type == "api-key"
    assert (link.credential.type, link.credential.name) == ("string", "Production key")
    assert link.credential.expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    # Write-only: whatever the API returns in place of the secret, it is not the secret.
    value = link.credential.data.value
    assert value is None or value.get_secret_value() != SECRET
    assert SECRET not in fetched.model_dump_json()


def test_a_connection_is_renamed_and_its_variables_replaced(live, connector):
    connection = _new_connection(live, connector)

    updated = live.connections.update(
        connector.id,
        ConnectionUpdate(
            id=connection.id,
            name="Live",
            variables=[ConnectionVariable(name="region", value="us")],
        ),
        if_unmodified_since=connection.updated_at,
    )

    assert updated.name == "Live"
    assert updated.variables == [ConnectionVariable(name="region", value="us")]
    assert len(updated.credentials.action) == 1  # credentials left as they were


def test_a_stale_connection_edit_is_refused(live, connector):
    connection = _new_connection(live, connector)
    live.connections.update(connector.id, ConnectionUpdate(id=connection.id, name="Someone else"))

    with pytest.raises(PreconditionFailed):
        live.connections.update(
            connector.id,
            ConnectionUpdate(id=connection.id, name="Mine"),
            if_unmodified_since=connection.updated_at,
        )

    assert live.connections.get(connector.id, connection.id).name == "Someone else"


def test_a_connections_credentials_are_reordered_and_dropped(live, connector):
    connection = _new_connection(live, connector)
    [link] = connection.credentials.action

    kept = live.connections.update(
        connector.id,
        ConnectionUpdate(
            id=connection.id,
            name=connection.name,
            credentials=ConnectionCredentialsUpdate(
                action=[
                    ConnectionCredentialUpdate(
                        id=link.id, auth_scheme_config=connector.auth_scheme_configs[0]
                    )
                ]
            ),
        ),
    )
    dropped = live.connections.update(
        connector.id,
        ConnectionUpdate(
            id=connection.id,
            name=connection.name,
            credentials=ConnectionCredentialsUpdate(action=[]),
        ),
    )

    assert [c.id for c in kept.credentials.action] == [link.id]
    assert dropped.credentials.action == []


def test_credentials_are_listed_with_usages_and_filtered(live, connector):
    _new_connection(live, connector, name="Production")
    basic = AuthSchemeConfigBasicAuth(id=str(ULID()), description="Basic")
    live.auth_scheme_configs.upsert(connector.id, basic)
    live.connections.create(
        connector.id,
        ConnectionCreate(
            name="Staging",
            credentials=ConnectionCredentialsCreate(
                action=[
                    ConnectionCredentialCreate(
                        auth_scheme_config=basic,
                        credential=CredentialCreate(
                            name="Basic",
                            type="basic-auth",
                            data=CredentialDataBasicAuth(username="u", password="p-secret"),
                        ),
                    )
                ]
            ),
        ),
    )

    everything = live.credentials.list()
    strings = live.credentials.list(type=["string"])
    expiring = live.credentials.list(expires_before=datetime(2031, 1, 1, tzinfo=UTC))
    with_errors = live.credentials.list(has_errors=True)

    assert sorted(c.name for c in everything) == ["Basic", "Production key"]
    assert [c.name for c in strings] == ["Production key"]
    assert [c.name for c in expiring] == ["Production key"]
    assert list(with_errors) == []
    [usage] = strings.items[0].usages
    assert (usage.connection.name, usage.connection.connector.name) == ("Production", "Stripe")


def test_a_credential_is_rotated_and_a_stale_rotation_refused(live, connector):
    connection = _new_connection(live, connector)
    credential_id = connection.credentials.action[0].credential.id
    loaded = live.credentials.get(credential_id)
    rotation = CredentialUpdate(
        id=credential_id,
        name=loaded.name,
        type="string",
        data=CredentialDataString(value=ROTATED),
        expires_at=datetime(2031, 6, 1, tzinfo=UTC),
    )

    rotated = live.credentials.update(rotation, if_unmodified_since=loaded.updated_at)

    assert rotated.expires_at == datetime(2031, 6, 1, tzinfo=UTC)
    assert rotated.updated_at > loaded.updated_at
    assert ROTATED not in rotated.model_dump_json()
    with pytest.raises(PreconditionFailed):
        live.credentials.update(rotation, if_unmodified_since=loaded.updated_at)


def test_an_existing_credential_can_be_linked_to_a_new_connection(live, connector):
    first = _new_connection(live, connector)
    credential_id = first.credentials.action[0].credential.id

    second = live.connections.create(
        connector.id,
        ConnectionCreate(
            name="Shared",
            credentials=ConnectionCredentialsCreate(
                action=[
                    ConnectionCredentialCreate(
                        auth_scheme_config=connector.auth_scheme_configs[0],
                        credential=CredentialRef(id=credential_id),
                    )
                ]
            ),
        ),
    )

    assert second.credentials.action[0].credential.id == credential_id
    assert len(live.credentials.get(credential_id).usages) == 2


def test_a_credential_in_use_needs_force_to_delete(live, connector):
    connection = _new_connection(live, connector)
    credential_id = connection.credentials.action[0].credential.id

    with pytest.raises(PreconditionFailed):
        live.credentials.delete(credential_id)
    live.credentials.delete(credential_id, force=True)

    assert live.connections.get(connector.id, connection.id).credentials.action == []


def test_a_connection_is_deleted(live, connector):
    connection = _new_connection(live, connector)

    live.connections.delete(connector.id, connection.id)

    assert list(live.connections.list(connector.id)) == []


def test_initialising_oauth2_returns_the_providers_url_with_state(live):
    config = AuthSchemeConfigOAuth2(
        id=str(ULID()),
        description="OAuth",
        authorize_url="https://auth.example.com/authorize",
        token_url="https://auth.example.com/token",
        default_scopes=["read"],
        grant=OAuth2GrantAuthorizationCode(client_id="client-1", client_secret="shh"),
    )
    connector = live.connectors.create_http(
        HTTPConnectorCreate(
            name="OAuth app", base_url="https://api.example.com", auth_scheme_configs=[config]
        )
    )
    connection = live.connections.create(
        connector.id,
        ConnectionCreate(
            name="Production",
            credentials=ConnectionCredentialsCreate(
                action=[
                    ConnectionCredentialCreate(
                        auth_scheme_config=connector.auth_scheme_configs[0],
                        credential=CredentialCreate(
                            name="Client",
                            type="oauth2-client",
                            data=CredentialDataOAuth2Client(
                                client_id="client-1",
                                client_secret="shh",
                                authorize_url="https://auth.example.com/authorize",
                                token_url="https://auth.example.com/token",
                            ),
                        ),
                    )
                ]
            ),
        ),
    )
    credential = connection.credentials.action[0].credential

    url = live.connections.initialise_oauth2(
        connector.id,
        InitialiseOAuth2ConnectionRequest(
            credential=InitialiseOAuth2Credential(
                id=credential.id, organisation_id=live.organisation_id
            ),
            authorize_url="https://auth.example.com/authorize",
            client_id="client-1",
            scopes=["read"],
            connection_id=connection.id,
        ),
    )

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://auth.example.com/authorize"
    assert query["client_id"] == ["client-1"]
    assert query["response_type"] == ["code"]
    assert "read" in query["scope"][0] and "offline_access" in query["scope"][0]
    assert query["state"][0]


def test_credential_times_are_timezone_aware(live, connector):
    connection = _new_connection(live, connector)

    credential = live.credentials.get(connection.credentials.action[0].credential.id)

    assert credential.created_at.utcoffset() == timedelta(0)
