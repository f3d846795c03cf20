"""Adding and editing environments in the dashboard, and granting roles per environment."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import get_text_list

from dashboard.accounts.roles import ROLES
from dashboard.validators import WebURLField, organisation_id

from .models import AddedEnvironment, EnvironmentRole
from .registry import Environment, all_environments, same_backend, settings_environments
from .secrets import encrypt


class EnvironmentForm(forms.ModelForm):
    """An environment added by an admin. The API key is write-only: never rendered back, left
    as it is when the field is left empty, stored encrypted."""

    api_key = forms.CharField(
        required=False,
        label="API key",
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Never shown again. Leave empty to keep the key already set; not used by the "
        "embedded API.",
    )

    base_url = WebURLField(
        required=False,
        max_length=300,
        label="Connect API URL",
        help_text="e.g. https://platform-staging.versori.com/api/connect/v1. Empty: the "
        "embedded API (another organisation of this Patchbay).",
    )

    # Ticked to confirm that it is the same Connect API and organisation as `same_as`: its
    # value names them (their slugs), so a tick given for one is not taken for another.
    same_backend = forms.CharField(required=False)
    same_as: list[Environment]  # the environments it would be the same as, found when cleaned

    class Meta:
        model = AddedEnvironment
        fields = ["slug", "name", "colour", "base_url", "organisation_id"]
        labels = {
            "slug": "Slug",
            "organisation_id": "Organisation ID",
        }
        help_texts = {
            "slug": "Its pages live under /env/<slug>/. Cannot be changed later.",
            "colour": "Worn by every page of the environment, so it is never mistaken for another.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.same_as = []
        if self.instance.pk:
            self.fields["slug"].disabled = True
            if self.instance.encrypted_api_key:
                self.fields["api_key"].help_text = "A key is set (never shown). " + (
                    "Type a new one to replace it; leave empty to keep it."
                )

    def clean_organisation_id(self):
        value = self.cleaned_data["organisation_id"].strip().upper()
        organisation_id(value)
        return value

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.pk:  # the slug cannot change
            return slug
        if slug in {e.slug for e in settings_environments()}:
            raise forms.ValidationError("An environment from the settings has this slug.")
        if AddedEnvironment.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"Another environment has the slug “{slug}” already: choose another."
            )
        return slug

    def clean_name(self):
        # The switcher and every page's band show the name: two alike could be mistaken.
        name = " ".join(self.cleaned_data["name"].split())
        taken = {e.name.casefold() for e in all_environments() if e.slug != self.instance.slug}
        if name.casefold() in taken:
            raise forms.ValidationError(
                f"Another environment is named “{name}” already: choose a name that tells "
                "them apart in the switcher."
            )
        return name

    def clean(self):
        cleaned = super().clean()
        if "base_url" in cleaned and "organisation_id" in cleaned:
            self.same_as = same_backend(
                cleaned["base_url"], cleaned["organisation_id"], besides=self.instance.slug
            )
        if self.same_as and cleaned.get("same_backend") != self.same_backend_value:
            self.add_error(
                "same_backend",
                "Tick the box to confirm, or change the Connect API URL or the organisation ID.",
            )
        return cleaned

    @property
    def same_backend_value(self) -> str:
        return ",".join(e.slug for e in self.same_as)

    @property
    def same_as_names(self) -> str:
        """“Production”, or “Production” and “Staging”."""
        return str(get_text_list([f"“{e.name}”" for e in self.same_as], "and"))

    @property
    def key_typed(self) -> bool:
        """A key was submitted: it is never sent back, so without JavaScript (which carries
        it over, static/js/forms.js) it must be typed again."""
        return self.is_bound and bool(self.data.get(self.add_prefix("api_key")))

    def save(self, commit=True):
        environment = super().save(commit=False)
        if self.cleaned_data.get("api_key"):
            environment.encrypted_api_key = encrypt(self.cleaned_data["api_key"])
        if commit:
            environment.save()
        return environment


class GrantForm(forms.ModelForm):
    """A role for one user or one group in one environment."""

    class Meta:
        model = EnvironmentRole
        fields = ["environment", "user", "group", "role"]
        help_texts = {
            "user": "A user, or a group below (not both).",
            "role": "Replaces their global role in this environment only.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["environment"] = forms.ChoiceField(
            label="Environment", choices=[(e.slug, e.name) for e in all_environments()]
        )
        self.fields["user"].queryset = get_user_model().objects.order_by("username")
        self.fields["group"].queryset = Group.objects.order_by("name")
        self.fields["role"].choices = [(role, role.capitalize()) for role in ROLES]

    def clean(self):
        cleaned = super().clean()  # the model's constraint refuses neither or both
        taken = EnvironmentRole.objects.filter(
            environment=cleaned.get("environment"),
            user=cleaned.get("user"),
            group=cleaned.get("group"),
        )
        if taken.exists():
            raise forms.ValidationError(
                "They have a role in this environment already: remove it first."
            )
        return cleaned
