"""Typed mirrors of the Connect API's schemas (connect-api-v1.yaml; credentials from v1alpha1).

Python names are snake_case; on the wire they are the contract's camelCase (explicit aliases
where the contract is irregular, e.g. `documentationURL`). The models are tolerant readers:
unknown fields are kept (`extra="allow"`), fields the contract leaves optional default to
empty, and collections a server might leave out of a summary default to empty lists. Only
what identifies a resource is required, so a response without it is a `MalformedResponse`.

Secrets (credential data, OAuth client secrets) are `SecretStr`: they print as `**********`
in templates, logs and tracebacks, and only `to_api()` reveals them, to send them.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    SecretStr,
    SerializeAsAny,
    Tag,
    model_validator,
)
from pydantic.alias_generators import to_camel

Secret = Annotated[
    SecretStr, PlainSerializer(lambda value: value.get_secret_value(), when_used="json")
]


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )

    def to_api(self, *, exclude_none: bool = True) -> dict[str, Any]:
        """The JSON body for a request: camelCase keys, secrets revealed, None left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=exclude_none)


def _discriminated(field: str, attr: str, known: set[str]) -> Discriminator:
    """Pick a union member by `field`; values the contract does not list fall back to the
    member tagged "other", so a newer server does not break reading."""

    def tag(value: Any) -> str:
        if isinstance(value, dict):
            found = value.get(field, value.get(attr))
        else:
            found = getattr(value, attr, None)
        return found if found in known else "other"

    return Discriminator(tag)


# --- Shared --------------------------------------------------------------------------------


class Message(ApiModel):
    """A message about the preceding request, e.g. an import warning with its location."""

    text: str
    severity: str = "info"  # info | warning | error
    detail: list[str] = []


class ConnectionVariable(ApiModel):
    name: str
    value: str = ""


Tags = dict[str, list[str]]


# --- Auth scheme configs ---------------------------------------------------------------------


class AuthSchemeConfigBase(ApiModel):
    id: str
    description: str = ""
    # Read-only: filled in by the API, never sent back.
    validation_messages: list[Message] = Field(default=[], exclude=True)
    scheme_type: str


class AuthSchemeConfigNone(AuthSchemeConfigBase):
    scheme_type: Literal["none"] = "none"


class AuthSchemeConfigAPIKey(AuthSchemeConfigBase):
    scheme_type: Literal["api-key"] = "api-key"
    name: str
    in_: str = Field(alias="in")  # query | header | cookie


class AuthSchemeConfigBasicAuth(AuthSchemeConfigBase):
    scheme_type: Literal["basic-auth"] = "basic-auth"


class OAuth2Scope(ApiModel):
    name: str
    description: str = ""


class OAuth2GrantAuthorizationCode(ApiModel):
    grant_type: Literal["authorization_code"] = "authorization_code"
    credential_id: str | None = None
    organisation_id: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None


class OAuth2GrantClientCredentials(ApiModel):
    grant_type: Literal["client_credentials"] = "client_credentials"


class OAuth2GrantPassword(ApiModel):
    grant_type: Literal["password"] = "password"
    credential_id: str | None = None
    organisation_id: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None


OAuth2Grant = Annotated[
    OAuth2GrantAuthorizationCode | OAuth2GrantClientCredentials | OAuth2GrantPassword,
    Field(discriminator="grant_type"),
]


class AuthSchemeConfigOAuth2(AuthSchemeConfigBase):
    scheme_type: Literal["oauth2"] = "oauth2"
    authorize_url: str = ""
    token_url: str = ""
    scopes: list[OAuth2Scope] = []
    default_scopes: list[str] = []
    additional_authorize_params: str = ""
    additional_token_params: str = ""
    mtls_enabled: bool = False
    mtls_credential_id: str | None = None
    grant: OAuth2Grant


class AuthSchemeConfigHMAC(AuthSchemeConfigBase):
    scheme_type: Literal["hmac"] = "hmac"
    name: str
    in_: str = Field(alias="in")  # query | header | cookie
    algorithm: str  # sha1 | sha256 | sha512
    digest_inputs: list[str] = []  # ordered: body | url


class AuthSchemeConfigCertificate(AuthSchemeConfigBase):
    scheme_type: Literal["certificate"] = "certificate"


AuthSchemeConfig = Annotated[
    Annotated[AuthSchemeConfigNone, Tag("none")]
    | Annotated[AuthSchemeConfigAPIKey, Tag("api-key")]
    | Annotated[AuthSchemeConfigBasicAuth, Tag("basic-auth")]
    | Annotated[AuthSchemeConfigOAuth2, Tag("oauth2")]
    | Annotated[AuthSchemeConfigHMAC, Tag("hmac")]
    | Annotated[AuthSchemeConfigCertificate, Tag("certificate")]
    | Annotated[AuthSchemeConfigBase, Tag("other")],
    _discriminated(
        "schemeType",
        "scheme_type",
        {"none", "api-key", "basic-auth", "oauth2", "hmac", "certificate"},
    ),
]


