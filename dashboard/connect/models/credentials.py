"""Credentials (v1alpha1): secret data typed by the credential's `type`, and their usages."""

from datetime import datetime
from typing import Any

from pydantic import Field, SerializeAsAny, model_validator

from ._base import ApiModel, Secret


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
            model = CREDENTIAL_DATA_BY_TYPE.get(str(value.get("type")), CredentialData)
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
