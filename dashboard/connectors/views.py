"""Connector pages: the list, a connector's overview with tags and categories edited in
place, create, edit and delete.

Views parse input with forms, call the service layer and render one template per screen (or
its partial for htmx). Connect API failures propagate to dashboard.web.upstream, which shows them;
views catch an `APIError` only to put its field errors on a form, or to explain "in use".
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.accounts.roles import CHANGE_CONNECTORS, FORCE_DELETE, require_permission
from dashboard.bulk import runs
from dashboard.bulk.actions import DELETE_CONNECTORS
from dashboard.bulk.forms import ALL_MATCHING, SELECTED
from dashboard.connect import (
    BadRequest,
    Conflict,
    ConnectError,
    Page,
    PreconditionFailed,
    get_client,
)
from dashboard.connect.models import (
    Connector,
    HTTPConnector,
    HTTPConnectorCreate,
    HTTPConnectorUpdate,
    ProtocolNames,
)
from dashboard.stale_edit import refreshed
from dashboard.web.api_errors import add_api_errors
from dashboard.web.htmx import FORM_ERRORS, go_to, is_fragment, render_screen, vary_on_htmx
from dashboard.web.redirects import safe_url
from dashboard.wording import in_screen_words

from . import bulk as selection
from . import catalogue, deletion
from .filters import ConnectorFilterForm
from .forms import (
    CONNECTOR_FIELDS,
    CategoriesForm,
    ConnectorCreateForm,
    ConnectorEditForm,
    TagsForm,
    variable_formset,
)
from .listing import ConnectorListing

# API filter parameters -> filter form fields (others are shown above the form).
FILTER_FIELDS = {"name": "name", "protocol": "protocol", "categories": "categories", "tags": "tag"}
# The overview's sections an htmx request may target, and their partials.
SECTIONS = {
    "connector-tags": "tags",
    "connector-categories": "categories",
    "connector-danger": "delete",
}
# The button that adds a connection variable row (re-renders the form, saves nothing).
ADD_VARIABLE = "add_variable"


# --- Lists -----------------------------------------------------------------------------------


def connector_list(
    request: HttpRequest,
    list_connectors: Callable[..., Page[Connector]],
    template: str,
    extra: dict | None = None,
) -> HttpResponse:
    """A filtered, paged connector list (the connectors page and the library): the page, or
    for htmx its `results` partial, which also refreshes the tag filter chips out of band.
    `extra` goes into the template's context as well."""
    form, listing = _fetch_listing(request.GET, request.path, list_connectors)
    fragment = is_fragment(request)
    status = 200 if listing.page is not None else FORM_ERRORS if fragment else 400
    context = {"form": form, "listing": listing, "fragment": fragment, **(extra or {})}
    response = render_screen(request, template, "results", context, status)
    if fragment and listing.page is not None:
        # What the address bar shows: the canonical URL, not the form's empty fields.
        response["HX-Push-Url"] = listing.current_url
    return response


def _fetch_listing(
    query: QueryDict, path: str, list_connectors: Callable[..., Page[Connector]]
) -> tuple[ConnectorFilterForm, ConnectorListing]:
    """The filter form bound to `query`, and the list it selects (no page if it is invalid)."""
    choices = catalogue.filter_choices()
    form = ConnectorFilterForm(query, **choices)
    names = ProtocolNames(choices["protocols"])
    listing = ConnectorListing(path=path, protocol_names=names)
    if form.is_valid():
        try:
            listing = ConnectorListing.fetch(list_connectors, path, names, form.cleaned_data)
        except BadRequest as error:  # e.g. a cursor the API does not accept
            add_api_errors(error, form, FILTER_FIELDS)
    return form, listing


@require_GET
@vary_on_htmx
def connectors(request: HttpRequest) -> HttpResponse:
    """The connectors page: the organisation's connectors, filtered, sorted and paged."""
    return connector_list(request, get_client().connectors.list, "connectors/home.html")


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """The connectors ticked (or all matching the filters) and an action: an export at once;
    otherwise what the run will do, then (`confirm`) the run. Roles are checked per item."""
    form = selection.ConnectorBulkForm(request.POST, categories=catalogue.categories())
    back = safe_url(request, request.POST.get("next"), "connectors")
    context = {"form": form, "back_url": back, "post_url": reverse("connectors_bulk")}
    try:
        if not form.is_valid():
            raise ValidationError(form.problems())
        connectors = selection.selected(get_client(), form)
    except ValidationError as error:
        return _bulk_problems(request, form, back, error.messages)
    action = form.cleaned_data["action"]
    if action in (selection.EXPORT_CSV, selection.EXPORT_JSON):
        return selection.export(connectors, action)
    action, params = runs.ACTIONS[action], form.params()
    if "confirm" in request.POST:
        items = [(c.id, c.name) for c in connectors]
        run = runs.start(request.user, action, items, params, back)
        return go_to(request, reverse("bulk_run", args=[run.pk]))
    context |= {"title": action.title(params), "labels": [c.name for c in connectors]}
    if action.name == DELETE_CONNECTORS:
        context["labels"], context["warning"] = deletion.preview(connectors)
        if request.user.has_perm(FORCE_DELETE):  # chosen here too: a rerun comes back here
            context["choice"] = {
                "name": "force",
                "label": "Force delete (also those in use)",
                "checked": params["force"],
            }
    return render(request, "bulk/preview.html", context)


