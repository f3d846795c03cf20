"""Forms of the connection pages: a new connection's credentials, and the edit form.

A new connection's credentials are "slots", one formset for action credentials and one for
trigger credentials. A slot names an auth scheme config of the connector, a credential type
it accepts, the credential's name and expiry, and holds one data form per credential type
(static/css/connections.css shows only the chosen one); only the chosen one is validated
and sent. Buttons that add a slot or move a credential re-render the form and save nothing,
so everything works without JavaScript.
"""

from django import forms

from dashboard.connect.models import (
    AuthSchemeConfig,
    Connection,
    ConnectionCredential,
    ConnectionCredentialCreate,
    ConnectionCredentialsUpdate,
    ConnectionCredentialUpdate,
    CredentialCreate,
)

from .auth_scheme_forms import SCHEME_TYPES
from .credential_forms import DATA_FORMS, CredentialDataForm
from .fields import ExpiryField, UpdatedAtField

KINDS = ("action", "trigger")
MAX_CREDENTIALS = 20  # per kind, as the Connect API allows

# The credential types a person can type in for each scheme. OAuth 2.0 tokens for the
# authorization code grant come from "Connect" on the connection's page instead.
TYPES_FOR_SCHEME = {
    "none": ("none",),
    "api-key": ("string",),
    "basic-auth": ("basic-auth",),
    "hmac": ("string", "binary"),
    "certificate": ("certificate", "binary"),
}
TYPES_FOR_OAUTH2_GRANT = {
    "client_credentials": ("oauth2-client",),
    "password": ("oauth2-password",),
    "authorization_code": (),
}


def credential_types_for(config: AuthSchemeConfig) -> tuple[str, ...]:
    if config.scheme_type == "oauth2":
        return TYPES_FOR_OAUTH2_GRANT.get(getattr(config.grant, "grant_type", ""), ())
    return TYPES_FOR_SCHEME.get(config.scheme_type, ())


def is_authorization_code(config: AuthSchemeConfig) -> bool:
    """An OAuth 2.0 config whose users sign in at the provider ("Connect")."""
    grant = getattr(config, "grant", None)
    return config.scheme_type == "oauth2" and grant.grant_type == "authorization_code"


def config_label(config: AuthSchemeConfig) -> str:
    kind = SCHEME_TYPES.get(config.scheme_type, config.scheme_type)
    return f"{kind}: {config.description}" if config.description else kind


class CredentialSlotForm(forms.Form):
    """One credential of a new connection. `scheme` picks an auth scheme config and a
    credential type it takes in one choice ("<config id>:<type>"), so no combination the
    API would refuse can be chosen, and the page can show that type's fields without script.
    """

    scheme = forms.ChoiceField(label="Auth scheme and credential type")
    name = forms.CharField(
        label="Credential name",
        max_length=200,
        help_text="Shown on the Credentials page, e.g. “Acme production API key”.",
    )
    expires_at = ExpiryField()

    def __init__(self, *args, configs: list[AuthSchemeConfig], **kwargs):
        super().__init__(*args, **kwargs)
        self.configs = {config.id: config for config in configs}
        choices = [
            (
                f"{config.id}:{kind}",
                f"{config_label(config)} — {DATA_FORMS[kind].label}",
            )
            for config in configs
            for kind in credential_types_for(config)
        ]
        self.fields["scheme"].choices = choices
        # The choice shown first counts as untouched, so a slot left as it came is blank.
        self.fields["scheme"].initial = choices[0][0] if choices else None
        types = dict.fromkeys(value.rpartition(":")[2] for value, _ in choices)
        self.data_forms: dict[str, CredentialDataForm] = {
            credential_type: DATA_FORMS[credential_type](
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                prefix=self.add_prefix(credential_type),
                # Only the chosen type's fields are filled in: no `required` for the others.
                use_required_attribute=False,
            )
            for credential_type in types
        }

    def chosen_data_form(self) -> CredentialDataForm | None:
        return self.data_forms.get((self["scheme"].value() or "").rpartition(":")[2])

    def has_changed(self) -> bool:
        """Whether anything was typed or chosen, in the slot or its chosen type's data."""
        chosen = self.chosen_data_form()
        return super().has_changed() or (chosen is not None and chosen.has_changed())

    def is_valid(self) -> bool:
        valid = super().is_valid()  # validate both, so every error shows at once
        if self.empty_permitted and not self.has_changed():
            return valid  # a blank slot: left out, not an error
        chosen = self.chosen_data_form()
        return (chosen.is_valid() if chosen is not None else False) and valid

    def connection_credential(self) -> ConnectionCredentialCreate:
        data = self.cleaned_data
        config_id, _, credential_type = data["scheme"].rpartition(":")
        return ConnectionCredentialCreate(
            auth_scheme_config=self.configs[config_id],
            credential=CredentialCreate(
                name=data["name"],
                type=credential_type,
                data=self.chosen_data_form().credential_data(),
                expires_at=data["expires_at"],
            ),
        )


