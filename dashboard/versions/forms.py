"""Forms of the version pages. They check what a person can fix at once; the API checks the
rest (reserved or malformed names, names taken) and its answers go next to these fields."""

import json
import math
from datetime import datetime
from typing import Any

import jsonschema_rs
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from ulid import ULID

from dashboard.bulk.forms import BulkForm, KeysField
from dashboard.connect.models import (
    Action,
    ConnectorVersion,
    Definition,
    DefinitionCreate,
    DefinitionLink,
    DefinitionLinkCreate,
    DefinitionRef,
    DefinitionUpdate,
    HTTPParameter,
    HTTPRequestBody,
    HTTPRequestBodyCreate,
    HTTPResponse,
    HTTPResponseCreate,
    InlineSchema,
    Trigger,
)
from dashboard.openapi.messages import plain, pointer, readable
from dashboard.validators import (
    definition_name,
    item_name,
    parameter_name,
    version_name,
    version_taken,
)
from dashboard.web.forms import BaseRowFormSet

# API field path -> form field, for placing the API's field errors.
CREATE_FIELDS = {"name": "name", "from_version": "from_version"}
EDIT_FIELDS = {"description": "description"}
ENDPOINT_FIELDS = {name: name for name in ("name", "summary", "description", "method", "path")}
DEFINITION_FIELDS = {
    "name": "name",
    "description": "description",
    "accept": "accept",
    "schema_": "schema",
}
# The contract's HTTPMethod, ActionHTTPParameterIn (triggers: no "path") and parameter types.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE")
PARAMETER_PLACES = {
    "action": ("path", "query", "header", "cookie"),
    "trigger": ("query", "header", "cookie"),
}
PARAMETER_TYPES = ("string", "integer", "number", "boolean")
NOT_A_NUMBER = {
    "integer": "An integer's default is a whole number, e.g. 10.",
    "number": "A number's default is a number, e.g. 2.5.",
}


class VersionCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=64,
        validators=[version_name],
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
        self.existing = {version.name for version in versions}

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name in self.existing:
            raise version_taken(name)
        return name


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


class EndpointForm(forms.Form):
    """An action's or a trigger's own fields (a trigger, which receives calls, has no path);
    its request body and responses have forms of their own."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        validators=[item_name],
        help_text="How integrations call it: letters, digits, “_”, “-” and “$”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = forms.CharField(label="Summary", required=False, max_length=500)
    description = forms.CharField(
        label="Description", required=False, max_length=10_000, widget=forms.Textarea({"rows": 3})
    )
    method = forms.ChoiceField(label="Method", choices=[(m, m) for m in METHODS])
    path = forms.CharField(
        label="Path",
        max_length=2_000,
        help_text="Appended to the connector's base URL. {{ param.<name> }} puts in a "
        "parameter declared below, {{ conn.<name> }} a connection variable.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == "trigger":
            del self.fields["path"]

    @classmethod
    def for_item(cls, item: Action | Trigger | None, kind: str) -> "EndpointForm":
        """The form filled from `item`, or for a new one empty."""
        initial = {name: getattr(item, name, "") for name in ENDPOINT_FIELDS} if item else {}
        return cls(initial=initial, kind=kind)


class ParameterForm(forms.Form):
    name = forms.CharField(
        label="Name", required=False, max_length=200, validators=[parameter_name]
    )
    in_ = forms.ChoiceField(label="In", initial="query")
    type = forms.ChoiceField(label="Type", choices=[(t, t) for t in PARAMETER_TYPES])
    required = forms.BooleanField(label="Required", required=False)
    default = forms.CharField(label="Default", required=False, max_length=2_000)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_"].choices = [(place, place) for place in PARAMETER_PLACES[kind]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("default") and not cleaned.get("name"):
            self.add_error("name", "A parameter with a default needs a name.")
        elif "default" in cleaned and "type" in cleaned:
            try:
                cleaned["default"] = _typed(cleaned["default"], cleaned["type"])
            except ValueError as error:
                self.add_error("default", str(error))
        return cleaned


def _typed(text: str, type_: str) -> Any:
    """A default typed as its parameter: "" is none, "10" an integer's 10, "true" a boolean's
    True; a string's default is its text (it may hold a {{ .conn.<name> }} template)."""
    if not text or type_ == "string":
        return text or None
    if type_ == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError("A boolean's default is true or false.")
        return text.lower() == "true"
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    numbers = int if type_ == "integer" else int | float
    if isinstance(value, numbers) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise ValueError(NOT_A_NUMBER[type_])


