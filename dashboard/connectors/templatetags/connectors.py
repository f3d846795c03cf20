"""Template filters for connector pages."""

from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString

from dashboard.connectors import catalogue
from dashboard.connectors.filters import CATEGORIES, NOTHING
from dashboard.connectors.tags import terms_of
from dashboard.openapi.messages import readable
from dashboard.web.markup import format_html, join_html
from dashboard.wording import field_words

register = template.Library()
SELECTED = SafeString(" selected")


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
def protocol_name(slug: str) -> str:
    """A protocol's name (`Google BigQuery`), from the API's catalogue of them."""
    return catalogue.protocol_names()[slug]


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


@register.simple_tag
def category_options(form, selected=()) -> SafeString:
    """A connector filter form's categories as a select's options, those in `selected` (the
    bulk bar's, as posted) selected. Made in Python: see ConnectorFilterForm."""
    chosen = set(selected or ())
    return join_html(
        format_html(
            '<option value="{}"{}>{}</option>',
            value,
            SELECTED if value in chosen else NOTHING,
            label,
        )
        for value, label in form.fields[CATEGORIES].choices
    )
