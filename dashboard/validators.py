"""What forms accept in URL and name fields, checked before anything is sent to the API.

URLs are absolute `https://` or `http://` URLs (no `javascript:`, no relative paths); image
URLs only `https://`, the one scheme the Content-Security-Policy lets pages load images
from, or Patchbay's own address (its `'self'`: the demo logos it serves). Names follow the
patterns the Connect API holds them to, in words a person can act on.
"""

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

URL_MESSAGE = (
    "Enter a full web address starting with https:// or http://, e.g. https://api.example.com."
)
IMAGE_URL_MESSAGE = (
    "Enter an image address starting with https:// (pages only load images over HTTPS)."
)


def _is_absolute(value: str, schemes: set[str]) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    has_space = any(character.isspace() for character in value)
    return parts.scheme.lower() in schemes and bool(parts.hostname) and not has_space


def http_url(value: str) -> None:
    if not _is_absolute(value, {"http", "https"}):
        raise ValidationError(URL_MESSAGE, code="url")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def https_url(value: str) -> None:
    if _is_absolute(value, {"https"}):
        return
    own = settings.EMBEDDED_API_PUBLIC_URL
    if not (own and _is_absolute(value, {"http"}) and _origin(value) == _origin(own)):
        raise ValidationError(IMAGE_URL_MESSAGE, code="url")


# An action's or trigger's name (the contract's ActionName).
item_name = RegexValidator(
    r"^[a-zA-Z0-9_$-]+$", "Use only letters, digits, “_”, “-” and “$”, without spaces."
)
# A definition's name: referred to as #/$defs/<name>.
definition_name = RegexValidator(
    r"^[a-zA-Z0-9_-]+$", "Use only letters, digits, “_” and “-”, without spaces."
)
# A connection variable's name: put into paths and defaults as {{ conn.<name> }}.
variable_name = RegexValidator(
    r"^[a-zA-Z0-9_-]+$", "Use only letters, digits, “_” and “-”, without spaces."
)
# An organisation's id: the contract's path parameter is a ULID (Crockford's base 32).
organisation_id = RegexValidator(
    r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "Enter the organisation's ID: 26 letters and digits, e.g. 01JQ0PATCHBAY0DEM0RGAN1SAT.",
)
# Version names go into URLs: SemVer (1.2.0-rc.1+build), CalVer (2025.01), plain numbers;
# `latest` and `default` name other things in version URLs.
VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
RESERVED_VERSION_NAMES = frozenset({"latest", "default"})


def version_name(value: str) -> None:
    if not VERSION_NAME.match(value):
        raise ValidationError(
            "Use letters, digits, dots, dashes, underscores or plus signs, starting with a "
            "letter or digit (e.g. 1.1.0).",
            code="invalid",
        )
    if value.lower() in RESERVED_VERSION_NAMES:
        raise ValidationError(f"“{value}” is reserved; choose another name.", code="reserved")


def version_taken(value: str) -> ValidationError:
    """The error for a version name the connector already has (every form naming a version)."""
    return ValidationError(
        f"This connector already has a version “{value}”; choose another name.", code="exists"
    )


# A header, query parameter or cookie name: an HTTP token (RFC 9110), brackets allowed for
# query parameters such as filter[name].
parameter_name = RegexValidator(
    r"^[A-Za-z0-9!#$%&'*+.^_`|~\[\]-]+$",
    "Use letters, digits and “-”, “_” or “.”, without spaces.",
)


class WebURLField(forms.CharField):
    """A URL field: an absolute https:// or http:// URL (`image`: https:// only), typed on a
    URL keyboard. A text input, not `type=url`, so the message is ours, not the browser's."""

    def __init__(self, *, image: bool = False, placeholder: str = "", **kwargs):
        attrs = {"inputmode": "url", "spellcheck": "false"}
        if placeholder:
            attrs["placeholder"] = placeholder
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)
        self.validators.append(https_url if image else http_url)
