"""Forms for a connector's auth scheme configs, one per scheme type.

Each form edits one config and builds the service layer's typed `AuthSchemeConfig...` from
what was typed. Ids are ULIDs the dashboard makes (the API wants the client to choose them).
Every form carries the connector's `updatedAt`, so a save made on a stale page is refused.
An OAuth 2.0 client secret is write-only: editing a config without typing it keeps the one
the API stored.
"""

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from dashboard.connect.models import (
    AuthSchemeConfig,
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigCertificate,
    AuthSchemeConfigHMAC,
    AuthSchemeConfigNone,
    AuthSchemeConfigOAuth2,
    OAuth2GrantAuthorizationCode,
    OAuth2GrantClientCredentials,
    OAuth2GrantPassword,
    OAuth2Scope,
)
from dashboard.validators import WebURLField, parameter_name

from .fields import UpdatedAtField, query_string, words
from .secrets import SecretField

SCHEME_TYPES = {
    "api-key": "API key",
    "basic-auth": "Basic auth",
    "oauth2": "OAuth 2.0",
    "hmac": "HMAC signature",
    "certificate": "Client certificate (mTLS)",
    "none": "No authentication",
}
IN_CHOICES = [("header", "Header"), ("query", "Query parameter"), ("cookie", "Cookie")]
GRANTS = {
    "authorization_code": "Authorization code (users sign in at the provider)",
    "client_credentials": "Client credentials (machine to machine)",
    "password": "Password (resource owner credentials)",
}
# Digest inputs are ordered: the signature covers them in this order.
DIGEST_INPUTS = [
    ("body", "Body"),
    ("url", "URL"),
    ("body,url", "Body, then URL"),
    ("url,body", "URL, then body"),
]
COMMON_API_FIELDS = {"description": "description"}


