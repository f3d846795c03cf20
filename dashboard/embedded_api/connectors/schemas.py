"""Request bodies of the connector operations, as pydantic models mirroring the contract.

Field names are the contract's (camelCase) through aliases. Polymorphic bodies are tagged
unions (`schemeType`, `grantType`, `protocol`); `parse` reports errors by field path without
the union tags pydantic inserts, so a client reads `authSchemeConfigs[0].name`.
"""

import re
from typing import Annotated, Literal

import pydantic
from django.http import HttpRequest
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, StringConstraints
from pydantic.alias_generators import to_camel
from ulid import ULID

from ...openapi.limits import allowed_url
from ..errors import bad_request
from ..http import json_body
from .catalogue import CATEGORIES

MAX_TAG_KEYS = 50
MAX_TAG_VALUES = 50


class Body(BaseModel):
    # strict: JSON types only (no "true" for a boolean); unknown fields are ignored, as the
    # contract's schemas allow them (e.g. `validationMessages`, which the API computes).
    model_config = ConfigDict(strict=True, extra="ignore", alias_generator=to_camel)


def _text(max_length: int, min_length: int = 1):
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)
    ]


def _uri(value: str) -> str:
    if not allowed_url(value):
        raise ValueError("must be an absolute http or https URL")
    return value


def _base_url(value: str) -> str:
    # Relative is allowed: an imported server URL may be, until it is set by hand.
    if not allowed_url(value, relative=True):
        raise ValueError("must be an http or https URL")
    return value


def _uri_or_empty(value: str) -> str:
    return _uri(value) if value else value


def _ulid(value: str) -> str:
    try:
        return str(ULID.from_str(value))
    except ValueError:
        raise ValueError("must be a ULID (26 characters of Crockford base32)") from None


def _tag_key(value: str) -> str:
    if ":" in value or "," in value:
        raise ValueError("a tag key cannot contain ':' or ',' (they separate tags in filters)")
    return value


def _tag_value(value: str) -> str:
    if "," in value:
        raise ValueError("a tag value cannot contain ',' (it separates tags in filters)")
    return value


Name = _text(200)
Ulid = Annotated[str, StringConstraints(max_length=26), AfterValidator(_ulid)]
ShortText = _text(200)
Uri = Annotated[_text(2000), AfterValidator(_uri)]
OptionalUri = _text(2000, min_length=0)
TagKey = Annotated[_text(100), AfterValidator(_tag_key)]
TagValue = Annotated[_text(200), AfterValidator(_tag_value)]


def _tags(value: dict[str, list[str]]) -> dict[str, list[str]]:
    if len(value) > MAX_TAG_KEYS:
        raise ValueError(f"at most {MAX_TAG_KEYS} tag keys")
    # Repeated values mean nothing for a filter; keep the first of each, in order.
    return {key: list(dict.fromkeys(values)) for key, values in value.items()}


Tags = Annotated[
    dict[TagKey, Annotated[list[TagValue], Field(max_length=MAX_TAG_VALUES)]],
    AfterValidator(_tags),
]
Category = Literal[CATEGORIES]


class ConnectionVariable(Body):
    name: ShortText
    value: Annotated[str, StringConstraints(max_length=10_000)]


def _unique_names(variables: list[ConnectionVariable]) -> list[ConnectionVariable]:
    names = [variable.name for variable in variables]
    if duplicates := sorted({name for name in names if names.count(name) > 1}):
        raise ValueError(f"variable names must be unique; repeated: {', '.join(duplicates)}")
    return variables


ConnectionVariables = Annotated[
    list[ConnectionVariable], Field(max_length=200), AfterValidator(_unique_names)
]

# --- Auth scheme configs ---------------------------------------------------------------------

In = Literal["query", "header", "cookie"]


class AuthSchemeConfigBase(Body):
    # Made by the client; unique among the connector's configs.
    id: Ulid
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]

    def stored(self) -> dict:
        """The scheme-specific fields to keep, in the contract's names (no secrets)."""
        return self.model_dump(
            by_alias=True, exclude={"id", "description", "scheme_type"}, exclude_none=True
        )


class NoneConfig(AuthSchemeConfigBase):
    scheme_type: Literal["none"]


class APIKeyConfig(AuthSchemeConfigBase):
    scheme_type: Literal["api-key"]
    name: ShortText
    in_: In = Field(alias="in")


class BasicAuthConfig(AuthSchemeConfigBase):
    scheme_type: Literal["basic-auth"]


class CertificateConfig(AuthSchemeConfigBase):
    scheme_type: Literal["certificate"]


class HMACConfig(AuthSchemeConfigBase):
    scheme_type: Literal["hmac"]
    name: ShortText
    in_: In = Field(alias="in")
    algorithm: Literal["sha1", "sha256", "sha512"]
    digest_inputs: Annotated[list[Literal["body", "url"]], Field(max_length=2)]


class OAuth2Scope(Body):
    name: ShortText
    description: Annotated[str, StringConstraints(max_length=1000)] = ""


class ClientGrant(Body):
    """A grant whose client ID and secret belong to the connector (kept in a credential)."""

    credential_id: Ulid | None = None
    organisation_id: Ulid | None = None
    client_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = (
        None
    )
    client_secret: SecretStr | None = None

    @pydantic.model_validator(mode="after")
    def _credential_reference_is_whole(self):
        if (self.credential_id is None) != (self.organisation_id is None):
            raise ValueError("give both credentialId and organisationId, or neither")
        return self


class AuthorizationCodeGrant(ClientGrant):
    grant_type: Literal["authorization_code"]


class PasswordGrant(ClientGrant):
    grant_type: Literal["password"]


