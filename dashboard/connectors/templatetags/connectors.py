"""Template filters for connector pages."""

from urllib.parse import urlsplit

from django import template

from dashboard.connectors.tags import terms_of
from dashboard.openapi.messages import readable
from dashboard.wording import field_words

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


@register.filter
def readable_pointer(where: str) -> str:
    """A JSON pointer into a document, as `paths › /pets › get` (no `~1` escapes)."""
    return readable(where)


@register.filter
def api_field(field: str) -> str:
    """An API field path as a person names it (`action listPets: path`)."""
    return field_words(field)
