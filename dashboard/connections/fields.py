"""Small form fields and validators shared by the connections pages."""

from datetime import datetime
from urllib.parse import parse_qsl

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def query_string(value: str) -> str:
    try:
        parse_qsl(value, keep_blank_values=True, strict_parsing=bool(value))
    except ValueError:
        raise ValidationError("Enter URL-encoded parameters, e.g. audience=api&x=y.") from None
    return value


def words(value: str) -> list[str]:
    """Scopes typed separated by spaces, commas or new lines, in order, without repeats."""
    return list(dict.fromkeys(value.replace(",", " ").split()))


class UpdatedAtField(forms.CharField):
    """The `updatedAt` of what the form edits, as it was when the form was loaded (hidden):
    sent as the write's precondition, so a save made on a stale page is refused."""

    widget = forms.HiddenInput

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, datetime) else value

    def clean(self, value) -> datetime:
        try:
            return datetime.fromisoformat(super().clean(value))
        except ValueError:
            raise ValidationError("This form is damaged; reload the page and try again.") from None


class ExpiryField(forms.DateTimeField):
    """An optional expiry in UTC, which must be in the future."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Expires (UTC)")
        super().__init__(**kwargs)

    def clean(self, value) -> datetime | None:
        moment = super().clean(value)
        if moment is not None and moment <= timezone.now():
            raise ValidationError("Choose a time in the future.")
        return moment