class ClientCredentialsGrant(Body):
    grant_type: Literal["client_credentials"]


Grant = Annotated[
    AuthorizationCodeGrant | ClientCredentialsGrant | PasswordGrant,
    Field(discriminator="grant_type"),
]


class OAuth2Config(AuthSchemeConfigBase):
    scheme_type: Literal["oauth2"]
    # Empty is allowed where no user is redirected (client credentials, password grants).
    authorize_url: Annotated[OptionalUri, AfterValidator(_uri_or_empty)]
    token_url: Uri
    scopes: Annotated[list[OAuth2Scope], Field(max_length=500)]
    default_scopes: Annotated[list[ShortText], Field(max_length=500)]
    additional_authorize_params: Annotated[str, StringConstraints(max_length=2000)] = ""
    additional_token_params: Annotated[str, StringConstraints(max_length=2000)] = ""
    mtls_enabled: bool = Field(False, alias="mtlsEnabled")
    mtls_credential_id: str | None = Field(None, alias="mtlsCredentialId")
    grant: Grant

    @pydantic.model_validator(mode="after")
    def _authorize_url_for_code_grant(self):
        if self.grant.grant_type == "authorization_code" and not self.authorize_url:
            raise ValueError("authorizeUrl is required for the authorization_code grant")
        return self

    def stored(self) -> dict:
        return self.model_dump(
            by_alias=True,
            exclude={
                "id": True,
                "description": True,
                "scheme_type": True,
                "grant": {"client_secret"},
            },
            exclude_none=True,
        )


AuthSchemeConfigIn = Annotated[
    NoneConfig | APIKeyConfig | BasicAuthConfig | OAuth2Config | HMACConfig | CertificateConfig,
    Field(discriminator="scheme_type"),
]


def _unique_ids(configs: list) -> list:
    ids = [config.id for config in configs]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(
            f"auth scheme config ids must be unique; repeated: {', '.join(duplicates)}"
        )
    return configs


AuthSchemeConfigs = Annotated[
    list[AuthSchemeConfigIn], Field(max_length=50), AfterValidator(_unique_ids)
]

# --- Connectors ------------------------------------------------------------------------------

BaseUrl = Annotated[_text(2000), AfterValidator(_base_url)]
WebUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_uri_or_empty)]
DatasetId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=1024, pattern=r"^[A-Za-z0-9.:_-]+\.[A-Za-z0-9_]+$"
    ),
]


class HTTPConnectorCreate(Body):
    name: Name
    base_url: BaseUrl
    connection_variables: ConnectionVariables = []
    auth_scheme_configs: AuthSchemeConfigs
    tags: Tags = {}
    public: bool = False
    # The contract lists `connections` as required here without defining it; it is optional
    # and, when given, has the shape of BigQueryConnectorCreate's.
    connections: list[dict] = []


class BigQueryConnectorCreate(Body):
    name: Name
    dataset_id: DatasetId
    connections: list[dict]


class ConnectorUpdateBase(Body):
    """PUT semantics (as the contract says): fields left out are unset, except
    `authSchemeConfigIds` and `connectionVariables`, which are left alone when omitted."""

    id: str
    organisation_id: str
    name: Name
    tags: Tags = {}
    auth_scheme_config_ids: list[Ulid] | None = Field(None, alias="authSchemeConfigIds")
    public: bool = False
    documentation_url: WebUrl = Field("", alias="documentationURL")
    image_url: WebUrl = Field("", alias="imageURL")


class HTTPConnectorUpdate(ConnectorUpdateBase):
    protocol: Literal["http"]
    base_url: BaseUrl
    connection_variables: ConnectionVariables | None = None


class BigQueryConnectorUpdate(ConnectorUpdateBase):
    protocol: Literal["bigquery"]
    dataset_id: DatasetId


ConnectorUpdate = Annotated[
    HTTPConnectorUpdate | BigQueryConnectorUpdate, Field(discriminator="protocol")
]


class TagsUpdate(Body):
    tags: Tags = {}


class CategoriesUpdate(Body):
    categories: Annotated[list[Category], Field(max_length=len(CATEGORIES) * 2)] = []


# --- Parsing ---------------------------------------------------------------------------------

_UNION_TAGS = {
    "none",
    "api-key",
    "basic-auth",
    "oauth2",
    "hmac",
    "certificate",
    "authorization_code",
    "client_credentials",
    "password",
    "http",
    "bigquery",
}


def parse(request: HttpRequest, schema):
    """Validate the JSON body against `schema` (a model or an annotated union); a bad body is
    a 400 whose `fields` name each problem by its path in the body."""
    data = json_body(request)
    try:
        return pydantic.TypeAdapter(schema).validate_python(data)
    except pydantic.ValidationError as error:
        fields = [
            _field_error(item) for item in error.errors(include_url=False, include_input=False)
        ]
        raise bad_request("The request is not valid.", fields) from None


def _field_error(item: dict) -> dict:
    loc = list(item["loc"])
    # Drop the union tags pydantic puts in the path: at the top, after a list index, or
    # under `grant`.
    loc = [
        part
        for i, part in enumerate(loc)
        if not (
            part in _UNION_TAGS and (i == 0 or isinstance(loc[i - 1], int) or loc[i - 1] == "grant")
        )
    ]
    if item["type"] in {"union_tag_invalid", "union_tag_not_found"}:
        # ctx names the discriminator as "'scheme_type' | 'schemeType'": keep the alias.
        loc.append(re.findall(r"'([^']+)'", item["ctx"]["discriminator"])[-1])
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return {"field": path or "body", "message": item["msg"].removeprefix("Value error, ")}
