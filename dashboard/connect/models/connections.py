"""A connector's connections: their credentials, variables, and the OAuth 2.0 start."""

from datetime import datetime

from ._base import ApiModel, ConnectionVariable
from .auth_schemes import AuthSchemeConfig
from .credentials import Credential, CredentialCreate, CredentialRef


class ConnectionCredential(ApiModel):
    id: str
    auth_scheme_config: AuthSchemeConfig
    credential: Credential


class ConnectionCredentials(ApiModel):
    action: list[ConnectionCredential] = []
    trigger: list[ConnectionCredential] = []


class Connection(ApiModel):
    id: str
    name: str
    credentials: ConnectionCredentials = ConnectionCredentials()
    variables: list[ConnectionVariable] = []
    created_at: datetime
    updated_at: datetime


class ConnectionSummary(ApiModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime


class ConnectionCredentialCreate(ApiModel):
    auth_scheme_config: AuthSchemeConfig
    credential: CredentialCreate | CredentialRef


class ConnectionCredentialsCreate(ApiModel):
    action: list[ConnectionCredentialCreate] = []
    trigger: list[ConnectionCredentialCreate] = []


class ConnectionCreate(ApiModel):
    name: str
    credentials: ConnectionCredentialsCreate = ConnectionCredentialsCreate()
    variables: list[ConnectionVariable] = []


class ConnectionCredentialUpdate(ApiModel):
    id: str
    auth_scheme_config: AuthSchemeConfig


class ConnectionCredentialsUpdate(ApiModel):
    """The links to keep, in their new order; a list left None is left as it is, and a link
    missing from a given list is removed."""

    action: list[ConnectionCredentialUpdate] | None = None
    trigger: list[ConnectionCredentialUpdate] | None = None


class ConnectionUpdate(ApiModel):
    """Rename, replace variables (None leaves them), reorder or re-point credentials."""

    id: str
    name: str
    credentials: ConnectionCredentialsUpdate | None = None
    variables: list[ConnectionVariable] | None = None


class InitialiseOAuth2Credential(ApiModel):
    id: str
    organisation_id: str


class InitialiseOAuth2ConnectionRequest(ApiModel):
    """The contract's request, plus three fields the embedded API uses to finish the flow in
    its callback (a remote platform ignores them): the connection that receives the token,
    the auth scheme config whose token URL to use, and the same-site path to return to."""

    credential: InitialiseOAuth2Credential
    authorize_url: str
    client_id: str
    scopes: list[str] = []
    disable_offline_access: bool = False
    prompt: str | None = None
    additional_params: str = ""
    connection_id: str | None = None
    auth_scheme_config_id: str | None = None
    return_url: str | None = None