class AuthSchemeConfigForm(forms.Form):
    scheme_type: ClassVar[str]
    API_FIELDS: ClassVar[dict[str, str]] = {}

    description = forms.CharField(
        label="Description",
        required=False,
        max_length=1000,
        help_text="Tells people choosing a scheme for a connection which one this is.",
    )
    updated_at = UpdatedAtField()

    def __init__(self, *args, config: AuthSchemeConfig | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        if config is not None and not self.is_bound:
            current = {"description": config.description, **self.initial_from(config)}
            self.initial = {**current, **self.initial}

    @property
    def label(self) -> str:
        return SCHEME_TYPES[self.scheme_type]

    def api_fields(self) -> dict[str, str]:
        return {**COMMON_API_FIELDS, **self.API_FIELDS}

    def initial_from(self, config: AuthSchemeConfig) -> dict:
        return {}

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        """The typed config to upsert (call after `is_valid()`)."""
        raise NotImplementedError


class NoneForm(AuthSchemeConfigForm):
    scheme_type = "none"

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        return AuthSchemeConfigNone(id=config_id, description=self.cleaned_data["description"])


class BasicAuthForm(AuthSchemeConfigForm):
    scheme_type = "basic-auth"

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        return AuthSchemeConfigBasicAuth(id=config_id, description=self.cleaned_data["description"])


class CertificateForm(AuthSchemeConfigForm):
    scheme_type = "certificate"

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        return AuthSchemeConfigCertificate(
            id=config_id, description=self.cleaned_data["description"]
        )


class APIKeyForm(AuthSchemeConfigForm):
    scheme_type = "api-key"
    API_FIELDS = {"name": "name", "in_": "in_"}

    name = forms.CharField(
        label="Parameter name",
        max_length=200,
        validators=[parameter_name],
        help_text="The header, query parameter or cookie that carries the key, e.g. X-API-Key.",
    )
    in_ = forms.ChoiceField(label="Sent in", choices=IN_CHOICES, initial="header")

    def initial_from(self, config: AuthSchemeConfig) -> dict:
        return {"name": getattr(config, "name", ""), "in_": getattr(config, "in_", "header")}

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        data = self.cleaned_data
        return AuthSchemeConfigAPIKey(
            id=config_id, description=data["description"], name=data["name"], in_=data["in_"]
        )


class HMACForm(AuthSchemeConfigForm):
    scheme_type = "hmac"
    API_FIELDS = {
        "name": "name",
        "in_": "in_",
        "algorithm": "algorithm",
        "digest_inputs": "digest_inputs",
    }

    name = forms.CharField(
        label="Parameter name",
        max_length=200,
        validators=[parameter_name],
        help_text="Where the signature is sent, e.g. X-Signature.",
    )
    in_ = forms.ChoiceField(label="Sent in", choices=IN_CHOICES, initial="header")
    algorithm = forms.ChoiceField(
        label="Algorithm",
        choices=[("sha256", "SHA-256"), ("sha512", "SHA-512"), ("sha1", "SHA-1 (weak)")],
        initial="sha256",
    )
    digest_inputs = forms.ChoiceField(
        label="Signed content",
        choices=DIGEST_INPUTS,
        initial="body",
        widget=forms.RadioSelect,
        help_text="What the signature covers, in this order.",
    )

    def initial_from(self, config: AuthSchemeConfig) -> dict:
        return {
            "name": getattr(config, "name", ""),
            "in_": getattr(config, "in_", "header"),
            "algorithm": getattr(config, "algorithm", "sha256"),
            "digest_inputs": ",".join(getattr(config, "digest_inputs", [])) or None,
        }

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        data = self.cleaned_data
        return AuthSchemeConfigHMAC(
            id=config_id,
            description=data["description"],
            name=data["name"],
            in_=data["in_"],
            algorithm=data["algorithm"],
            digest_inputs=data["digest_inputs"].split(","),
        )


class ScopesField(forms.CharField):
    """One scope a line: its name, then optionally a space and what it allows."""

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{s.name} {s.description}".strip() for s in value)
        return value

    def clean(self, value) -> list[OAuth2Scope]:
        scopes: list[OAuth2Scope] = []
        for number, line in enumerate((super().clean(value) or "").splitlines(), start=1):
            name, _, description = line.strip().partition(" ")
            if not name:
                continue
            if len(name) > 200 or len(description) > 1000:
                raise ValidationError(f"Line {number} is too long.")
            if any(scope.name == name for scope in scopes):
                raise ValidationError(f"The scope “{name}” is listed twice.")
            scopes.append(OAuth2Scope(name=name, description=description.strip()))
        return scopes


class OAuth2Form(AuthSchemeConfigForm):
    scheme_type = "oauth2"
    API_FIELDS = {
        "authorize_url": "authorize_url",
        "token_url": "token_url",
        "scopes": "scopes",
        "default_scopes": "default_scopes",
        "additional_authorize_params": "additional_authorize_params",
        "additional_token_params": "additional_token_params",
        "mtls_enabled": "mtls_enabled",
        "grant.grant_type": "grant_type",
        "grant.client_id": "client_id",
        "grant.client_secret": "client_secret",
        "grant": "grant_type",
    }

    grant_type = forms.ChoiceField(
        label="Grant",
        choices=list(GRANTS.items()),
        initial="authorization_code",
        widget=forms.RadioSelect,
    )
    authorize_url = WebURLField(
        label="Authorize URL",
        required=False,
        help_text="Where users sign in and consent. Needed for the authorization code grant.",
    )
    token_url = WebURLField(label="Token URL")
    scopes = ScopesField(
        label="Scopes",
        required=False,
        help_text="One a line: the scope, then what it allows, e.g. “contacts.read Read contacts”.",
    )
    default_scopes = forms.CharField(
        label="Default scopes",
        required=False,
        help_text="Requested when connecting, separated by spaces.",
    )
    additional_authorize_params = forms.CharField(
        label="Additional authorize parameters",
        required=False,
        max_length=2000,
        validators=[query_string],
        help_text="URL-encoded, e.g. access_type=offline",
    )
    additional_token_params = forms.CharField(
        label="Additional token parameters",
        required=False,
        max_length=2000,
        validators=[query_string],
        help_text="URL-encoded, e.g. audience=https://api.example.com",
    )
    mtls_enabled = forms.BooleanField(
        label="Use mutual TLS",
        required=False,
        help_text="Present a client certificate when calling the token URL.",
    )
    client_id = forms.CharField(
        label="Client ID",
        required=False,
        max_length=1000,
        help_text="For the authorization code and password grants. Leave both empty if each "
        "connection brings its own client.",
    )
    client_secret = SecretField(label="Client secret", required=False)

    @property
    def stored_client(self) -> OAuth2GrantAuthorizationCode | OAuth2GrantPassword | None:
        """The grant of the config being edited, when the API keeps a client for it."""
        grant = getattr(self.config, "grant", None)
        return grant if getattr(grant, "credential_id", None) else None

    def initial_from(self, config: AuthSchemeConfig) -> dict:
        grant = config.grant
        return {
            "grant_type": grant.grant_type,
            "authorize_url": config.authorize_url,
            "token_url": config.token_url,
            "scopes": config.scopes,
            "default_scopes": " ".join(config.default_scopes),
            "additional_authorize_params": config.additional_authorize_params,
            "additional_token_params": config.additional_token_params,
            "mtls_enabled": config.mtls_enabled,
            "client_id": getattr(grant, "client_id", None) or "",
        }

    def clean(self):
        cleaned = super().clean()
        grant = cleaned.get("grant_type")
        if grant == "authorization_code" and cleaned.get("authorize_url") == "":
            self.add_error("authorize_url", "The authorization code grant needs it.")
        if grant in ("authorization_code", "password") and "client_id" in cleaned:
            client_id, secret = cleaned["client_id"], cleaned.get("client_secret")
            if secret and not client_id:
                self.add_error("client_id", "Enter the client ID that goes with the secret.")
            elif client_id and not secret and self.stored_client is None:
                self.add_error("client_secret", "Enter the client secret for this client ID.")
        return cleaned

    def auth_scheme_config(self, config_id: str) -> AuthSchemeConfig:
        data = self.cleaned_data
        return AuthSchemeConfigOAuth2(
            id=config_id,
            description=data["description"],
            authorize_url=data["authorize_url"],
            token_url=data["token_url"],
            scopes=data["scopes"],
            default_scopes=words(data["default_scopes"]),
            additional_authorize_params=data["additional_authorize_params"],
            additional_token_params=data["additional_token_params"],
            mtls_enabled=data["mtls_enabled"],
            grant=self._grant(),
        )

    def _grant(self):
        data = self.cleaned_data
        if data["grant_type"] == "client_credentials":
            return OAuth2GrantClientCredentials()
        model = (
            OAuth2GrantAuthorizationCode
            if data["grant_type"] == "authorization_code"
            else OAuth2GrantPassword
        )
        client_id, secret = data["client_id"] or None, data["client_secret"]
        stored = self.stored_client
        if stored is None:
            return model(client_id=client_id, client_secret=secret)
        # The API updates the stored client with what is sent; send only what changed, so a
        # client it shares from the library (which may not be changed) keeps working.
        return model(
            credential_id=stored.credential_id,
            organisation_id=stored.organisation_id,
            client_id=client_id if client_id != stored.client_id else None,
            client_secret=secret,
        )


FORMS: dict[str, type[AuthSchemeConfigForm]] = {
    form.scheme_type: form
    for form in (APIKeyForm, BasicAuthForm, OAuth2Form, HMACForm, CertificateForm, NoneForm)
}


class SchemeTypeForm(forms.Form):
    """Which kind of auth scheme to add (a GET form: choosing shows that type's fields)."""

    type = forms.ChoiceField(label="Scheme type", choices=list(SCHEME_TYPES.items()))


class MoveForm(forms.Form):
    """Move an auth scheme config one place, on the list as it was loaded."""

    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
    updated_at = UpdatedAtField()
