"""The spec-upload form: an OpenAPI document by file or by URL, and a version name where a
connector gets a new version.

A successful preview puts the kept upload's token in `upload`; the form posted again without
a file or URL reuses that document, so a user who fixes the version name or imports later
never chooses the file again.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from dashboard.validators import (
    RESERVED_VERSION_NAMES,
    VERSION_NAME,
    WebURLField,
    version_name,
    version_taken,
)

DOCUMENT_TYPES = ".json,.yaml,.yml,application/json,application/yaml,application/x-yaml,text/yaml"


def first_version_name(doc: dict) -> str:
    """The name a new connector's first version gets from the document: its `info.version`,
    when that can name a version ("" when not: the API then picks a name)."""
    name = str(doc["info"].get("version", ""))
    ok = VERSION_NAME.match(name) and name.lower() not in RESERVED_VERSION_NAMES
    return name if ok else ""


class SpecUploadForm(forms.Form):
    file = forms.FileField(
        label="OpenAPI document",
        required=False,
        help_text="An OpenAPI 3.0 or 3.1 document in JSON or YAML: drop it here or choose it.",
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_TYPES}),
    )
    url = WebURLField(
        label="Or the document’s URL",
        required=False,
        placeholder="https://api.example.com/openapi.json",
    )
    upload = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # Shown when a connector has the new one's name: environments match connectors by name,
    # so a second one of that name is made only on purpose.
    namesake = forms.BooleanField(required=False)
    # The particulars of why the document was refused, each with its JSON pointer(s).
    failure_messages: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" Up to {filesizeformat(settings.OPENAPI_MAX_BYTES)}."

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.size > settings.OPENAPI_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(file.size)}; the largest document Patchbay "
                f"imports is {filesizeformat(settings.OPENAPI_MAX_BYTES)}.",
                code="too_large",
            )
        return file

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("file") and data.get("url"):
            raise forms.ValidationError("Give a file or a URL, not both.", code="two_documents")
        if not (data.get("file") or data.get("url") or data.get("upload")):
            self.add_error("file", "Choose an OpenAPI document, drop one here, or give its URL.")
        return data

    @property
    def new_document(self) -> bool:
        """Whether a file or URL was given (rather than reusing the previewed upload)."""
        return bool(self.cleaned_data.get("file") or self.cleaned_data.get("url"))

    def add_failure(self, field: str, message: str, messages: list) -> None:
        """Put a refused document's reason next to where it came from (`file` or `url`),
        and its particulars (Messages with their JSON pointers) below it."""
        self.add_error(field, message)
        self.failure_messages = messages


class VersionUploadForm(SpecUploadForm):
    """The upload form for a new version of a connector whose versions are `existing`."""

    version = forms.CharField(
        label="Version name",
        max_length=64,
        help_text="The new version, e.g. 1.1.0. It is created as a draft.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["version", "file", "url", "upload"]

    def __init__(self, *args, existing: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["namesake"]  # a version is added to its connector, never a namesake
        self.existing = set(existing)

    def clean_version(self):
        name = self.cleaned_data["version"].strip()
        version_name(name)
        if name in self.existing:
            raise version_taken(name)
        return name
