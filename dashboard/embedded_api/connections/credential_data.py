"""The `data` of each credential type: how it is validated, which fields are secret, and the
redacted shape the API returns.

Secrets are the fields in SECRET_FIELDS. They are stored encrypted apart from the rest, and a
response carries them as "" when the contract requires the field, or not at all when it is
optional, so a redacted body still validates against the contract and no secret ever leaves.
"""

import base64
import binascii
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit

import pydantic
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from .. import crypto
from ..errors import ApiError, bad_request
from ..http import validation_error
from ..models import Credential

Type = Credential.Type

# Large enough for a certificate chain or a key file sent as base64, small enough to refuse junk.
MAX_VALUE_LENGTH = 1_000_000
Value = Annotated[str, StringConstraints(min_length=1, max_length=MAX_VALUE_LENGTH)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _http_url(value: str) -> str:
    if not is_http_url(value):
        raise ValueError("must be an absolute http or https URL")
    return value


def _http_url_or_empty(value: str) -> str:
    return _http_url(value) if value else value


HttpUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]


def _base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be base64-encoded") from None
    return value


def _certificate(value: str) -> str:
    try:
        x509.load_pem_x509_certificate(value.encode())
    except ValueError:
        raise ValueError("must be a PEM-encoded X.509 certificate") from None
    return value


def _private_key(value: str) -> str:
    try:
        load_pem_private_key(value.encode(), password=None)
    except (ValueError, TypeError):
        raise ValueError("must be an unencrypted PEM-encoded private key") from None
    return value


def _ca(value: str) -> str:
    if value.strip():
        try:
            x509.load_pem_x509_certificates(value.encode())
        except ValueError:
            raise ValueError("must be empty or PEM-encoded X.509 certificates") from None
    return value


def _object_to_query(value: object) -> object:
    """v1 sends additional parameters as a query string, v1alpha1 as an object: keep one form."""
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return urlencode(value)
    return value


def _query_string(value: str) -> str:
    try:
        parse_qsl(value, keep_blank_values=True, strict_parsing=bool(value))
    except ValueError:
        raise ValueError("must be a URL-encoded query string") from None
    return value


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoneData(_Data):
    pass


class StringData(_Data):
    value: Value


class BinaryData(_Data):
    valueBase64: Annotated[Value, AfterValidator(_base64)]


class BasicAuthData(_Data):
    username: Text
    password: Value


class OAuth2ClientData(_Data):
    clientId: Text
    clientSecret: Value
    # Empty for a client used with the `client_credentials` grant, as the contract says.
    authorizeUrl: Annotated[
        str, StringConstraints(max_length=2000), AfterValidator(_http_url_or_empty)
    ]
    tokenUrl: HttpUrl
    scopes: list[Text] = Field(default_factory=list)
    additionalParams: Annotated[
        str, BeforeValidator(_object_to_query), AfterValidator(_query_string)
    ] = ""
    mTLSEnabled: bool = False
    mTLSCredentialId: str = ""


class OAuth2TokenData(_Data):
    scopes: list[Text]
    accessToken: Value | None = None
    refreshToken: Value | None = None


class OAuth2PasswordData(_Data):
    username: Text
    password: Value


class CertificateData(_Data):
    certificate: Annotated[Value, AfterValidator(_certificate)]
    key: Annotated[Value, AfterValidator(_private_key)]
    ca: Annotated[str, StringConstraints(max_length=MAX_VALUE_LENGTH), AfterValidator(_ca)]


MODELS: dict[str, type[_Data]] = {
    Type.NONE: NoneData,
    Type.STRING: StringData,
    Type.BINARY: BinaryData,
    Type.BASIC_AUTH: BasicAuthData,
    Type.OAUTH2_CLIENT: OAuth2ClientData,
    Type.OAUTH2_TOKEN: OAuth2TokenData,
    Type.OAUTH2_PASSWORD: OAuth2PasswordData,
    Type.CERTIFICATE: CertificateData,
}

