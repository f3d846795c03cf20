"""Markup for long tables, made in Python: with hundreds of rows (the connectors list, an
import's preview), Django's template engine spends most of a page's time on variable lookups.
Everything not already marked safe is escaped, as in templates."""

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe


def format_html(template: str, *args) -> SafeString:
    """Django's `format_html` (escape the arguments not marked safe, format, mark the result
    safe), less its lazy-string checks, which cost more than the formatting itself."""
    escaped = (arg if isinstance(arg, SafeString) else escape(str(arg)) for arg in args)
    return mark_safe(template.format(*escaped))  # noqa: S308 (every argument is escaped)


def join_html(pieces: Iterable[SafeString], separator: str = "") -> SafeString:
    """Pieces of markup (each from `format_html`) joined by a literal `separator`."""
    return mark_safe(separator.join(pieces))  # noqa: S308 (pieces are markup already)
