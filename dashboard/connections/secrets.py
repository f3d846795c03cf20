"""Write-only form fields for secrets: API keys, passwords, client secrets, private keys.

A secret goes from the browser to the Connect API and never back: its input is never
prefilled, not even when a form is re-rendered with errors (static/js/forms.js carries what
was typed over in the browser; without JavaScript the user re-enters it), and
browsers are asked not to remember or autofill it. The cleaned value is a `SecretStr`, so it
prints as `**********` if it ever reaches a log line or a template by mistake.
"""

from django import forms
from pydantic import SecretStr

# Password managers ignore autocomplete="off" on password inputs but honour "new-password".
_NO_AUTOFILL = {"autocomplete": "new-password", "spellcheck": "false", "autocapitalize": "off"}


class SecretInput(forms.PasswordInput):
    """A password input that never renders a value."""

    def __init__(self, attrs=None):
        super().__init__(attrs={**_NO_AUTOFILL, **(attrs or {})}, render_value=False)


class SecretTextarea(forms.Textarea):
    """A textarea (for PEM private keys) that never renders its value."""

    def __init__(self, attrs=None):
        # data-secret: static/js/forms.js carries it over a re-rendered form, in the browser.
        attrs = {
            **_NO_AUTOFILL,
            "autocomplete": "off",
            "rows": 4,
            "data-secret": "",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs)

    def format_value(self, value):
        return None


class SecretField(forms.CharField):
    """A secret typed by the user; cleans to a `SecretStr` (None when left empty)."""

    is_secret = True

    def __init__(self, *, multiline: bool = False, **kwargs):
        kwargs.setdefault("widget", SecretTextarea if multiline else SecretInput)
        kwargs.setdefault("max_length", 1_000_000)
        # Whitespace may be part of a secret; never trim it.
        super().__init__(strip=False, **kwargs)

    def clean(self, value) -> SecretStr | None:
        cleaned = super().clean(value)
        return SecretStr(cleaned) if cleaned else None

    def bound_data(self, data, initial):
        # What was typed is never kept for re-rendering.
        return None