SECRET_FIELDS: dict[str, frozenset[str]] = {
    Type.NONE: frozenset(),
    Type.STRING: frozenset({"value"}),
    Type.BINARY: frozenset({"valueBase64"}),
    Type.BASIC_AUTH: frozenset({"password"}),
    Type.OAUTH2_CLIENT: frozenset({"clientSecret"}),
    Type.OAUTH2_TOKEN: frozenset({"accessToken", "refreshToken"}),
    Type.OAUTH2_PASSWORD: frozenset({"password"}),
    Type.CERTIFICATE: frozenset({"key"}),
}

# Which credential types can satisfy each auth scheme (the contract leaves this implicit).
# `oauth2-code` is accepted on connection create only, and is stored as `oauth2-token`.
TYPES_FOR_SCHEME: dict[str, tuple[str, ...]] = {
    "none": (Type.NONE,),
    "api-key": (Type.STRING,),
    "basic-auth": (Type.BASIC_AUTH,),
    "oauth2": (Type.OAUTH2_TOKEN, Type.OAUTH2_CLIENT, Type.OAUTH2_PASSWORD, "oauth2-code"),
    "hmac": (Type.STRING, Type.BINARY),
    "certificate": (Type.CERTIFICATE, Type.BINARY),
}

# A credential not yet used by a connection reports the first scheme its type can satisfy.
DEFAULT_SCHEME = {
    credential_type: scheme
    for scheme, types in reversed(TYPES_FOR_SCHEME.items())
    for credential_type in types
}

UNSUPPORTED = {"custom-function", "jwt-bearer"}


def check_type(credential_type: str, field: str) -> None:
    """400 unless the API can store credentials of this type."""
    if credential_type in MODELS:
        return
    if credential_type == "oauth2-code":
        message = (
            "oauth2-code credentials are exchanged for a token: send one when creating a "
            "connection, or complete the flow at the OAuth 2.0 callback"
        )
    elif credential_type in UNSUPPORTED:
        message = f"credentials of type '{credential_type}' are not supported by this API"
    else:
        message = f"must be one of: {', '.join(MODELS)}"
    raise ApiError(
        400, "bad_request", "The credential type is not valid.", [_field(field, message)]
    )


def validate(credential_type: str, data: object, field: str = "data") -> dict:
    """The data as stored (defaults dropped), or a 400 whose `fields` are under `field`.

    Error messages never contain the submitted values."""
    try:
        model = MODELS[credential_type].model_validate(data)
    except pydantic.ValidationError as error:
        raise invalid(error, field, "The credential data is not valid.") from None
    return model.model_dump(exclude_defaults=True)


def invalid(error: pydantic.ValidationError, field: str, message: str) -> ApiError:
    """A 400 for a nested body part, its `fields` named under `field` (no input values)."""
    nested = validation_error(error).fields
    return bad_request(
        message, [_field(_join(field, item["field"]), item["message"]) for item in nested]
    )


def split(credential_type: str, data: dict) -> tuple[dict, str]:
    """Validated data as (public fields, encrypted secret fields) for the two columns."""
    secret_names = SECRET_FIELDS[credential_type]
    public = {name: value for name, value in data.items() if name not in secret_names}
    secret = {name: value for name, value in data.items() if name in secret_names}
    return public, crypto.encrypt(secret)


def merged(credential: Credential, data: object) -> object:
    """New data for an existing credential: a secret field sent empty or left out keeps its
    stored value, so sending back the redacted shape read from the API changes no secret."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for name, value in crypto.decrypt(credential.secret_data).items():
        if result.get(name) in (None, ""):
            result[name] = value
    return result


def redacted(credential: Credential) -> dict:
    """The contract's data for this credential with every secret removed."""
    model = MODELS[credential.type]
    blanks = {
        name: ""
        for name in SECRET_FIELDS[credential.type]
        if model.model_fields[name].is_required()
    }
    return {**credential.public_data, **blanks}


def _join(prefix: str, name: str) -> str:
    if name == "body" or not prefix:
        return prefix or name
    return f"{prefix}{name}" if name.startswith("[") else f"{prefix}.{name}"


def _field(name: str, message: str) -> dict:
    return {"field": name, "message": message}