# --- Credentials ---------------------------------------------------------------------------


class CredentialData(ApiModel):
    """Credential data of a type this client does not model (or `none`)."""


class CredentialDataString(CredentialData):
    value: Secret | None = None


class CredentialDataBinary(CredentialData):
    value_base64: Secret | None = None


class CredentialDataBasicAuth(CredentialData):
    username: str = ""
    password: Secret | None = None


class CredentialDataOAuth2Client(CredentialData):
    client_id: str = ""
    client_secret: Secret | None = None
    authorize_url: str = ""
    token_url: str = ""
    scopes: list[str] = []
    additional_params: str = ""
    mtls_enabled: bool = Field(False, alias="mTLSEnabled")
    mtls_credential_id: str = Field("", alias="mTLSCredentialId")


class CredentialDataOAuth2Code(CredentialData):
    code: Secret | None = None
    state: str = ""


class CredentialDataOAuth2Token(CredentialData):
    scopes: list[str] = []
    access_token: Secret | None = None
    refresh_token: Secret | None = None


class CredentialDataOAuth2Password(CredentialData):
    username: str = ""
    password: Secret | None = None


class CredentialDataCertificate(CredentialData):
    certificate: str = ""
    key: Secret | None = None
    ca: str = ""


# The contract's `data` is a oneOf without a discriminator; the credential's `type` decides.
CREDENTIAL_DATA_BY_TYPE: dict[str, type[CredentialData]] = {
    "none": CredentialData,
    "string": CredentialDataString,
    "binary": CredentialDataBinary,
    "basic-auth": CredentialDataBasicAuth,
    "oauth2-client": CredentialDataOAuth2Client,
    "oauth2-code": CredentialDataOAuth2Code,
    "oauth2-token": CredentialDataOAuth2Token,
    "oauth2-password": CredentialDataOAuth2Password,
    "certificate": CredentialDataCertificate,
}


class _TypedCredentialData(ApiModel):
    type: str
    data: SerializeAsAny[CredentialData] = CredentialData()

    @model_validator(mode="before")
    @classmethod
    def _data_for_type(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("data"), dict):
            model = CREDENTIAL_DATA_BY_TYPE.get(value.get("type"), CredentialData)
            value = {**value, "data": model.model_validate(value["data"])}
        return value


class ConnectorSummary(ApiModel):
    id: str
    organisation_id: str = ""
    name: str
    protocol: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CredentialUsageConnection(ApiModel):
    id: str
    name: str
    connector: ConnectorSummary | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CredentialUsage(ApiModel):
    connection: CredentialUsageConnection | None = None


class Credential(_TypedCredentialData):
    """A credential; `data` is redacted by the API. `usages` None means "not loaded"."""

    id: str
    organisation_id: str = ""
    name: str
    usages: list[CredentialUsage] | None = None
    errors: list[str] | None = None
    expires_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CredentialSummary(ApiModel):
    """An item of ListCredentials (v1alpha1): no data, with the connections using it."""

    id: str
    type: str
    name: str
    auth_scheme_type: str = ""
    usages: list[CredentialUsage] | None = None
    errors: list[str] | None = None
    expires_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CredentialCreate(_TypedCredentialData):
    name: str
    expires_at: datetime | None = None


class CredentialRef(ApiModel):
    """An existing credential of the organisation, to link to a new connection instead of
    creating one (v1alpha1's InferredReference)."""

    id: str


class CredentialUpdate(_TypedCredentialData):
    """The UpdateCredential body: the new secret data (and optionally name and expiry)."""

    id: str
    name: str
    expires_at: datetime | None = None


# --- Connections ---------------------------------------------------------------------------


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


# --- Versions ------------------------------------------------------------------------------


class ConnectorVersion(ApiModel):
    id: str
    name: str
    description: str = ""
    is_latest: bool = False
    is_default: bool = False
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    messages: list[Message] = []

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# --- Connectors ----------------------------------------------------------------------------


class ConnectorBase(ApiModel):
    """Fields every connector has, whatever its protocol."""

    id: str
    organisation_id: str
    name: str
    protocol: str
    public: bool = False
    documentation_url: str = Field("", alias="documentationURL")
    image_url: str = Field("", alias="imageURL")
    tags: Tags = {}
    # Not in the v1 Connector schema, but set by UpdateConnectorCategories and filtered on.
    categories: list[str] = []
    auth_scheme_configs: list[AuthSchemeConfig] = []
    connection_variables: list[ConnectionVariable] = []
    connections: list[Connection] = []
    versions: list[ConnectorVersion] = []
    created_at: datetime
    updated_at: datetime


class HTTPConnector(ConnectorBase):
    protocol: Literal["http"] = "http"
    base_url: str = ""


class BigQueryConnector(ConnectorBase):
    protocol: Literal["bigquery"] = "bigquery"
    dataset_id: str = ""


