"""The OAuth 2.0 `authorization_code` flow for connections.

1. InitialiseOAuth2Connection returns the provider's authorize URL. Its `state` is signed
   (Django signing, with a timestamp) and names the organisation, connector, auth scheme
   config, the client credential, and optionally the connection and a same-site return path.
2. The provider sends the browser to `{EMBEDDED_API_PUBLIC_URL}/oauth2/callback` with `code`
   and `state`. The callback checks the state, exchanges the code at the auth scheme
   config's token URL and stores an `oauth2-token` credential on the connection (re-using the
   one already there, so re-authorising rotates it), then redirects to the return path.
   Without a connection in the state, it hands `code` and `state` on to the return path,
   whose page creates the connection with an `oauth2-code` credential (`redeem_code`).

The state carries ids only; secrets stay in the database. `exchange_code` is the one
outbound HTTP call, made through the guarded client (`dashboard.outbound`): the token URL
must resolve to public addresses only, no redirect is followed, and the answer has a deadline
and a size limit.
"""

import base64
import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from ... import outbound
from .. import crypto
from ..errors import ApiError, bad_request, field_error
from ..models import AuthSchemeConfig, Connection, ConnectionCredential, Connector, Credential
from .credentials import new_credential, rotate
from .schemas import CredentialCreate
from .serialise import auth_scheme_config

log = logging.getLogger(__name__)

STATE_SALT = "patchbay.embedded-api.oauth2-state"
# Long enough to log in and consent at the provider, short enough that a leaked URL expires.
STATE_MAX_AGE = timedelta(minutes=15)
TOKEN_TIMEOUT = 10.0
TOKEN_MAX_BYTES = 64 * 1024  # a token response is a few hundred bytes
OFFLINE_ACCESS = "offline_access"
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600
# Parameters the API sets itself; `additionalParams` may not override them.
STANDARD_PARAMS = frozenset(
    {"client_id", "redirect_uri", "response_type", "scope", "state", "prompt"}
)
_ERROR_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


class ExchangeFailed(Exception):
    """The code could not be turned into a token. `code` is safe to show (an RFC 6749 error
    code or one of ours); nothing the provider said beyond it is kept."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Token:
    access_token: str
    refresh_token: str | None
    expires_in: int | None
    scopes: list[str]

    def credential_data(self) -> dict:
        data = {"scopes": self.scopes, "accessToken": self.access_token}
        if self.refresh_token:
            data["refreshToken"] = self.refresh_token
        return data

    def expires_at(self):
        return timezone.now() + timedelta(seconds=self.expires_in) if self.expires_in else None


@dataclass(frozen=True)
class State:
    organisation_id: str
    connector_id: str
    config_id: str
    credential_id: str
    connection_id: str | None
    return_url: str
    scopes: list[str]


def is_error_code(value: str) -> bool:
    """Whether `value` looks like an RFC 6749 error code, safe to pass on in a URL."""
    return bool(_ERROR_CODE.match(value))


def callback_url() -> str:
    """The redirect_uri given to providers (register it with the OAuth 2.0 application)."""
    return settings.EMBEDDED_API_PUBLIC_URL.rstrip("/") + "/oauth2/callback"


def sign_state(state: State) -> str:
    payload = {
        "o": state.organisation_id,
        "c": state.connector_id,
        "a": state.config_id,
        "k": state.credential_id,
        "n": state.connection_id,
        "r": state.return_url,
        "s": state.scopes,
    }
    return signing.dumps(payload, salt=STATE_SALT, compress=True)


def read_state(raw: str, *, check_age: bool = True) -> State:
    """The state a signed value carries; `signing.BadSignature` (or its subclass
    `SignatureExpired`) when it was not issued here or is too old."""
    payload = signing.loads(raw, salt=STATE_SALT, max_age=STATE_MAX_AGE if check_age else None)
    return State(
        organisation_id=payload["o"],
        connector_id=payload["c"],
        config_id=payload["a"],
        credential_id=payload["k"],
        connection_id=payload["n"],
        return_url=payload["r"],
        scopes=payload["s"],
    )


def is_same_site_path(url: str) -> bool:
    """A path on this site (`/connectors/...`), never another host, even written `//host`,
    `/\\host` or with a scheme: the callback redirects there."""
    return (
        url.startswith("/")
        and not urlsplit(url).netloc
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
        and not any(ord(char) < 32 for char in url)
    )


def authorization_code_config(
    connector: Connector, config_id: str | None, field: str = "authSchemeConfigId"
) -> AuthSchemeConfig:
    """The connector's OAuth 2.0 config with the authorization_code grant: the one named, or
    the only one."""
    candidates = [
        config
        for config in connector.auth_scheme_configs.all()
        if config.scheme_type == AuthSchemeConfig.SchemeType.OAUTH2
        and (config.config.get("grant") or {}).get("grantType") == "authorization_code"
    ]
    if config_id is not None:
        for config in candidates:
            if config.config_id == config_id:
                return config
        raise field_error(
            field, "is not an OAuth 2.0 authorization_code auth scheme config of this connector"
        )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise bad_request(
            "The connector has no OAuth 2.0 auth scheme config with the authorization_code grant."
        )
    raise field_error(field, "is required: the connector has several OAuth 2.0 configs")


def client_credential(
    organisation_id: str, config: AuthSchemeConfig, credential_id: str, owner_id: str
) -> Credential:
    """The oauth2-client credential holding the client secret. It must be the caller's own,
    or the one the auth scheme config itself names (a connector imported from the public
    library keeps its publisher's client)."""
    grant = config.config.get("grant") or {}
    named_by_config = (
        grant.get("credentialId") == credential_id and grant.get("organisationId") == owner_id
    )
    if owner_id != organisation_id and not named_by_config:
        raise field_error("credential.organisationId", "must be your organisation")
    credential = Credential.objects.filter(pk=credential_id, organisation_id=owner_id).first()
    if credential is None:
        raise field_error("credential.id", "is not a credential of that organisation")
    if credential.type != Credential.Type.OAUTH2_CLIENT:
        raise field_error("credential.id", "must be an oauth2-client credential")
    return credential


def authorize_url(
    base: str, *, client_id: str, scopes: list[str], state: str, prompt: str | None, extra: str
) -> str:
    """The provider URL: `base` plus the standard parameters and the caller's `extra` ones."""
    try:
        additional = parse_qsl(extra, keep_blank_values=True, strict_parsing=bool(extra))
    except ValueError:
        raise field_error("additionalParams", "must be a URL-encoded query string") from None
    clashes = sorted({name for name, _ in additional} & STANDARD_PARAMS)
    if clashes:
        raise field_error("additionalParams", f"cannot set {', '.join(clashes)}: the API sets it")
    if prompt is None and not any(name == "approval_prompt" for name, _ in additional):
        prompt = "login"
    params = [
        ("client_id", client_id),
        ("redirect_uri", callback_url()),
        ("response_type", "code"),
        ("state", state),
    ]
    if scopes:
        params.append(("scope", " ".join(scopes)))
    if prompt:
        # Several prompts are space-separated; callers may write them joined with '+'.
        params.append(("prompt", prompt.replace("+", " ")))
    parts = urlsplit(base)
    own = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in STANDARD_PARAMS
    ]
    return urlunsplit(parts._replace(query=urlencode(own + params + additional)))