def _shown(default: Any) -> str:
    """A default as the form shows it: the text of a string, JSON for the rest."""
    return "" if default is None else default if isinstance(default, str) else json.dumps(default)


class BaseParameterFormSet(BaseRowFormSet):
    """An action's or trigger's parameters, one row each; rows without a name are left out."""

    api_field = "parameters"

    def parameters(self, stored: list[HTTPParameter] = ()) -> list[HTTPParameter]:
        """The rows as parameters. A row named like a `stored` parameter updates it, so what
        the form does not show (e.g. an action parameter's `completion`), and a default left
        as shown, are kept."""
        by_name = {parameter.name: parameter for parameter in reversed(stored)}
        parameters = []
        for row in self.filled():
            data = row.cleaned_data
            changes = {"name": data["name"], "in_": data["in_"], "type": data["type"]}
            changes |= {"required": data["required"], "default": data["default"]}
            kept = by_name.get(data["name"])
            if kept and row["default"].value() == _shown(kept.default):
                changes["default"] = kept.default  # untouched: as stored, whatever its type
            parameters.append(kept.model_copy(update=changes) if kept else HTTPParameter(**changes))
        return parameters


ParameterFormSet = forms.formset_factory(
    ParameterForm, formset=BaseParameterFormSet, extra=1, max_num=200, validate_max=True
)


def parameter_formset(
    kind: str, data=None, parameters: list[HTTPParameter] = ()
) -> BaseParameterFormSet:
    """The parameter rows of a `kind` ("action" or "trigger"): as submitted (`data`), else
    as stored."""
    options = {"prefix": "parameters", "form_kwargs": {"kind": kind}}
    if data is not None:
        return ParameterFormSet(data, **options)
    initial = [
        {
            "name": p.name,
            "in_": p.in_,
            "type": p.type,
            "required": p.required,
            "default": _shown(p.default),
        }
        for p in parameters
    ]
    return ParameterFormSet(initial=initial, **options)


def _link(definition: Definition) -> DefinitionLink:
    """A new link to `definition`; the contract asks a ULID of each link (within its item)."""
    return DefinitionLink(id=str(ULID()), definition=definition)


def _relinked(
    links: list[DefinitionLink], name: str, definitions: dict[str, Definition]
) -> list[DefinitionLink]:
    """`links` with the first one (the one a row shows) now to the definition `name`: all
    kept as stored when it already is (other media types' links too), none for no body."""
    if not name:
        return []
    if links and links[0].definition.name == name:
        return links
    return [_link(definitions[name]), *links[1:]]


def _shown_definition(links: list[DefinitionLink]) -> str:
    """The definition a body or response row shows: its first link's."""
    return links[0].definition.name if links else ""


class ResponseForm(forms.Form):
    status = forms.IntegerField(label="Status", required=False, min_value=100, max_value=599)
    definition = forms.ChoiceField(label="Body", required=False)
    # The stored response the row shows (empty: a new one), so what it does not show is kept.
    id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, definitions: dict[str, Definition], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].choices = [("", "No body")] + [(n, n) for n in definitions]