Connector = Annotated[
    Annotated[HTTPConnector, Tag("http")]
    | Annotated[BigQueryConnector, Tag("bigquery")]
    | Annotated[ConnectorBase, Tag("other")],
    _discriminated("protocol", "protocol", {"http", "bigquery"}),
]


class HTTPConnectorCreate(ApiModel):
    name: str
    base_url: str
    connection_variables: list[ConnectionVariable] = []
    auth_scheme_configs: list[AuthSchemeConfig] = []
    tags: Tags = {}
    public: bool = False


class HTTPConnectorUpdate(ApiModel):
    """The UpdateConnector body for an HTTP connector. Fields left out are unset by the API;
    `auth_scheme_config_ids` (a reordering) and `connection_variables` are left alone when None.
    """

    id: str
    organisation_id: str
    name: str
    protocol: Literal["http"] = "http"
    base_url: str
    tags: Tags | None = None
    public: bool = False
    documentation_url: str = Field("", alias="documentationURL")
    image_url: str = Field("", alias="imageURL")
    auth_scheme_config_ids: list[str] | None = None
    connection_variables: list[ConnectionVariable] | None = None


# --- Definitions, actions, triggers --------------------------------------------------------


class DefinitionReference(ApiModel):
    type: str  # definition | action | trigger
    id: str
    name: str


class Definition(ApiModel):
    id: str
    name: str
    accept: list[str] = []
    description: str = ""
    url: str = ""
    referenced_by: list[DefinitionReference] = []


class InlineSchema(ApiModel):
    content_type: str = "application/schema+json"
    content: str


class DefinitionCreate(ApiModel):
    """One definition of a CreateDefinitions body; `$ref: "#/$defs/<name>"` may point at
    another definition of the same request."""

    name: str
    accept: list[str] = ["application/json"]
    description: str = ""
    schema_: InlineSchema = Field(alias="schema")


class DefinitionUpdate(ApiModel):
    id: str
    name: str
    accept: list[str] = ["application/json"]
    description: str = ""
    schema_: InlineSchema | None = Field(None, alias="schema")


class ItemError(ApiModel):
    """An ActionError/TriggerError: a problem found when validating the item."""

    field: str = ""
    message: str
    severity: str = "error"  # error | warning


class HTTPParameter(ApiModel):
    name: str
    in_: str = Field(alias="in")  # cookie | header | path (actions only) | query
    required: bool = False
    type: str = "string"  # string | number | integer | boolean
    default: Any = None


class DefinitionLink(ApiModel):
    """An ActionDefinition/TriggerDefinition: a definition used by a body or response."""

    id: str
    definition: Definition


class HTTPRequestBody(ApiModel):
    required: bool = False
    definitions: list[DefinitionLink] = []


class HTTPResponse(ApiModel):
    id: str
    status: int | None = None  # None: the default response
    definitions: list[DefinitionLink] = []


class Action(ApiModel):
    """An HTTP action (the only action type the contract defines)."""

    id: str
    type: str = "http"
    name: str
    summary: str = ""
    description: str = ""
    errors: list[ItemError] | None = None  # None: not validated yet
    method: str = ""
    path: str = ""
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBody | None = None
    responses: list[HTTPResponse] = []


class Trigger(ApiModel):
    """An HTTP trigger (a webhook the platform receives)."""

    id: str
    type: str = "http"
    name: str
    summary: str = ""
    description: str = ""
    errors: list[ItemError] | None = None
    method: str = ""
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBody | None = None
    responses: list[HTTPResponse] = []


class DefinitionRef(ApiModel):
    """A reference to an existing definition by id or by name (set one)."""

    id: str | None = None
    name: str | None = None


class DefinitionLinkCreate(ApiModel):
    definition: DefinitionRef


class HTTPRequestBodyCreate(ApiModel):
    required: bool = False
    definitions: list[DefinitionLinkCreate] = []


class HTTPResponseCreate(ApiModel):
    status: int | None = None
    definitions: list[DefinitionLinkCreate] = []


class ActionCreate(ApiModel):
    type: Literal["http"] = "http"
    name: str
    summary: str = ""
    description: str = ""
    method: str
    path: str
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBodyCreate | None = None
    responses: list[HTTPResponseCreate] = []


class TriggerCreate(ApiModel):
    type: Literal["http"] = "http"
    name: str
    summary: str = ""
    description: str = ""
    method: str
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBodyCreate | None = None
    responses: list[HTTPResponseCreate] = []


# --- Protocols and imports -----------------------------------------------------------------


class Protocol(ApiModel):
    id: str
    slug: str
    name: str
    description: str = ""
    icon_url: str = Field("", alias="iconURL")


class AuthScheme(ApiModel):
    id: str
    type: str
    name: str
    description: str = ""


class ImportHTTPConnectorResult(ApiModel):
    """What an OpenAPI import created, and the importer's messages."""

    connector: Connector
    definitions: list[Definition] = []
    actions: list[Action] = []
    triggers: list[Trigger] = []
    messages: list[Message] = []