def _bulk_problems(
    request: HttpRequest, form: selection.ConnectorBulkForm, back: str, problems: list[str]
) -> HttpResponse:
    """Why the bulk action cannot run, on the list it was chosen on, as it was left: its rows
    still ticked and the bar still filled in, so fixing it loses nothing."""
    path, came_from = reverse("connectors"), urlsplit(back)
    query = QueryDict(came_from.query) if came_from.path == path else QueryDict()
    filters, listing = _fetch_listing(query, path, get_client().connectors.list)
    data = request.POST
    everything = data.get("scope") == ALL_MATCHING
    ticked = set(data.getlist("id"))
    for row in listing.rows:
        row.ticked = everything or row.connector.id in ticked
    bulk = {
        "problems": problems,
        "scope": ALL_MATCHING if everything else SELECTED,
        "action": data.get("action", ""),
        "tag": data.get("tag", ""),
        "categories": data.getlist("categories"),
        "force": bool(data.get("force")),
    }
    context = {"form": filters, "listing": listing, "fragment": False, "bulk": bulk}
    return render(request, "connectors/home.html", context, status=400)


# --- Overview, with tags and categories edited in place ----------------------------------------


def _overview(
    request: HttpRequest, connector: Connector, *, status: int = 200, **context
) -> HttpResponse:
    """The overview page, or for htmx the section it targets (`SECTIONS`)."""
    section = SECTIONS.get(request.htmx.target or "") if is_fragment(request) else None
    template = f"connectors/detail.html#{section}" if section else "connectors/detail.html"
    # A section swapped back in (saved, or cancelled) replaced the focused control: its opener
    # takes the focus, so a keyboard or screen reader user keeps their place.
    refocus = bool(section)
    context = {"connector": connector, "active_tab": "overview", "refocus": refocus, **context}
    return render(request, template, context, status=status)


@require_GET
@vary_on_htmx
def detail(request: HttpRequest, connector_id: str) -> HttpResponse:
    """A connector's overview."""
    return _overview(request, get_client().connectors.get(connector_id))