class BaseResponseFormSet(BaseRowFormSet):
    """An action's or trigger's responses: a status (none: the default response) and the
    definition of its body; new rows with neither are left out."""

    api_field = "responses"
    renamed = {"definitions": "definition"}

    def filled(self) -> list[forms.Form]:
        return [
            row
            for row in self.forms
            if any(row.cleaned_data.get(name) not in (None, "") for name in row.fields)
        ]

    def clean(self):
        super().clean()
        if not any(row.errors for row in self.forms) and not self.filled():
            raise ValidationError(
                "Give at least one response: a status, or a body for the default."
            )

    def responses(self) -> list[HTTPResponseCreate]:
        """A new item's responses."""
        return [
            HTTPResponseCreate(
                status=row.cleaned_data["status"],
                definitions=[DefinitionLinkCreate(definition=DefinitionRef(name=name))]
                if (name := row.cleaned_data["definition"])
                else [],
            )
            for row in self.filled()
        ]

    def updated(self, stored: list[HTTPResponse]) -> list[HTTPResponse]:
        """An existing item's responses: a row showing a `stored` response updates it, so its
        id and what the row does not show are kept; other rows are new responses."""
        definitions = self.form_kwargs["definitions"]
        by_id = {response.id: response for response in stored}
        responses = []
        for row in self.filled():
            data = row.cleaned_data
            kept = by_id.pop(data["id"], None)  # popped: a row copied in the page counts once
            links = _relinked(kept.definitions if kept else [], data["definition"], definitions)
            changes = {"status": data["status"], "definitions": links}
            responses.append(
                kept.model_copy(update=changes) if kept else HTTPResponse(id=str(ULID()), **changes)
            )
        return responses


class RequestBodyForm(forms.Form):
    """An action's or trigger's request body: the definition it follows, if any."""

    definition = forms.ChoiceField(
        label="Request body",
        required=False,
        help_text="The definition the body follows; none for one that takes no body.",
    )
    required = forms.BooleanField(label="Callers must send the body", required=False)
    prefix = "body"

    def __init__(
        self, *args, definitions: dict[str, Definition], stored: HTTPRequestBody | None, **kwargs
    ):
        if stored:
            kwargs["initial"] = {
                "definition": _shown_definition(stored.definitions),
                "required": stored.required,
            }
        super().__init__(*args, **kwargs)
        self.definitions, self.stored = definitions, stored
        self.fields["definition"].choices = [("", "No body")] + [(n, n) for n in definitions]

    def add_api_error(self, path: str, message: str) -> bool:
        """The API's refusal of the body (`request_body.definitions[0].definition`), shown on
        the definition it chose; False for other paths."""
        if path != "request_body" and not path.startswith(("request_body.", "request_body[")):
            return False
        self.add_error("definition", message)
        return True

    def request_body(self) -> HTTPRequestBodyCreate | None:
        """A new item's body (call after `is_valid()`); None without a definition."""
        name = self.cleaned_data["definition"]
        if not name:
            return None
        link = DefinitionLinkCreate(definition=DefinitionRef(name=name))
        return HTTPRequestBodyCreate(required=self.cleaned_data["required"], definitions=[link])

    def updated(self) -> HTTPRequestBody | None:
        """An existing item's body: the stored one changed as the form says, so its links to
        other media types' definitions are kept; None without a definition."""
        name, required = self.cleaned_data["definition"], self.cleaned_data["required"]
        if not name:
            return None
        stored = self.stored or HTTPRequestBody()
        links = _relinked(stored.definitions, name, self.definitions)
        return stored.model_copy(update={"required": required, "definitions": links})


ResponseFormSet = forms.formset_factory(
    ResponseForm, formset=BaseResponseFormSet, extra=1, max_num=100, validate_max=True
)


def response_formset(
    definitions: dict[str, Definition], data=None, stored: list[HTTPResponse] | None = None
) -> BaseResponseFormSet:
    """The response rows: as submitted (`data`), else as `stored`, else (a new item) a 200;
    `definitions`: the draft's, by name."""
    options = {"prefix": "responses", "form_kwargs": {"definitions": definitions}}
    if data is not None:
        return ResponseFormSet(data, **options)
    initial: list[dict] = [{"status": 200}]
    if stored is not None:
        initial = [
            {"id": r.id, "status": r.status, "definition": _shown_definition(r.definitions)}
            for r in stored
        ]
    return ResponseFormSet(initial=initial, **options)


