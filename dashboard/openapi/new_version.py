"""Importing a new version of an existing connector: what changes, and what is only reported.

A version gets its own actions, triggers and definitions from the document. The connector's
base URL and auth scheme configs belong to the connector, not to a version, and connections
and credentials already depend on them, so an import never changes them. Instead,
`new_version_messages` compares them with what the document says:

- a warning for every auth scheme in the document that no config on the connector matches
  (this version may need it: add it on the connector);
- an info for every config on the connector that the document no longer mentions (kept);
- an info when the document's base URL differs from the connector's (kept).

Configs match on what makes them behave differently: scheme type, plus `name`/`in` for
API keys and grant type and URLs for OAuth 2.0. Descriptions and ids do not matter.
"""

from __future__ import annotations

from typing import Any

from .importer import ImportResult
from .messages import Message


def _signature(config: dict[str, Any]) -> tuple[Any, ...]:
    scheme_type = config.get("schemeType")
    if scheme_type == "api-key":
        return (scheme_type, config.get("name"), config.get("in"))
    if scheme_type == "oauth2":
        grant = (config.get("grant") or {}).get("grantType")
        return (scheme_type, grant, config.get("tokenUrl"), config.get("authorizeUrl") or "")
    return (scheme_type,)


def _label(config: dict[str, Any]) -> str:
    return f"'{config.get('description') or config.get('schemeType')}' ({config.get('schemeType')})"


def new_version_messages(
    result: ImportResult, *, base_url: str, auth_scheme_configs: list[dict[str, Any]]
) -> list[Message]:
    """Messages for importing `result` as a new version of a connector with this base URL
    and these auth scheme configs (the contract's AuthSchemeConfig JSON)."""
    messages: list[Message] = []
    existing = {_signature(config) for config in auth_scheme_configs}
    imported = {_signature(config) for config in result.auth_scheme_configs}
    for config in result.auth_scheme_configs:
        if _signature(config) not in existing:
            messages.append(
                Message.warning(
                    f"The document's auth scheme {_label(config)} is not among the connector's "
                    "auth scheme configs, which were left unchanged; add it to the connector if "
                    "this version needs it.",
                    "/components/securitySchemes",
                )
            )
    for config in auth_scheme_configs:
        if _signature(config) not in imported:
            messages.append(
                Message.info(
                    f"The connector's auth scheme config {_label(config)} is not in the "
                    "document; it was kept."
                )
            )
    document_url = result.connector.base_url
    if document_url and not base_url:
        messages.append(
            Message.info(
                f"The connector has no base URL; the document's, {document_url}, is not used.",
                "/servers/0/url",
            )
        )
    elif document_url and document_url != base_url.rstrip("/"):
        messages.append(
            Message.info(
                f"The document's base URL {document_url} differs from the connector's {base_url}; "
                "the connector's base URL was kept.",
                "/servers/0/url",
            )
        )
    return messages
