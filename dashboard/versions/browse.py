"""The version browser: a version's actions, triggers and definitions, each a filtered, paged
list and a page per item; a definition's page shows its schema and what references it."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dashboard.connect import BadRequest, Page, get_client
from dashboard.web.api_errors import add_api_errors
from dashboard.web.htmx import FORM_ERRORS, is_fragment, render_screen, vary_on_htmx

from .contents import is_json_schema, named_schema, schema_filename, schema_text
from .forms import ItemFilterForm
from .schema_view import schema_tree
from .views import TAB, load_version

PAGE_SIZE = 50
# The list operations' query parameters -> filter form fields, for the API's refusals.
FILTER_FIELDS = {"name": "name", "after": "after", "before": "before"}


@dataclass
class ItemListing:
    """A page of items with the links around it, built from the validated filter."""

    path: str
    name: str = ""
    cursor: dict | None = None  # {"after": ...} or {"before": ...}: where this page starts
    page: Page | None = None

    def url(self, **cursor: str) -> str:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in {"name": self.name, **cursor}.items() if v})
        return f"{self.path}?{query.urlencode()}" if query else self.path

    @property
    def current_url(self) -> str:
        return self.url(**(self.cursor or {}))

    @property
    def next_url(self) -> str | None:
        return self.url(after=self.page.next_cursor) if self.page and self.page.has_next else None

    @property
    def prev_url(self) -> str | None:
        return self.url(before=self.page.prev_cursor) if self.page and self.page.has_prev else None


def _list(
    request: HttpRequest,
    connector_id: str,
    version: str,
    *,
    kind: str,
    fetch: Callable[..., Page],
) -> HttpResponse:
    """One of the version's lists (`kind`: actions, triggers or definitions), or for htmx its
    `results` partial (the live name filter swaps only that)."""
    connector, found = load_version(connector_id, version)
    form = ItemFilterForm(request.GET)
    listing = ItemListing(path=request.path)
    if form.is_valid():
        listing = _fetch(request.path, form, partial(fetch, connector_id, found.name))
    context = {"connector": connector, "version": found, "active_tab": TAB}
    context |= {"version_tab": kind, "form": form, "listing": listing}
    fragment = is_fragment(request)
    status = 200 if listing.page is not None else FORM_ERRORS if fragment else 400
    response = render_screen(request, f"versions/{kind}.html", "results", context, status)
    if fragment and listing.page is not None:
        # What the address bar shows: the canonical URL, not the form's empty fields.
        response["HX-Push-Url"] = listing.current_url
    return response


def _fetch(path: str, form: ItemFilterForm, fetch: Callable[..., Page]) -> ItemListing:
    """The page the valid filter `form` asks for; an API refusal (e.g. a cursor it does not
    accept) goes on the form, with no page."""
    data = form.cleaned_data
    after, before = data["after"] or None, data["before"] or None
    try:
        page = fetch(name=data["name"] or None, first=PAGE_SIZE, after=after, before=before)
    except BadRequest as error:
        add_api_errors(error, form, FILTER_FIELDS)
        return ItemListing(path=path)
    cursor = {"after": after} if after else {"before": before} if before else {}
    return ItemListing(path, data["name"], cursor, page)


@require_GET
@vary_on_htmx
def actions(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    """A version's page: its actions (the first of its lists)."""
    return _list(request, connector_id, version, kind="actions", fetch=get_client().actions.list)


@require_GET
@vary_on_htmx
def triggers(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    return _list(request, connector_id, version, kind="triggers", fetch=get_client().triggers.list)


@require_GET
@vary_on_htmx
def definitions(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    return _list(
        request, connector_id, version, kind="definitions", fetch=get_client().definitions.list
    )


@require_GET
def action(request: HttpRequest, connector_id: str, version: str, name: str) -> HttpResponse:
    """An action: method, path, parameters, request body and responses with their
    definitions, and the problems the API found with it."""
    connector, found = load_version(connector_id, version)
    item = get_client().actions.get(connector_id, found.name, name)
    context = {"connector": connector, "version": found, "active_tab": TAB}
    context |= {"version_tab": "actions", "item": item, "kind": "action"}
    return render(request, "versions/endpoint.html", context)


@require_GET
def trigger(request: HttpRequest, connector_id: str, version: str, name: str) -> HttpResponse:
    """A trigger (a webhook the platform receives), shown like an action."""
    connector, found = load_version(connector_id, version)
    item = get_client().triggers.get(connector_id, found.name, name)
    context = {"connector": connector, "version": found, "active_tab": TAB}
    context |= {"version_tab": "triggers", "item": item, "kind": "trigger"}
    return render(request, "versions/endpoint.html", context)


@require_GET
def definition(request: HttpRequest, connector_id: str, version: str, name: str) -> HttpResponse:
    """A definition: its schema pretty-printed, and the actions, triggers and definitions
    that reference it."""
    connector, found = load_version(connector_id, version)
    client = get_client()
    item = client.definitions.get(connector_id, found.name, name)
    schema = named_schema(client, connector_id, found.name, item)
    context = {"connector": connector, "version": found, "active_tab": TAB}
    context |= {"version_tab": "definitions", "item": item, "schema": schema_text(schema)}
    if schema is not None:
        context["tree"] = schema_tree(
            schema,
            lambda other: reverse("version_definition", args=[connector_id, found.name, other]),
        )
    return render(request, "versions/definition.html", context)


@require_GET
def definition_schema(
    request: HttpRequest, connector_id: str, version: str, name: str
) -> HttpResponse:
    """The definition's raw JSON Schema, as the API serves it."""
    client = get_client()
    item = client.definitions.get(connector_id, version, name)
    if not is_json_schema(item):
        return HttpResponse(
            "This definition's schema is not JSON Schema.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    raw = client.definitions.raw_schema(connector_id, version, schema_filename(item))
    return HttpResponse(schema_text(raw), content_type="application/schema+json; charset=utf-8")
