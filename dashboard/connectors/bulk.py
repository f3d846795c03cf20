"""Acting on many connectors of the connectors page at once: the selection (ticked rows, or
every connector matching the page's filters), what to do with it, and its export.

The action runs as a bulk run (dashboard.bulk); exports are answered at once.
"""

from itertools import islice
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict

from dashboard.bulk.actions import (
    ADD_CATEGORIES,
    ADD_TAG,
    DELETE_CONNECTORS,
    REMOVE_CATEGORIES,
    REMOVE_TAG,
)
from dashboard.bulk.export import CSV, JSON, download
from dashboard.bulk.forms import ALL_MATCHING, BulkForm, KeysField, ScopeField
from dashboard.connect import LARGEST_PAGE, ConnectClient, NotFound
from dashboard.connect.models import Connector

from . import catalogue
from .filters import CATEGORIES, NAME, PROTOCOL, TAG, ConnectorFilterForm
from .tags import clean_new_term, clean_term, terms_of

EXPORT_CSV, EXPORT_JSON = "export_csv", "export_json"
ACTION_CHOICES = [
    (ADD_TAG, "Add a tag"),
    (REMOVE_TAG, "Remove a tag"),
    (ADD_CATEGORIES, "Add categories"),
    (REMOVE_CATEGORIES, "Remove categories"),
    (DELETE_CONNECTORS, "Delete"),
    (EXPORT_CSV, "Export as CSV"),
    (EXPORT_JSON, "Export as JSON"),
]
MAX_TICKED = 200  # rows ticked by hand (a few pages' worth; more: "all matching")
MAX_MATCHING = 5000  # "all matching this filter"


class ConnectorBulkForm(BulkForm):
    action = forms.ChoiceField(label="Action", choices=ACTION_CHOICES)
    scope = ScopeField()
    id = KeysField(required=False, most=MAX_TICKED)
    # No max_length: clean_term says what is too long, once, in its own words.
    tag = forms.CharField(label="Tag", required=False)
    categories = forms.MultipleChoiceField(label="Categories", required=False)
    force = forms.BooleanField(label="Force: also those in use", required=False)

    def __init__(self, data, *, categories: list[str]):
        super().__init__(data)
        self.fields["categories"].choices = [(c, c) for c in categories]

    def clean_tag(self) -> str:
        raw = self.cleaned_data["tag"]
        if not raw.strip():
            return ""
        adding = self.cleaned_data.get("action") == ADD_TAG  # removing: any tag it may have
        return clean_new_term(raw) if adding else clean_term(raw)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if cleaned.get("scope") != ALL_MATCHING and not cleaned.get("id"):
            raise ValidationError("Select at least one connector.")
        if action in (ADD_TAG, REMOVE_TAG) and not cleaned.get("tag") and "tag" not in self.errors:
            self.add_error("tag", "Write the tag, as key or key:value.")
        if action in (ADD_CATEGORIES, REMOVE_CATEGORIES) and not cleaned.get("categories"):
            self.add_error("categories", "Choose at least one category.")
        return cleaned

    def params(self) -> dict:
        """The run's parameters: only what its action uses."""
        data, action = self.cleaned_data, self.cleaned_data["action"]
        if action in (ADD_TAG, REMOVE_TAG):
            return {"tag": data["tag"]}
        if action in (ADD_CATEGORIES, REMOVE_CATEGORIES):
            return {"categories": data["categories"]}
        return {"force": data["force"]}


def selected(client: ConnectClient, form: ConnectorBulkForm) -> list[Connector]:
    """The connectors the form selects: the ticked ones still there, or every one matching
    the filters of the list it came from (up to MAX_MATCHING)."""
    data = form.cleaned_data
    if data["scope"] != ALL_MATCHING:
        found = []
        for connector_id in data["id"]:
            try:
                found.append(client.connectors.get(connector_id))
            except NotFound:
                continue  # deleted meanwhile: nothing to act on
        return found
    query = QueryDict(urlsplit(data["next"]).query)
    filters = ConnectorFilterForm(query, **catalogue.filter_choices())
    if not filters.is_valid():
        raise ValidationError("The list's filters are not valid any more; filter it again.")
    cleaned = filters.cleaned_data
    page = client.connectors.list(
        first=LARGEST_PAGE,
        name=cleaned[NAME] or None,
        protocol=cleaned[PROTOCOL] or None,
        tags=cleaned[TAG] or (),
        categories=cleaned[CATEGORIES] or (),
    )
    return list(islice(page.iter_all(), MAX_MATCHING))


# --- Export ------------------------------------------------------------------------------------

EXPORT_FIELDS = ("id", "name", "protocol", "tags", "categories", "latest_version", "updated_at")


def _record(connector: Connector) -> dict:
    latest = next((v.name for v in connector.versions if v.is_latest and v.is_published), "")
    return {
        "id": connector.id,
        "name": connector.name,
        "protocol": connector.protocol,
        "tags": terms_of(connector.tags),
        "categories": list(connector.categories),
        "latest_version": latest,
        "updated_at": connector.updated_at.isoformat(),
    }


def export(connectors: list[Connector], action: str) -> HttpResponse:
    kind = JSON if action == EXPORT_JSON else CSV
    return download([_record(c) for c in connectors], EXPORT_FIELDS, "connectors", kind)
