"""Forms of the version pages. They check what a person can fix at once; the API checks the
rest (reserved or malformed names, names taken) and its answers go next to these fields."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from dashboard.connect.models import ConnectorVersion

# API field path -> form field, for placing the API's field errors.
CREATE_FIELDS = {"name": "name", "fromVersion": "from_version"}
EDIT_FIELDS = {"description": "description"}


class VersionCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=64,
        help_text="E.g. 1.2.0 or 2026.01: letters, digits, “.”, “_”, “+” and “-”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    from_version = forms.ChoiceField(
        label="Start from",
        required=False,
        help_text="A copy of an existing version's actions, triggers and definitions, or nothing.",
    )

    def __init__(self, *args, versions: list[ConnectorVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_version"].choices = [("", "A blank version")] + [
            (version.name, f"Version {version.name}") for version in versions
        ]


class VersionEditForm(forms.Form):
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=10_000,
        help_text="What this version is, or what changed since the last one.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # The version's `updatedAt` when the form was loaded: the save is refused if it changed.
    updated_at = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def for_version(cls, version: ConnectorVersion) -> "VersionEditForm":
        return cls(
            initial={
                "description": version.description,
                "updated_at": version.updated_at.isoformat(),
            }
        )

    def clean_updated_at(self) -> datetime:
        try:
            return datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError:
            raise ValidationError(
                "This form is damaged; reload the page to edit the version."
            ) from None


class ItemFilterForm(forms.Form):
    """The name filter and cursor of an actions, triggers or definitions list."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Filter by name", "autocomplete": "off"}
        ),
    )
    after = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    before = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
