"""Forms for a credential's data, one per credential type, and the rotation form.

The same data forms serve a new connection's credentials and rotation. Each checks what a
person can fix at once (certificates and keys are parsed before anything is sent) and turns
its input into the service layer's typed data (`CredentialData...`), secrets as `SecretStr`.
The API checks the rest; its errors name fields as `data.<python_name>` (the service layer's
names), which `API_FIELDS` maps back onto the form's fields.
"""

import base64
from typing import ClassVar

from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from django import forms
from django.core.exceptions import ValidationError

from dashboard.connect.models import (
    CredentialData,
    CredentialDataBasicAuth,
    CredentialDataBinary,
    CredentialDataCertificate,
    CredentialDataOAuth2Client,
    CredentialDataOAuth2Password,
    CredentialDataOAuth2Token,
    CredentialDataString,
)
from dashboard.validators import WebURLField

from .fields import ExpiryField, UpdatedAtField, query_string, words
from .secrets import SecretField, SecretTextarea

# The Connect API refuses credential values over a million characters; base64 grows by 4/3.
MAX_FILE_BYTES = 700_000
PEM_ATTRS = {"rows": 6, "spellcheck": "false", "autocomplete": "off", "class": "pem"}


class CredentialDataForm(forms.Form):
    """The data of one credential type. With `confirm`, each single-line secret is typed twice
    (rotation); `current` prefills the non-secret fields of a credential being rotated."""

    credential_type: ClassVar[str]
    label: ClassVar[str]
    API_FIELDS: ClassVar[dict[str, str]] = {}

    def __init__(self, *args, confirm: bool = False, current: CredentialData | None = None, **kw):
        super().__init__(*args, **kw)
        if current is not None:
            self.initial = {**self.initial_from(current), **self.initial}
        self.confirmations: dict[str, str] = {}
        if confirm:
            for name, field in list(self.fields.items()):
                if isinstance(field, SecretField) and not isinstance(field.widget, forms.Textarea):
                    again = f"{name}_again"
                    self.fields[again] = SecretField(
                        label=f"{field.label} again", required=field.required
                    )
                    self.confirmations[name] = again

    def initial_from(self, current: CredentialData) -> dict:
        """Initial values (never secrets) from a credential's redacted data."""
        return {}

    def clean(self):
        cleaned = super().clean()
        for name, again in self.confirmations.items():
            first, second = cleaned.get(name), cleaned.get(again)
            if name in cleaned and again in cleaned and _revealed(first) != _revealed(second):
                self.add_error(again, "The two entries differ: type the same secret twice.")
        return cleaned

    def credential_data(self) -> CredentialData:
        """The typed data to send (call after `is_valid()`)."""
        raise NotImplementedError


def _revealed(value) -> str | None:
    return value.get_secret_value() if value is not None else None


class NoneDataForm(CredentialDataForm):
    credential_type = "none"
    label = "None (no secret)"

    def credential_data(self) -> CredentialData:
        return CredentialData()


class StringDataForm(CredentialDataForm):
    credential_type = "string"
    label = "Secret string (API key, token)"
    API_FIELDS = {"value": "value"}

    value = SecretField(label="Secret value", help_text="e.g. the API key.")

    def credential_data(self) -> CredentialData:
        return CredentialDataString(value=self.cleaned_data["value"])


