"""Template filters for connector pages."""

from urllib.parse import urlsplit

from django import template

from dashboard.connectors.tags import terms_of

register = template.Library()


@register.filter
def web_url(value: str) -> str:
    """`value` if it is an http(s) URL, else "": user-entered URLs become links only when
    they cannot run script (`javascript:`) or reach odd schemes."""
    try:
        parts = urlsplit(value or "")
    except ValueError:
        return ""
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


@register.filter
def tag_terms(tags: dict[str, list[str]]) -> list[str]:
    """A connector's tags as `key`/`key:value` terms."""
    return terms_of(tags or {})
