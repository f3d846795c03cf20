"""Connector tags as people type and read them: `key` or `key:value`.

The API stores tags as `{key: [values]}` (a key may have no values); filters and forms use the
same `key:value` terms the API's `tags` filter takes, so one notation works everywhere.
"""

import re

from django.core.exceptions import ValidationError

MAX_KEY = 100
MAX_VALUE = 200
# Terms are separated by commas or line breaks (neither may appear inside a key or value).
_SEPARATORS = re.compile(r"[,\n\r]+")
_SPACE = re.compile(r"\s")
SHOWN = 40  # characters of a bad term echoed in its message


def terms_of(tags: dict[str, list[str]]) -> list[str]:
    """Every tag as a term: `key:value` per value, or `key` for a key without values."""
    return [f"{key}:{value}" for key, values in tags.items() for value in values] + [
        key for key, values in tags.items() if not values
    ]


def _shown(raw: str) -> str:
    """A bad term as its message echoes it: cut short, so a pasted page is not repeated."""
    term = raw.strip()
    return term if len(term) <= SHOWN else f"{term[:SHOWN]}…"


def clean_term(raw: str) -> str:
    """One term, normalised (`key` or `key:value`, spaces trimmed); ValidationError if it has no
    key or is too long."""
    key, _, value = raw.partition(":")
    key, value = key.strip(), value.strip()
    if not key:
        raise ValidationError(
            "“%(term)s” has no key: write key or key:value.", params={"term": _shown(raw)}
        )
    if len(key) > MAX_KEY or len(value) > MAX_VALUE:
        raise ValidationError(
            "“%(term)s” is too long (keys up to %(key)d characters, values up to %(value)d).",
            params={"term": _shown(raw), "key": MAX_KEY, "value": MAX_VALUE},
        )
    return f"{key}:{value}" if value else key


def clean_new_term(raw: str) -> str:
    """A term to write: as clean_term, and without spaces inside its key or value. The list
    shows tags separated by spaces, so `env:prod team:x` must not save as one tag."""
    term = clean_term(raw)
    if _SPACE.search(term):
        raise ValidationError(
            "“%(term)s” has a space in it: separate tags with commas or new lines "
            "(a key or value cannot hold spaces).",
            params={"term": _shown(raw)},
        )
    return term


def parse_terms(text: str) -> dict[str, list[str]]:
    """The tags written in `text` (terms separated by commas or lines) as the API's mapping."""
    tags: dict[str, list[str]] = {}
    errors = []
    for raw in _SEPARATORS.split(text):
        if not raw.strip():
            continue
        try:
            term = clean_new_term(raw)
        except ValidationError as error:
            errors.append(error)
            continue
        key, _, value = term.partition(":")
        values = tags.setdefault(key, [])
        if value and value not in values:
            values.append(value)
    if errors:
        raise ValidationError(errors)
    return tags