class BinaryDataForm(CredentialDataForm):
    credential_type = "binary"
    label = "Binary file (e.g. a key file)"
    API_FIELDS = {"value_base64": "file"}

    file = forms.FileField(
        label="File",
        help_text=f"Up to {MAX_FILE_BYTES // 1000} kB; sent base64-encoded.",
        widget=forms.ClearableFileInput(attrs={"autocomplete": "off"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"The file is larger than {MAX_FILE_BYTES // 1000} kB.")
        return upload.read()

    def credential_data(self) -> CredentialData:
        encoded = base64.b64encode(self.cleaned_data["file"]).decode("ascii")
        return CredentialDataBinary(value_base64=encoded)


class BasicAuthDataForm(CredentialDataForm):
    credential_type = "basic-auth"
    label = "Username and password"
    API_FIELDS = {"username": "username", "password": "password"}

    username = forms.CharField(label="Username", max_length=2000)
    password = SecretField(label="Password")

    def initial_from(self, current: CredentialData) -> dict:
        return {"username": getattr(current, "username", "")}

    def credential_data(self) -> CredentialData:
        return CredentialDataBasicAuth(
            username=self.cleaned_data["username"], password=self.cleaned_data["password"]
        )


class OAuth2PasswordDataForm(BasicAuthDataForm):
    credential_type = "oauth2-password"
    label = "OAuth 2.0 resource owner (username and password)"

    def credential_data(self) -> CredentialData:
        return CredentialDataOAuth2Password(
            username=self.cleaned_data["username"], password=self.cleaned_data["password"]
        )


class OAuth2ClientDataForm(CredentialDataForm):
    credential_type = "oauth2-client"
    label = "OAuth 2.0 client (ID and secret)"
    API_FIELDS = {
        "client_id": "client_id",
        "client_secret": "client_secret",
        "authorize_url": "authorize_url",
        "token_url": "token_url",
        "scopes": "scopes",
        "additional_params": "additional_params",
    }

    client_id = forms.CharField(label="Client ID", max_length=2000)
    client_secret = SecretField(label="Client secret")
    token_url = WebURLField(label="Token URL")
    authorize_url = WebURLField(
        label="Authorize URL",
        required=False,
        help_text="Not needed for the client credentials grant.",
    )
    scopes = forms.CharField(label="Scopes", required=False, help_text="Separated by spaces.")
    additional_params = forms.CharField(
        label="Additional token parameters",
        required=False,
        max_length=2000,
        validators=[query_string],
        help_text="URL-encoded, e.g. audience=https://api.example.com",
    )

    def initial_from(self, current: CredentialData) -> dict:
        return {
            "client_id": getattr(current, "client_id", ""),
            "token_url": getattr(current, "token_url", ""),
            "authorize_url": getattr(current, "authorize_url", ""),
            "scopes": " ".join(getattr(current, "scopes", [])),
            "additional_params": getattr(current, "additional_params", ""),
        }

    def credential_data(self) -> CredentialData:
        data = self.cleaned_data
        return CredentialDataOAuth2Client(
            client_id=data["client_id"],
            client_secret=data["client_secret"],
            authorize_url=data["authorize_url"],
            token_url=data["token_url"],
            scopes=words(data["scopes"]),
            additional_params=data["additional_params"],
        )


class OAuth2TokenDataForm(CredentialDataForm):
    """Tokens pasted by hand; normally they come from "Connect" on the connection's page."""

    credential_type = "oauth2-token"
    label = "OAuth 2.0 tokens"
    API_FIELDS = {
        "access_token": "access_token",
        "refresh_token": "refresh_token",
        "scopes": "scopes",
    }

    access_token = SecretField(label="Access token")
    refresh_token = SecretField(label="Refresh token", required=False)
    scopes = forms.CharField(label="Scopes", required=False, help_text="Separated by spaces.")

    def initial_from(self, current: CredentialData) -> dict:
        return {"scopes": " ".join(getattr(current, "scopes", []))}

    def credential_data(self) -> CredentialData:
        data = self.cleaned_data
        return CredentialDataOAuth2Token(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            scopes=words(data["scopes"]),
        )


class CertificateDataForm(CredentialDataForm):
    credential_type = "certificate"
    label = "Client certificate and private key (PEM)"
    API_FIELDS = {"certificate": "certificate", "key": "key", "ca": "ca"}

    certificate = forms.CharField(
        label="Certificate",
        widget=forms.Textarea(attrs=PEM_ATTRS),
        help_text="PEM, starting -----BEGIN CERTIFICATE-----",
    )
    key = SecretField(
        label="Private key",
        help_text="PEM, unencrypted, starting -----BEGIN PRIVATE KEY-----",
        widget=SecretTextarea(attrs={"rows": 6, "class": "pem"}),
    )
    ca = forms.CharField(
        label="CA certificates",
        required=False,
        widget=forms.Textarea(attrs=PEM_ATTRS),
        help_text="PEM; the chain that issued the server's certificate, if not a public CA.",
    )

    def clean_certificate(self) -> str:
        text = self.cleaned_data["certificate"]
        try:
            self._certificate = x509.load_pem_x509_certificate(text.encode())
        except ValueError:
            raise ValidationError("This is not a PEM-encoded X.509 certificate.") from None
        return text

    def clean_key(self):
        secret = self.cleaned_data["key"]
        try:
            self._key = load_pem_private_key(secret.get_secret_value().encode(), password=None)
        except TypeError:
            raise ValidationError("The key is encrypted: paste it without a passphrase.") from None
        except ValueError:
            raise ValidationError("This is not a PEM-encoded private key.") from None
        return secret

    def clean_ca(self) -> str:
        text = self.cleaned_data["ca"]
        if text.strip():
            try:
                x509.load_pem_x509_certificates(text.encode())
            except ValueError:
                raise ValidationError("These are not PEM-encoded X.509 certificates.") from None
        return text

    def clean(self):
        cleaned = super().clean()
        certificate, key = getattr(self, "_certificate", None), getattr(self, "_key", None)
        if certificate is not None and key is not None and _public(key) != _public(certificate):
            self.add_error("key", "This key does not belong to the certificate.")
        return cleaned

    def credential_data(self) -> CredentialData:
        data = self.cleaned_data
        return CredentialDataCertificate(
            certificate=data["certificate"], key=data["key"], ca=data["ca"]
        )


def _public(holder) -> bytes:
    return holder.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


DATA_FORMS: dict[str, type[CredentialDataForm]] = {
    form.credential_type: form
    for form in (
        StringDataForm,
        BasicAuthDataForm,
        OAuth2ClientDataForm,
        OAuth2PasswordDataForm,
        OAuth2TokenDataForm,
        CertificateDataForm,
        BinaryDataForm,
        NoneDataForm,
    )
}
# The types Patchbay can give a new secret: a "none" credential has none to give.
ROTATABLE = frozenset(DATA_FORMS) - {NoneDataForm.credential_type}


class RotationForm(forms.Form):
    """What goes with a rotation's new secret: the name, a new expiry and the confirmation.
    The new secret itself is the credential type's data form, typed twice."""

    name = forms.CharField(label="Name", max_length=200)
    expires_at = ExpiryField(
        label="New expiry (UTC)",
        help_text="Leave empty if the new secret does not expire.",
    )
    updated_at = UpdatedAtField()
    confirm = forms.BooleanField(
        label="Replace the secret now",
        error_messages={"required": "Tick this to confirm the rotation."},
    )
