"""The filters of the overview's own lists, validated like any GET form."""

from django import forms

from .estate import ConnectionRef, Estate, VersionRef

DRAFT, PUBLISHED = "draft", "published"


class VersionListForm(forms.Form):
    state = forms.ChoiceField(choices=[(DRAFT, "Drafts"), (PUBLISHED, "Published")])
    older_than = forms.IntegerField(required=False, min_value=0, max_value=3650)
    published_within = forms.IntegerField(required=False, min_value=1, max_value=84)

    def rows(self, estate: Estate) -> list[VersionRef]:
        data = self.cleaned_data
        if data["state"] == DRAFT:
            return estate.drafts_older_than(data["older_than"] or 0)
        return estate.published_within(data["published_within"] or 84)

    @property
    def title(self) -> str:
        data = self.cleaned_data
        if data["state"] == DRAFT:
            older = data.get("older_than")
            return f"Drafts older than {older} days" if older else "Drafts waiting to be published"
        return f"Versions published in the last {data.get('published_within') or 84} days"


class ConnectionListForm(forms.Form):
    failing = forms.BooleanField(required=False)

    def rows(self, estate: Estate) -> list[ConnectionRef]:
        return estate.failing if self.cleaned_data["failing"] else estate.connections