def requested_scopes(
    config: AuthSchemeConfig, scopes: list[str] | None, offline: bool
) -> list[str]:
    chosen = list(config.config.get("defaultScopes") or []) if scopes is None else list(scopes)
    if offline and OFFLINE_ACCESS not in chosen:
        chosen.append(OFFLINE_ACCESS)
    return list(dict.fromkeys(chosen))


def exchange_code(
    *, token_url: str, code: str, client_id: str, client_secret: str, extra_params: str = ""
) -> Token:
    """POST the code to the token endpoint (RFC 6749 §4.1.3, client authenticated with HTTP
    Basic as §2.3.1 asks) and return the token, or raise `ExchangeFailed`."""
    form = dict(parse_qsl(extra_params, keep_blank_values=True))
    form.update(grant_type="authorization_code", code=code, redirect_uri=callback_url())
    pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}".encode()
    limits = outbound.Limits(
        TOKEN_TIMEOUT, TOKEN_MAX_BYTES, allow_loopback=settings.OUTBOUND_ALLOW_LOOPBACK
    )
    try:
        response = outbound.send(
            "POST",
            token_url,
            limits=limits,
            data=form,
            headers={
                "Accept": "application/json",
                "Authorization": f"Basic {base64.b64encode(pair).decode()}",
            },
        )
    except outbound.Refused as refused:
        log.warning("OAuth 2.0 token endpoint not reached: %s", refused.kind)
        reason = "not_allowed" if refused.kind == "not_allowed" else "unreachable"
        raise ExchangeFailed(f"token_endpoint_{reason}") from None
    body = _token_body(response)
    access_token = body.get("access_token")
    if response.status != 200 or not isinstance(access_token, str) or not access_token:
        error = body.get("error")
        reason = (
            error if isinstance(error, str) and is_error_code(error) else "token_exchange_failed"
        )
        log.warning("OAuth 2.0 token exchange refused: HTTP %s, %s", response.status, reason)
        raise ExchangeFailed(reason)
    refresh_token = body.get("refresh_token")
    scope = body.get("scope")
    return Token(
        access_token=access_token,
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        expires_in=_seconds(body.get("expires_in")),
        scopes=scope.split() if isinstance(scope, str) else [],
    )


