"""The fixed catalogues: categories, protocols and the auth schemes each protocol supports.

They are constants, not tables: the set is defined by the contract and by what this
implementation can run, so it changes with the code, never at run time.
"""

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest

from ..errors import bad_request, not_found
from ..pagination import DEFAULT_FIRST, MAX_FIRST

CATEGORIES = (
    "Development & IT",
    "ERP",
    "Supply Chain & Logistics",
    "Communication",
    "Accounting",
    "Hospitality",
    "Productivity",
    "HR",
    "CRM",
    "AI/LLMs",
    "eCommerce",
    "Business Operations",
)


def _icon(path: str) -> str:
    """A small inline SVG as a data URI, so the API needs no static files to deploy alone."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="currentColor" stroke-width="2"><path d="{path}"/></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


@dataclass(frozen=True)
class Protocol:
    id: str
    slug: str
    name: str
    description: str
    icon_url: str
    auth_schemes: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "iconURL": self.icon_url,
        }


@dataclass(frozen=True)
class AuthScheme:
    id: str
    type: str
    name: str
    description: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "description": self.description,
        }


AUTH_SCHEMES = {
    scheme.type: scheme
    for scheme in (
        AuthScheme(
            "01HK153X00DDZY4654NTMDTH6V",
            "none",
            "No authentication",
            "Requests are sent without credentials.",
        ),
        AuthScheme(
            "01HK153XZ8P12150JR7D0KS52V",
            "api-key",
            "API key",
            "A secret key sent in a header, query parameter or cookie of every request.",
        ),
        AuthScheme(
            "01HK153YYG82A82XSMHVSJJ8BD",
            "basic-auth",
            "Basic authentication",
            "A username and password sent in the Authorization header (RFC 7617).",
        ),
        AuthScheme(
            "01HK153ZXRJYWW8ZZ9VGNZXGKF",
            "oauth2",
            "OAuth 2.0",
            "Access tokens from an OAuth 2.0 provider, through the authorization code, client "
            "credentials or password grant.",
        ),
        AuthScheme(
            "01HK1540X0QSF132Z2JQYFRPPS",
            "hmac",
            "HMAC signature",
            "A keyed hash of the request body and/or URL, mostly used to verify webhook senders.",
        ),
        AuthScheme(
            "01HK1541W8N3SR30NHE64WDVNW",
            "certificate",
            "Client certificate",
            "Mutual TLS with a client certificate and private key.",
        ),
    )
}

PROTOCOLS = {
    protocol.slug: protocol
    for protocol in (
        Protocol(
            "01HK1542VGHWKBCHQ9A0PAJMCD",
            "http",
            "HTTP",
            "Talk to any HTTP API: each action is one request, each trigger a webhook.",
            _icon("M3 12h18M12 3a15 15 0 0 1 0 18M12 3a15 15 0 0 0 0 18M12 3a9 9 0 1 0 0 18"),
            ("none", "api-key", "basic-auth", "oauth2", "hmac", "certificate"),
        ),
        Protocol(
            "01HK1543TR6MNB0RDNHWCMF3PN",
            "bigquery",
            "Google BigQuery",
            "Run SQL queries against a BigQuery dataset through the BigQuery API.",
            _icon("M4 6c0-2 16-2 16 0v12c0 2-16 2-16 0zM4 6c0 2 16 2 16 0M4 12c0 2 16 2 16 0"),
            # Google's APIs take OAuth 2.0 tokens; the contract's AuthSchemeConfig has no
            # service-account shape, so that is the one scheme a BigQuery connector can use.
            ("oauth2",),
        ),
    )
}


def protocol(slug: str) -> Protocol:
    try:
        return PROTOCOLS[slug]
    except KeyError:
        raise not_found("protocol") from None


def list_categories(request: HttpRequest) -> list[str]:
    """ListCategories: every category a connector can be filed under."""
    return list(CATEGORIES)


def list_protocols(request: HttpRequest, organisation_id: str) -> dict:
    """ListProtocols: the protocols this implementation supports, paged like any list."""
    items, info = _static_page(request, [p.as_dict() for p in PROTOCOLS.values()])
    return {"protocols": items, **info}


def list_auth_schemes(request: HttpRequest, organisation_id: str, protocol_slug: str) -> dict:
    """ListAuthSchemes: the auth schemes connectors of one protocol can be configured with."""
    schemes = [AUTH_SCHEMES[name].as_dict() for name in protocol(protocol_slug).auth_schemes]
    items, info = _static_page(request, schemes)
    return {"authSchemes": items, **info}


def _static_page(request: HttpRequest, items: list[dict]) -> tuple[list[dict], dict]:
    """`first`/`after`/`before` over a short constant list; cursors are item ids, encoded."""
    raw_first = request.GET.get("first") or str(DEFAULT_FIRST)
    if not raw_first.isdigit() or int(raw_first) < 1:
        raise bad_request(
            "'first' must be a positive integer.",
            [{"field": "first", "message": "must be a positive integer"}],
        )
    first = min(int(raw_first), MAX_FIRST)
    after, before = request.GET.get("after"), request.GET.get("before")
    if after and before:
        raise bad_request("Use either 'after' or 'before', not both.")
    ids = [item["id"] for item in items]
    if before:
        end = _position(before, ids)
        start = max(0, end - first)
    else:
        start = _position(after, ids) + 1 if after else 0
        end = start + first
    page = items[start:end]
    info: dict = {"totalCount": len(items)}
    if page and end < len(items):
        info["next"] = _cursor(ids[end - 1])
    if page and start > 0:
        info["prev"] = _cursor(ids[start])
    return page, info


def _cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def _position(cursor: str, ids: list[str]) -> int:
    try:
        return ids.index(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_request(
            "The cursor is not valid for this list; start again from the first page.",
            [{"field": "after/before", "message": "invalid cursor"}],
        ) from None