class BaseSlotFormSet(forms.BaseFormSet):
    """Credentials are optional: a slot left blank (as the form starts, or as "Add" gave it)
    is left out like one marked "Remove"; one with anything in it must be complete."""

    def _construct_form(self, i, **kwargs):
        # The one the form starts with is an "initial" form, which Django would require.
        return super()._construct_form(i, empty_permitted=True, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[forms.formsets.DELETION_FIELD_NAME].label = "Remove this credential"

    def slots(self) -> list[CredentialSlotForm]:
        """The slots to send, in order (blank ones and those marked "Remove" left out)."""
        return [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]

    def with_another_slot(self) -> "BaseSlotFormSet":
        """The same slots as submitted plus an empty one ("Add ... credential")."""
        data = self.data.copy()
        total = f"{self.prefix}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
        return type(self)(data, self.files, prefix=self.prefix, form_kwargs=self.form_kwargs)


SlotFormSet = forms.formset_factory(
    CredentialSlotForm,
    formset=BaseSlotFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CREDENTIALS,
    validate_max=True,
)


def slot_formsets(configs: list[AuthSchemeConfig], data=None, files=None, *, first_action=False):
    """The action and trigger slot formsets; a new form starts with one action slot when
    `first_action` (a connector with a scheme that takes a typed credential)."""
    formsets = {}
    for kind in KINDS:
        if data is None:
            formset = SlotFormSet(
                prefix=kind,
                form_kwargs={"configs": configs},
                initial=[{}] if kind == "action" and first_action else [],
            )
        else:
            formset = SlotFormSet(data, files, prefix=kind, form_kwargs={"configs": configs})
        formsets[kind] = formset
    return formsets


class ConnectionCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="Unique within this connector, e.g. production.",
    )


class ConnectionEditForm(forms.Form):
    """Rename; reorder, re-point (same scheme type) or remove each credential."""

    name = forms.CharField(label="Name", max_length=200)
    updated_at = UpdatedAtField()

    def __init__(self, *args, connection: Connection, configs: list[AuthSchemeConfig], **kwargs):
        super().__init__(*args, **kwargs)
        self.connection = connection
        self.configs = {config.id: config for config in configs}
        self.links: dict[str, ConnectionCredential] = {}
        for kind in KINDS:
            links = getattr(connection.credentials, kind)
            self.fields[f"order_{kind}"] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.initial.setdefault(f"order_{kind}", ",".join(link.id for link in links))
            for link in links:
                self.links[link.id] = link
                self.fields[f"config_{link.id}"] = forms.ChoiceField(
                    label=f"Auth scheme of “{link.credential.name}”",
                    choices=self._config_choices(link),
                    initial=link.auth_scheme_config.id,
                )
                self.fields[f"remove_{link.id}"] = forms.BooleanField(
                    label=f"Remove “{link.credential.name}” from this connection",
                    required=False,
                )
        if not self.is_bound:
            self.initial.setdefault("name", connection.name)
            self.initial.setdefault("updated_at", connection.updated_at)

    def _config_choices(self, link: ConnectionCredential) -> list[tuple[str, str]]:
        """Configs of the link's scheme type; its own even if deleted from the connector."""
        scheme = link.auth_scheme_config.scheme_type
        choices = [
            (c.id, config_label(c)) for c in self.configs.values() if c.scheme_type == scheme
        ]
        if link.auth_scheme_config.id not in self.configs:
            label = f"{config_label(link.auth_scheme_config)} (deleted from the connector)"
            choices.insert(0, (link.auth_scheme_config.id, label))
        return choices

    def order(self, kind: str) -> list[str]:
        """The link ids of `kind` in the order the form shows them."""
        current = [link.id for link in getattr(self.connection.credentials, kind)]
        raw = self[f"order_{kind}"].value() or ""
        order = [item for item in raw.split(",") if item]
        return order if sorted(order) == sorted(current) else current

    def rows(self, kind: str) -> list[dict]:
        """What the template shows for each credential of `kind`, in order."""
        order = self.order(kind)
        return [
            {
                "link": self.links[link_id],
                "config": self[f"config_{link_id}"],
                "remove": self[f"remove_{link_id}"],
                "first": position == 0,
                "last": position == len(order) - 1,
            }
            for position, link_id in enumerate(order)
        ]

    def clean(self):
        cleaned = super().clean()
        for kind in KINDS:
            raw = cleaned.get(f"order_{kind}") or ""
            current = sorted(link.id for link in getattr(self.connection.credentials, kind))
            if sorted(item for item in raw.split(",") if item) != current:
                raise forms.ValidationError(
                    "This form no longer matches the connection's credentials; reload the page."
                )
        return cleaned

    def credentials_update(self) -> ConnectionCredentialsUpdate:
        data = self.cleaned_data
        kept = {}
        for kind in KINDS:
            kept[kind] = [
                ConnectionCredentialUpdate(id=link_id, auth_scheme_config=self._config_for(link_id))
                for link_id in self.order(kind)
                if not data[f"remove_{link_id}"]
            ]
        return ConnectionCredentialsUpdate(**kept)

    def _config_for(self, link_id: str) -> AuthSchemeConfig:
        chosen = self.cleaned_data[f"config_{link_id}"]
        return self.configs.get(chosen) or self.links[link_id].auth_scheme_config


def moved(data, move: str):
    """Form data with one credential moved ("<link id>:up" or ":down"); saves nothing."""
    link_id, _, direction = move.partition(":")
    data = data.copy()
    for kind in KINDS:
        order = [item for item in data.get(f"order_{kind}", "").split(",") if item]
        if link_id in order:
            index = order.index(link_id)
            other = index - 1 if direction == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
            data[f"order_{kind}"] = ",".join(order)
    return data
