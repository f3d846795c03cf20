"""`validationMessages` of auth scheme configs: advice the API computes whenever a connector's
configs (or its base URL) change. Hard errors are refused with a 400 by the schemas; these are
things that work but deserve a second look."""

from collections import Counter

from ..models import AuthSchemeConfig, Connector


def _message(severity: str, text: str, detail: list[str] | None = None) -> dict:
    message = {"text": text, "severity": severity}
    if detail:
        message["detail"] = detail
    return message


def refresh_validation_messages(connector: Connector) -> None:
    """Recompute and store the messages of every auth scheme config of `connector`."""
    configs = list(connector.auth_scheme_configs.all())
    per_type = Counter(config.scheme_type for config in configs)
    has_certificate = per_type[AuthSchemeConfig.SchemeType.CERTIFICATE] > 0
    for config in configs:
        messages = _messages(config, connector, has_certificate)
        if per_type[config.scheme_type] > 1 and not config.description:
            messages.append(
                _message(
                    "warning",
                    f"Several {config.scheme_type} configs exist; describe each so users can "
                    "tell them apart when they connect.",
                )
            )
        config.validation_messages = messages
    AuthSchemeConfig.objects.bulk_update(configs, ["validation_messages"])


def _messages(config: AuthSchemeConfig, connector: Connector, has_certificate: bool) -> list:
    fields = config.config
    plain_http = connector.base_url.lower().startswith("http://")
    messages = []
    if config.scheme_type == "api-key" and fields.get("in") == "query":
        messages.append(
            _message(
                "info",
                "The API key is sent in the query string, where proxies and server logs may "
                "record it; prefer a header if the API accepts one.",
            )
        )
    if config.scheme_type in {"api-key", "basic-auth"} and plain_http:
        messages.append(
            _message(
                "warning",
                "The connector's base URL uses plain HTTP, so this credential travels unencrypted.",
            )
        )
    if config.scheme_type == "hmac":
        if not fields.get("digestInputs"):
            messages.append(
                _message(
                    "error",
                    "No digest inputs are selected, so the signature covers nothing; choose "
                    "the body, the URL, or both.",
                )
            )
        if fields.get("algorithm") == "sha1":
            messages.append(
                _message(
                    "warning", "SHA-1 is weak; use sha256 or sha512 if the provider supports it."
                )
            )
    if config.scheme_type == "oauth2":
        messages += _oauth2_messages(fields, has_certificate)
    return messages


def _oauth2_messages(fields: dict, has_certificate: bool) -> list:
    messages = []
    known = {scope["name"] for scope in fields.get("scopes", [])}
    if unknown := [scope for scope in fields.get("defaultScopes", []) if scope not in known]:
        messages.append(
            _message("warning", "Some default scopes are not among the listed scopes.", unknown)
        )
    insecure = [
        name
        for name in ("authorizeUrl", "tokenUrl")
        if fields.get(name, "").lower().startswith("http://")
    ]
    if insecure:
        messages.append(
            _message(
                "warning", "OAuth 2.0 endpoints should use HTTPS; these use plain HTTP.", insecure
            )
        )
    grant = fields.get("grant", {})
    if grant.get("grantType") in {"authorization_code", "password"} and not grant.get(
        "credentialId"
    ):
        messages.append(
            _message(
                "info",
                "No client ID and secret are configured, so each connection must supply its own.",
            )
        )
    if fields.get("mtlsEnabled") and not fields.get("mtlsCredentialId") and not has_certificate:
        messages.append(
            _message(
                "warning",
                "mTLS is enabled but the connector has no certificate auth scheme config to take "
                "the client certificate from.",
            )
        )
    return messages
