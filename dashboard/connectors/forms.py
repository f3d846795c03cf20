"""Forms of the connector pages: create, edit, tags, categories and connection variables.

They check what a person can fix at once (required fields, lengths, the tag notation); the
API checks the rest and its answers are placed next to these fields (dashboard/web/api_errors.py).
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from ulid import ULID

from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigNone,
    ConnectionVariable,
    Connector,
)
from dashboard.validators import WebURLField, parameter_name, variable_name
from dashboard.web.forms import BaseRowFormSet

from .tags import parse_terms, terms_of

TAGS_HELP = (
    "Separate tags with commas or new lines; each is key or key:value, without spaces, "
    "e.g. team:payments, beta."
)
CONNECTOR_FIELDS = {  # API field path -> form field
    "name": "name",
    "base_url": "base_url",
    "public": "public",
    "tags": "tags",
    "documentation_url": "documentation_url",
    "image_url": "image_url",
    "auth_scheme_configs[0].scheme_type": "auth_scheme_type",
    "auth_scheme_configs[0].description": "auth_description",
    "auth_scheme_configs[0].name": "auth_key_name",
    "auth_scheme_configs[0].in_": "auth_key_in",
    "auth_scheme_configs": "auth_scheme_type",
}


class TagsField(forms.CharField):
    """Tags typed as `key` or `key:value` terms; cleans to the API's `{key: [values]}`."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", TAGS_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(terms_of(value)) if isinstance(value, dict) else value

    def clean(self, value) -> dict[str, list[str]]:
        return parse_terms(super().clean(value) or "")


class CategoriesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


# --- Connection variables --------------------------------------------------------------------


class VariableForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=200, validators=[variable_name])
    value = forms.CharField(label="Value", required=False, max_length=10_000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") and not cleaned.get("name") and not self.has_error("name"):
            self.add_error("name", "A variable with a value needs a name.")
        return cleaned


class BaseVariableFormSet(BaseRowFormSet):
    """Connection variables: name/value rows."""

    api_field = "connection_variables"

    def variables(self) -> list[ConnectionVariable]:
        return [ConnectionVariable(**form.cleaned_data) for form in self.filled()]


VariableFormSet = forms.formset_factory(
    VariableForm, formset=BaseVariableFormSet, extra=1, max_num=200, validate_max=True
)


def variable_formset(data=None, variables: list[ConnectionVariable] = ()) -> BaseVariableFormSet:
    initial = [{"name": v.name, "value": v.value} for v in variables]
    if data is not None:
        return VariableFormSet(data, prefix="variables")
    return VariableFormSet(initial=initial, prefix="variables")


# --- Create ----------------------------------------------------------------------------------

AUTH_SCHEME_TYPES = [
    ("none", "No authentication"),
    ("api-key", "API key"),
    ("basic-auth", "Basic auth (username and password)"),
]


class ConnectorCreateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    base_url = WebURLField(label="Base URL", help_text="e.g. https://api.example.com/v1")
    auth_scheme_type = forms.ChoiceField(
        label="Authentication", choices=AUTH_SCHEME_TYPES, initial="none"
    )
    auth_description = forms.CharField(label="Description", required=False, max_length=1000)
    auth_key_name = forms.CharField(
        label="API key parameter name",
        required=False,
        max_length=200,
        validators=[parameter_name],
        help_text="Needed for an API key: the header, query parameter or cookie that carries "
        "it, e.g. X-API-Key.",
    )
    auth_key_in = forms.ChoiceField(
        label="Sent in",
        choices=[("header", "Header"), ("query", "Query parameter"), ("cookie", "Cookie")],
        initial="header",
        required=False,
    )
    tags = TagsField(label="Tags")
    categories = CategoriesField(label="Categories")
    public = forms.BooleanField(
        label="Public", required=False, help_text="Listed in every organisation's library."
    )

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c, c) for c in categories]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("auth_scheme_type") == "api-key" and not cleaned.get("auth_key_name"):
            self.add_error("auth_key_name", "An API key needs the name it is sent under.")
        return cleaned

    def auth_scheme_config(self):
        """The first auth scheme config, with a new id (the API wants the client to make it)."""
        data = self.cleaned_data
        common = {"id": str(ULID()), "description": data["auth_description"]}
        if data["auth_scheme_type"] == "api-key":
            return AuthSchemeConfigAPIKey(
                **common, name=data["auth_key_name"], in_=data["auth_key_in"] or "header"
            )
        if data["auth_scheme_type"] == "basic-auth":
            return AuthSchemeConfigBasicAuth(**common)
        return AuthSchemeConfigNone(**common)


# --- Edit ------------------------------------------------------------------------------------


class ConnectorEditForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    base_url = WebURLField(label="Base URL")
    documentation_url = WebURLField(label="Documentation URL", required=False)
    image_url = WebURLField(
        label="Image URL", required=False, image=True, help_text="An https:// address."
    )
    public = forms.BooleanField(
        label="Public", required=False, help_text="Listed in every organisation's library."
    )
    # The connector's `updatedAt` when the form was loaded: the save is refused if it changed.
    updated_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, stored: Connector | None = None, **kwargs):
        """`stored`: the connector as saved. An address left as it was stored is kept as it
        is (e.g. an http:// logo set through the API), so it never blocks other edits."""
        super().__init__(*args, **kwargs)
        for name in ("base_url", "documentation_url", "image_url"):
            kept = getattr(stored, name, None)
            if kept and self.data.get(name) == kept:
                self.fields[name].validators = []

    @classmethod
    def for_connector(cls, connector: Connector) -> "ConnectorEditForm":
        return cls(
            initial={
                "name": connector.name,
                "base_url": getattr(connector, "base_url", ""),
                "documentation_url": connector.documentation_url,
                "image_url": connector.image_url,
                "public": connector.public,
                "updated_at": connector.updated_at.isoformat(),
            }
        )

    def clean_updated_at(self) -> datetime:
        try:
            return datetime.fromisoformat(self.cleaned_data["updated_at"])
        except ValueError:
            raise ValidationError(
                "This form is damaged; reload the page to edit the connector."
            ) from None


# --- In-place edits --------------------------------------------------------------------------


# The connector page opens these in place (htmx focuses `autofocus` in swapped content): the
# focus goes to what was opened, not back to the page's start.
class TagsForm(forms.Form):
    tags = TagsField(label="Tags", widget=forms.Textarea(attrs={"rows": 2, "autofocus": True}))


class CategoriesForm(forms.Form):
    categories = CategoriesField(
        label="Categories", widget=forms.CheckboxSelectMultiple(attrs={"autofocus": True})
    )

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c, c) for c in categories]
