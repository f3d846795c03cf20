"""Auth scheme configs: how a connector authenticates, one model per scheme type."""

from typing import Annotated, Literal

from pydantic import Field, Tag

from ._base import ApiModel, Message, Secret, discriminated


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
    discriminated(
        "schemeType",
        "scheme_type",
        {"none", "api-key", "basic-auth", "oauth2", "hmac", "certificate"},
    ),
]