def token_for(state: State, code: str) -> Token:
    """Exchange `code` with the client and token URL the state names."""
    config = AuthSchemeConfig.objects.filter(
        connector_id=state.connector_id, config_id=state.config_id
    ).first()
    client = Credential.objects.filter(pk=state.credential_id).first()
    if config is None or client is None or not config.config.get("tokenUrl"):
        raise ExchangeFailed("configuration_changed")
    secret = crypto.decrypt(client.secret_data)
    token = exchange_code(
        token_url=config.config["tokenUrl"],
        code=code,
        client_id=client.public_data["clientId"],
        client_secret=secret["clientSecret"],
        extra_params=config.config.get("additionalTokenParams") or "",
    )
    if not token.scopes:
        # Providers may leave out `scope` when they granted what was asked (RFC 6749 §5.1).
        token = Token(token.access_token, token.refresh_token, token.expires_in, state.scopes)
    return token


def store_token(connection: Connection, config: AuthSchemeConfig, token: Token) -> Credential:
    """Put the token on the connection: rotate its existing oauth2-token credential for this
    config (a re-authorisation), or create one and add it to the action credentials."""
    link = (
        connection.connection_credentials.filter(
            kind=ConnectionCredential.Kind.ACTION,
            auth_scheme_config_id=config.config_id,
            credential__type=Credential.Type.OAUTH2_TOKEN,
        )
        .select_related("credential")
        .first()
    )
    if link is not None:
        credential = link.credential
        return rotate(
            credential,
            name=credential.name,
            data=token.credential_data(),
            expires_at=token.expires_at(),
        )
    credential = new_credential(
        connection.connector.organisation_id,
        name=f"{connection.name}: {config.description or 'OAuth 2.0'}"[:200],
        type=Credential.Type.OAUTH2_TOKEN,
        data=token.credential_data(),
        expires_at=token.expires_at(),
        inline=True,
    )
    last = connection.connection_credentials.filter(kind=ConnectionCredential.Kind.ACTION).count()
    ConnectionCredential.objects.create(
        connection=connection,
        credential=credential,
        kind=ConnectionCredential.Kind.ACTION,
        position=last,
        auth_scheme_config_id=config.config_id,
        auth_scheme_config=auth_scheme_config(config),
    )
    connection.touch()
    connection.connector.touch()
    return credential


def record_failure(connection: Connection, config: AuthSchemeConfig, code: str) -> None:
    """A failed re-authorisation marks the connection's token credential, so the credentials
    worklist shows it (rotating the credential clears it)."""
    Credential.objects.filter(
        links__connection=connection,
        links__auth_scheme_config_id=config.config_id,
        type=Credential.Type.OAUTH2_TOKEN,
    ).update(errors=[f"OAuth 2.0 re-authorisation failed: {code}"])


def redeem_code(
    connector: Connector, config: AuthSchemeConfig, body: CredentialCreate, field: str
) -> dict:
    """An `oauth2-code` credential given on connection create: check its state was issued for
    this connector and config, exchange the code, and return the `oauth2-token` credential
    (a CredentialCreate body) to store instead. Nothing is written: the caller exchanges
    before its transaction, so no database lock waits on the provider."""
    data = body.data if isinstance(body.data, dict) else {}
    code, raw_state = data.get("code"), data.get("state")
    if not isinstance(code, str) or not code:
        raise field_error(f"{field}.data.code", "is required")
    try:
        state = read_state(raw_state if isinstance(raw_state, str) else "")
    except signing.BadSignature:
        raise field_error(
            f"{field}.data.state", "is not a current state issued by InitialiseOAuth2Connection"
        ) from None
    if (state.organisation_id, state.connector_id, state.config_id) != (
        connector.organisation_id,
        connector.id,
        config.config_id,
    ):
        raise field_error(f"{field}.data.state", "was issued for another connector or config")
    try:
        token = token_for(state, code)
    except ExchangeFailed as failure:
        raise ApiError(
            400 if failure.code != "token_endpoint_unreachable" else 502,
            "oauth2_exchange_failed",
            f"The OAuth 2.0 provider did not issue a token ({failure.code}).",
            [{"field": f"{field}.data.code", "message": f"was refused ({failure.code})"}],
        ) from None
    return {
        "name": body.name,
        "type": Credential.Type.OAUTH2_TOKEN.value,
        "data": token.credential_data(),
        "expiresAt": token.expires_at(),
    }


def _token_body(response: outbound.Reply) -> dict:
    """Token responses are JSON (RFC 6749 §5.1); some providers answer form-encoded."""
    content_type = response.headers.get("content-type", "")
    try:
        if "application/x-www-form-urlencoded" in content_type:
            return dict(parse_qsl(response.body.decode()))
        body = json.loads(response.body)
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}


def _seconds(value: object) -> int | None:
    try:
        seconds = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return seconds if 0 < seconds <= MAX_EXPIRES_IN else None
