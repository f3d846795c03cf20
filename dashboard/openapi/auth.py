"""`components.securitySchemes` to auth scheme configs (the contract's AuthSchemeConfig JSON).

Rules, per scheme in document order (each config gets a new ULID `id` and, as `description`,
the scheme's key, plus the flow for OAuth 2.0 schemes with several flows):
- `apiKey` -> `api-key` with the same `name` and `in` (query, header or cookie).
- `http` `basic` -> `basic-auth`.
- `http` `bearer` -> `api-key` sent in the `Authorization` header, the nearest supported
  scheme; a warning says the credential must include the `Bearer ` prefix.
  Other `http` schemes (digest...) are dropped with a warning.
- `oauth2` -> one `oauth2` config per flow: `authorizationCode` -> grant
  `authorization_code`, `clientCredentials` -> `client_credentials`, `password` ->
  `password`, with the flow's URLs (relative ones resolved against the base URL; a flow
  without an authorization URL gets "") and scopes. `defaultScopes` are the flow's scopes
  that the document's top-level `security` asks of that scheme. `implicit` is dropped with a warning
  (no supported grant; OAuth 2.0 Security BCP discourages it).
- `openIdConnect` -> not imported; a warning gives the discovery URL to configure by hand.
- `mutualTLS` -> `certificate`.
- No schemes at all, nothing importable, or an empty requirement (`{}`) in the top-level
  `security` (authentication optional) -> a `none` config as well.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from ulid import ULID

from .messages import Message, pointer
from .refs import Document

API_KEY_IN = ("query", "header", "cookie")
GRANTS = {
    "authorizationCode": "authorization_code",
    "clientCredentials": "client_credentials",
    "password": "password",
}


def _config(scheme_type: str, description: str, **fields: Any) -> dict[str, Any]:
    return {"id": str(ULID()), "description": description, "schemeType": scheme_type, **fields}


def _absolute(url: Any, base_url: str) -> str:
    text = url if isinstance(url, str) else ""
    if text and not urlsplit(text).scheme and urlsplit(base_url).scheme:
        return urljoin(base_url + "/", text)
    return text


class AuthMapper:
    """Maps the security schemes of one document; warnings go to `messages`."""

    def __init__(self, doc: Document, base_url: str, messages: list[Message]) -> None:
        self.doc = doc
        self.base_url = base_url
        self.messages = messages
        security = doc.root.get("security") or []
        self.required_scopes: dict[str, dict[str, None]] = {}
        for requirement in security:
            for name, scopes in requirement.items():
                self.required_scopes.setdefault(name, {}).update(dict.fromkeys(scopes or []))
        self.optional = any(requirement == {} for requirement in security)

    def configs(self) -> list[dict[str, Any]]:
        schemes = (self.doc.root.get("components") or {}).get("securitySchemes") or {}
        configs: list[dict[str, Any]] = []
        for key, raw in schemes.items():
            where = pointer("components", "securitySchemes", key)
            scheme, _ = self.doc.deref(raw, where, "a security scheme")
            configs.extend(self._map(key, scheme, where))
        if not configs or self.optional:
            configs.append(_config("none", "No authentication"))
        return configs

    def _map(self, key: str, scheme: dict[str, Any], where: str) -> list[dict[str, Any]]:
        kind = scheme.get("type")
        if (
            kind == "apiKey"
            and isinstance(scheme.get("name"), str)
            and scheme.get("in") in API_KEY_IN
        ):
            return [_config("api-key", key, name=scheme["name"], **{"in": scheme["in"]})]
        if kind == "mutualTLS":
            return [_config("certificate", key)]
        if kind == "http":
            http_scheme = str(scheme.get("scheme", "")).lower()
            if http_scheme == "basic":
                return [_config("basic-auth", key)]
            if http_scheme == "bearer":
                self.messages.append(
                    Message.warning(
                        f"Security scheme '{key}' (HTTP bearer) was imported as an API key sent in "
                        "the Authorization header: the credential's value must include the "
                        "'Bearer ' prefix.",
                        where,
                    )
                )
                return [_config("api-key", key, name="Authorization", **{"in": "header"})]
            self.messages.append(
                Message.warning(
                    f"Security scheme '{key}' (HTTP {http_scheme}) is not supported; dropped.",
                    where,
                )
            )
            return []
        if kind == "oauth2":
            return self._oauth2(key, scheme.get("flows") or {}, where)
        if kind == "openIdConnect":
            self.messages.append(
                Message.warning(
                    f"Security scheme '{key}' (OpenID Connect) was not imported: add an OAuth 2.0 "
                    f"auth scheme config using the endpoints of {scheme.get('openIdConnectUrl')}.",
                    where,
                )
            )
            return []
        self.messages.append(
            Message.warning(f"Security scheme '{key}' of type {kind!r} was dropped.", where)
        )
        return []

    def _oauth2(self, key: str, flows: dict[str, Any], where: str) -> list[dict[str, Any]]:
        configs = []
        for flow_name, flow in flows.items():
            flow_where = f"{where}/flows/{flow_name}"
            grant = GRANTS.get(flow_name)
            if grant is None:
                reason = (
                    "the implicit flow is not supported (use authorizationCode)"
                    if flow_name == "implicit"
                    else "this flow is not supported"
                )
                self.messages.append(
                    Message.warning(
                        f"OAuth 2.0 flow '{flow_name}' of '{key}' was dropped: {reason}.",
                        flow_where,
                    )
                )
                continue
            scopes = flow.get("scopes") or {}
            configs.append(
                _config(
                    "oauth2",
                    key if len(flows) == 1 else f"{key} ({flow_name})",
                    authorizeUrl=_absolute(flow.get("authorizationUrl"), self.base_url),
                    tokenUrl=_absolute(flow.get("tokenUrl"), self.base_url),
                    scopes=[
                        {"name": name, "description": text if isinstance(text, str) else ""}
                        for name, text in scopes.items()
                    ],
                    defaultScopes=[s for s in self.required_scopes.get(key, {}) if s in scopes],
                    grant={"grantType": grant},
                )
            )
        return configs