def _edit_in_place(
    request: HttpRequest,
    connector_id: str,
    *,
    section: str,
    make_form: Callable[..., forms.Form],
    save: Callable[[dict], None],
    saved: str,
) -> HttpResponse:
    """GET: the overview with `section`'s form open. POST: save, then the section shown (htmx)
    or the overview (a redirect); an invalid form comes back with its errors."""
    client = get_client()
    if request.method == "POST":
        form = make_form(request.POST)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except BadRequest as error:
                add_api_errors(error, form, {section: section})
            else:
                messages.success(request, saved)
                if not is_fragment(request):
                    return go_to(request, reverse("connector_detail", args=[connector_id]))
                return _overview(request, client.connectors.get(connector_id))
        return _overview(
            request,
            client.connectors.get(connector_id),
            status=FORM_ERRORS,
            **{f"{section}_form": form},
        )
    connector = client.connectors.get(connector_id)
    form = make_form(initial={section: getattr(connector, section)})
    return _overview(request, connector, **{f"{section}_form": form})


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit_tags(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Replace a connector's tags (UpdateConnectorTags)."""
    return _edit_in_place(
        request,
        connector_id,
        section="tags",
        make_form=TagsForm,
        save=lambda data: get_client().connectors.update_tags(connector_id, data["tags"]),
        saved="Tags saved.",
    )


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit_categories(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Replace a connector's categories (UpdateConnectorCategories)."""
    choices = catalogue.categories()
    return _edit_in_place(
        request,
        connector_id,
        section="categories",
        make_form=lambda *args, **kwargs: CategoriesForm(*args, categories=choices, **kwargs),
        save=lambda data: get_client().connectors.update_categories(
            connector_id, data["categories"]
        ),
        saved="Categories saved.",
    )


# --- Delete ----------------------------------------------------------------------------------


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def delete(request: HttpRequest, connector_id: str) -> HttpResponse:
    """GET: the overview asking to confirm. POST: delete, or explain that it is in use."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    if request.method == "GET":
        return _overview(request, connector, confirm_delete=deletion.consequence(connector))
    try:
        client.connectors.delete(connector_id)
    except (Conflict, PreconditionFailed) as error:  # the contract's "in use"
        return _overview(
            request, connector, status=FORM_ERRORS, in_use=in_screen_words(error.message)
        )
    messages.success(request, f"Connector “{connector.name}” deleted.")
    return go_to(request, reverse("connectors"))


@require_permission(FORCE_DELETE)
@require_POST
def force_delete(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Delete a connector even though it is in use."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    client.connectors.delete(connector_id, force=True)
    messages.success(request, f"Connector “{connector.name}” force-deleted.")
    return go_to(request, reverse("connectors"))


# --- Create and edit -------------------------------------------------------------------------


def _as_typed(form: forms.Form, **kwargs) -> forms.Form:
    """A fresh, unvalidated copy of `form` showing what was typed (no error messages), for
    re-rendering after "Add variable"."""
    typed = {name: form[name].value() for name in form.fields}
    return type(form)(initial=typed, **kwargs)


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def create(request: HttpRequest) -> HttpResponse:
    """Create an HTTP connector with its first auth scheme, variables, tags and categories."""
    categories = catalogue.categories()
    data = request.POST if request.method == "POST" else None
    form = ConnectorCreateForm(data, categories=categories)
    variables = variable_formset(data)
    status = 200
    if ADD_VARIABLE in request.POST:
        form = _as_typed(form, categories=categories)
        variables = variables.with_another_row(request.POST)
    elif request.method == "POST":
        if form.is_valid() and variables.is_valid():
            try:
                connector = _create(form, variables)
            except BadRequest as error:
                add_api_errors(error, form, CONNECTOR_FIELDS, variables)
            else:
                messages.success(request, f"Connector “{connector.name}” created.")
                _set_categories(request, connector, form.cleaned_data["categories"])
                return go_to(request, reverse("connector_detail", args=[connector.id]))
        status = FORM_ERRORS
    context = {"form": form, "variables": variables}
    return render_screen(request, "connectors/create.html", "form", context, status)


def _create(form: ConnectorCreateForm, variables) -> Connector:
    data = form.cleaned_data
    return get_client().connectors.create_http(
        HTTPConnectorCreate(
            name=data["name"],
            base_url=data["base_url"],
            connection_variables=variables.variables(),
            auth_scheme_configs=[form.auth_scheme_config()],
            tags=data["tags"],
            public=data["public"],
        )
    )


def _set_categories(request: HttpRequest, connector: Connector, categories: list[str]) -> None:
    """Categories are set by their own operation once the connector exists. Should that fail,
    the connector still exists: say so rather than show an error that invites creating it
    twice."""
    if not categories:
        return
    try:
        get_client().connectors.update_categories(connector.id, categories)
    except ConnectError as error:
        messages.warning(
            request, f"Its categories were not saved: {error.message} Set them on its page."
        )


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Edit a connector's settings, refused if someone changed it since the form was loaded."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    if not isinstance(connector, HTTPConnector):
        context = {"connector": connector, "active_tab": "overview", "unsupported": True}
        return render(request, "connectors/edit.html", context)
    status, conflict = 200, None
    if request.method == "GET":
        form = ConnectorEditForm.for_connector(connector)
        variables = variable_formset(variables=connector.connection_variables)
    else:
        form = ConnectorEditForm(request.POST, stored=connector)
        variables = variable_formset(request.POST)
        if ADD_VARIABLE in request.POST:
            form = _as_typed(form)
            variables = variables.with_another_row(request.POST)
        elif form.is_valid() and variables.is_valid():
            try:
                _update(connector, form, variables)
            except PreconditionFailed:
                conflict = client.connectors.get(connector_id)
                form = ConnectorEditForm(refreshed(request.POST, conflict), stored=conflict)
                form.is_valid()
            except BadRequest as error:
                add_api_errors(error, form, CONNECTOR_FIELDS, variables)
            else:
                messages.success(request, f"Connector “{form.cleaned_data['name']}” saved.")
                return go_to(request, reverse("connector_detail", args=[connector_id]))
        status = FORM_ERRORS
    context = {"connector": connector, "active_tab": "overview", "conflict": conflict}
    context |= {"form": form, "variables": variables}
    return render_screen(request, "connectors/edit.html", "form", context, status)


def _update(connector: HTTPConnector, form: ConnectorEditForm, variables) -> Connector:
    data = form.cleaned_data
    return get_client().connectors.update(
        HTTPConnectorUpdate(
            id=connector.id,
            organisation_id=connector.organisation_id,
            name=data["name"],
            base_url=data["base_url"],
            # UpdateConnector unsets what it is not sent: keep the tags as they are. Had they
            # changed since the form was loaded, the precondition refuses the whole update.
            tags=connector.tags,
            public=data["public"],
            documentation_url=data["documentation_url"],
            image_url=data["image_url"],
            connection_variables=variables.variables(),
        ),
        if_unmodified_since=data["updated_at"],
    )