class DefinitionForm(forms.Form):
    """A definition: name, description, media types and, when it is JSON Schema, the schema
    itself (an XML Schema is kept as it is)."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        validators=[definition_name],
        help_text="Other schemas refer to it as #/$defs/<name>; references follow a rename.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label="Description", required=False, max_length=10_000, widget=forms.Textarea({"rows": 2})
    )
    accept = forms.CharField(
        label="Media types",
        max_length=2_000,
        help_text="The media types it describes, separated by commas, e.g. application/json.",
    )
    schema = forms.CharField(
        label="JSON Schema",
        max_length=2 * 1024 * 1024,
        help_text='Refer to another definition of this version with {"$ref": "#/$defs/<name>"}.',
        # data-json-editor: line numbers and a live JSON check (static/js/json-editor.js).
        widget=forms.Textarea(
            attrs={"rows": 18, "class": "code-input", "spellcheck": "false", "data-json-editor": ""}
        ),
    )

    def __init__(self, *args, json_schema: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not json_schema:
            del self.fields["schema"]

    @classmethod
    def for_definition(cls, definition: Definition | None, schema: str | None) -> "DefinitionForm":
        """The form filled from `definition` (a new one's: JSON), its schema `schema`."""
        initial = {"accept": "application/json", "schema": schema}
        if definition:
            initial |= {"name": definition.name, "description": definition.description}
            initial["accept"] = ", ".join(definition.accept)
        return cls(initial=initial, json_schema=schema is not None)

    def clean_accept(self) -> list[str]:
        types = [part.strip() for part in self.cleaned_data["accept"].split(",") if part.strip()]
        if not types:
            raise ValidationError("Give at least one media type, e.g. application/json.")
        return types

    def clean_schema(self) -> str:
        text = self.cleaned_data["schema"]
        try:
            parsed = json.loads(text)
        except ValueError as error:
            raise ValidationError(f"This is not valid JSON: {error}.") from None
        if not isinstance(parsed, dict | bool):
            raise ValidationError("A JSON Schema is an object (or true or false).")
        try:
            jsonschema_rs.meta.validate(parsed)
        except jsonschema_rs.ValidationError as error:
            where = readable(pointer(*error.instance_path))
            raise ValidationError(
                f"This is not a valid JSON Schema: {where + ': ' if where else ''}"
                f"{plain(error.message)}."
            ) from None
        except jsonschema_rs.ReferencingError:
            raise ValidationError("This schema names a $schema that is not known.") from None
        return text

    def create(self) -> DefinitionCreate:
        """The CreateDefinitions entry."""
        data = self.cleaned_data
        return DefinitionCreate(
            name=data["name"],
            description=data["description"],
            accept=data["accept"],
            schema=InlineSchema(content=data["schema"]),
        )

    def update(self, definition: Definition) -> DefinitionUpdate:
        """The UpdateDefinition body: the schema only when the form has one."""
        data = self.cleaned_data
        schema = InlineSchema(content=data["schema"]) if "schema" in data else None
        return DefinitionUpdate(
            id=definition.id,
            name=data["name"],
            description=data["description"],
            accept=data["accept"],
            schema=schema,
        )


def breaking_changes(count: int) -> str:
    """'1 breaking change', '2 breaking changes': the count in the words of the screen."""
    return f"{count} breaking change{pluralize(count)}"


class PublishForm(forms.Form):
    """Publishing: with breaking findings against the latest version, an acknowledgement and
    the version's name typed (publishing makes it the latest: callers of "latest" get it).
    `seen` is the count the person acknowledged: if the draft changed since, they look again."""

    acknowledge = forms.BooleanField(
        label="I understand this may break integrations", required=False
    )
    confirm_name = forms.CharField(
        label="Type the version's name to confirm",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, version: str, breaking: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.version, self.breaking = version, breaking

    def clean(self):
        data = super().clean()
        if not self.breaking:
            return data
        them = pluralize(self.breaking, "it,them")
        if data.get("seen") is not None and data["seen"] != self.breaking:
            self.add_error(
                None,
                f"Version {self.version} changed since the comparison: it now has "
                f"{breaking_changes(self.breaking)}. Review {them}, then acknowledge again.",
            )
        elif not data.get("acknowledge"):
            self.add_error(
                "acknowledge",
                f"Version {self.version} has {breaking_changes(self.breaking)} against the "
                f"latest version: acknowledge {them} to publish.",
            )
        if data.get("confirm_name", "").strip() != self.version:
            self.add_error("confirm_name", f"Type {self.version} to confirm.")
        return data


class DraftsForm(BulkForm):
    """Drafts ticked on the Versions tab, by name."""

    version = KeysField(most=500)
