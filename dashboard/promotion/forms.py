"""The compare and promote forms: GET forms, so each page's address can be shared and
reloaded; the promotion itself is started by posting the preview's form."""

from typing import cast

from django import forms


def _choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, field).choices = choices


class CompareForm(forms.Form):
    with_ = forms.ChoiceField(label="Compare with")
    version = forms.ChoiceField(label="Version to compare", required=False)
    against = forms.ChoiceField(label="Against their version", required=False)

    def __init__(
        self,
        data,
        *,
        environments: list[tuple[str, str]],
        versions: list[str],
        theirs: tuple[str, list[str]] | None = None,
    ):
        """`theirs`: the other environment's name and its connector's versions, once known
        (until then, the version it is compared against is not asked for)."""
        super().__init__(data)
        _choices(self.fields["with_"], environments)
        _choices(self.fields["version"], [("", "(none)")] + [(v, v) for v in versions])
        if theirs is None:
            del self.fields["against"]
        else:
            there, names = theirs
            self.fields["against"].label = f"Against {there}’s version"
            self.fields["against"].error_messages["invalid_choice"] = (
                f"{there}’s connector has no version “%(value)s”."
            )
            _choices(
                self.fields["against"],
                [("", "(the same name, else the latest)")] + [(v, v) for v in names],
            )

    def add_prefix(self, field_name: str) -> str:
        # "with" is the query parameter (a Python keyword as a field name).
        return "with" if field_name == "with_" else field_name


class PromoteForm(forms.Form):
    to = forms.ChoiceField(label="Promote to")
    version = forms.ChoiceField(label="Version", required=False)
    connector = forms.BooleanField(
        label="The connector too: its details, auth scheme configs, tags and categories",
        required=False,
    )

    def __init__(
        self,
        data,
        *,
        environments: list[tuple[str, str]],
        versions: list[str],
        initial: dict | None = None,
    ):
        super().__init__(data, initial=initial)
        _choices(self.fields["to"], environments)
        _choices(
            self.fields["version"],
            [("", "(none: the connector alone)")] + [(v, v) for v in versions],
        )

    def clean(self):
        data = super().clean()
        if not data.get("version"):  # as its option says: the connector alone
            data["connector"] = True
        return data
