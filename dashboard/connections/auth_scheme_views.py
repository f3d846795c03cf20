"""A connector's Auth schemes tab: list, add, edit, reorder and delete auth scheme configs.

Each write carries the connector's `updatedAt` from when the page was loaded; if the
connector changed since, nothing is saved and the page shows what is there now.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url
from ulid import ULID

from dashboard.accounts.roles import CHANGE_CONNECTORS, require_permission
from dashboard.connect import BadRequest, Conflict, PreconditionFailed, get_client
from dashboard.connect.models import (
    AuthSchemeConfig,
    Connector,
    HTTPConnector,
    HTTPConnectorUpdate,
)
from dashboard.stale_edit import refreshed
from dashboard.web.htmx import (
    FORM_ERRORS,
    go_to,
    is_fragment,
    render_screen,
    vary_on_htmx,
)

from .api_errors import place_config_errors
from .auth_scheme_forms import (
    FORMS,
    SCHEME_TYPES,
    AuthSchemeConfigForm,
    MoveForm,
    SchemeTypeForm,
)
from .form_state import quiet

TAB = "auth_schemes"
LIST = "connections/auth_schemes.html"
FORM = "connections/auth_scheme_form.html"


def _config(connector: Connector, config_id: str) -> AuthSchemeConfig:
    for config in connector.auth_scheme_configs:
        if config.id == config_id:
            return config
    raise Http404("This auth scheme config does not exist (it may have been deleted).")


def _list(request: HttpRequest, connector: Connector, status: int = 200, **context):
    context = {"connector": connector, "active_tab": TAB, **context}
    return render_screen(request, LIST, "list", context, status)


@require_GET
@vary_on_htmx
def auth_schemes(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The connector's auth scheme configs, in order, with the API's validation messages."""
    return _list(request, get_client().connectors.get(connector_id))


def _edit_screen(
    request: HttpRequest,
    connector: Connector,
    form: AuthSchemeConfigForm,
    config: AuthSchemeConfig | None,
    *,
    status: int = 200,
    conflict: Connector | None = None,
) -> HttpResponse:
    context = {
        "connector": connector,
        "active_tab": TAB,
        "form": form,
        "config": config,
        "type_form": SchemeTypeForm(initial={"type": form.scheme_type}),
        "conflict": conflict,
        "conflict_config": _find(conflict, config.id) if conflict and config else None,
    }
    return render_screen(request, FORM, "form", context, status)


def _find(connector: Connector, config_id: str) -> AuthSchemeConfig | None:
    return next((c for c in connector.auth_scheme_configs if c.id == config_id), None)


def _save(
    request: HttpRequest,
    connector: Connector,
    form_class: type[AuthSchemeConfigForm],
    config: AuthSchemeConfig | None,
) -> HttpResponse:
    """Validate and upsert; on a stale page show the current state, nothing saved."""
    client = get_client()
    form = form_class(request.POST, config=config)
    if form.is_valid():
        config_id = config.id if config else str(ULID())
        try:
            client.auth_scheme_configs.upsert(
                connector.id,
                form.auth_scheme_config(config_id),
                if_unmodified_since=form.cleaned_data["updated_at"],
            )
        except PreconditionFailed:
            current = client.connectors.get(connector.id)
            data = refreshed(request.POST, current)
            form = form_class(data, config=_find(current, config.id) if config else None)
            quiet(form)
            return _edit_screen(
                request, current, form, config, status=FORM_ERRORS, conflict=current
            )
        except (BadRequest, Conflict) as error:
            place_config_errors(error, form)
        else:
            verb = "saved" if config else "added"
            messages.success(request, f"{form.label} auth scheme {verb}.")
            return go_to(request, reverse("connector_auth_schemes", args=[connector.id]))
    return _edit_screen(request, connector, form, config, status=FORM_ERRORS)


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def add_auth_scheme(request: HttpRequest, connector_id: str) -> HttpResponse:
    """Add an auth scheme config of the type chosen with `?type=` (the form's fields follow
    the type)."""
    connector = get_client().connectors.get(connector_id)
    chosen = SchemeTypeForm(request.GET if "type" in request.GET else {"type": "api-key"})
    form_class = FORMS[chosen.cleaned_data["type"]] if chosen.is_valid() else FORMS["api-key"]
    if request.method == "POST":
        return _save(request, connector, form_class, None)
    # A description typed before changing the type comes along (`hx-include`), but stays
    # out of the address bar.
    description = request.GET.get("description", "")
    form = form_class(
        initial={"updated_at": connector.updated_at.isoformat(), "description": description}
    )
    response = _edit_screen(request, connector, form, None)
    if "description" in request.GET:
        type_only = urlencode({"type": form.scheme_type})
        push_url(response, f"{reverse('auth_scheme_add', args=[connector_id])}?{type_only}")
    return response


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit_auth_scheme(request: HttpRequest, connector_id: str, config_id: str) -> HttpResponse:
    """Edit an auth scheme config (its type stays; add another config for another type)."""
    connector = get_client().connectors.get(connector_id)
    config = _config(connector, config_id)
    form_class = FORMS.get(config.scheme_type)
    if form_class is None:
        raise Http404(f"Patchbay cannot edit {config.scheme_type} auth scheme configs.")
    if request.method == "POST":
        return _save(request, connector, form_class, config)
    form = form_class(config=config, initial={"updated_at": connector.updated_at.isoformat()})
    return _edit_screen(request, connector, form, config)


@require_permission(CHANGE_CONNECTORS)
@require_POST
def move_auth_scheme(request: HttpRequest, connector_id: str, config_id: str) -> HttpResponse:
    """Move a config one place up or down (UpdateConnector's `authSchemeConfigIds`)."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    _config(connector, config_id)
    form = MoveForm(request.POST)
    if not form.is_valid() or not isinstance(connector, HTTPConnector):
        return _list(request, connector, status=FORM_ERRORS, reorder_problem=True)
    direction = form.cleaned_data["direction"]
    ids = [config.id for config in connector.auth_scheme_configs]
    index = ids.index(config_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        try:
            connector = client.connectors.update(
                _reordered(connector, ids), if_unmodified_since=form.cleaned_data["updated_at"]
            )
        except PreconditionFailed:
            current = client.connectors.get(connector_id)
            return _list(request, current, status=FORM_ERRORS, reorder_conflict=True)
    if not is_fragment(request):
        return go_to(request, reverse("connector_auth_schemes", args=[connector_id]))
    return _list(request, connector, moved=config_id, direction=direction)


def _reordered(connector: Connector, ids: list[str]) -> HTTPConnectorUpdate:
    # UpdateConnector replaces every mutable field: send the others back as they are.
    return HTTPConnectorUpdate(
        id=connector.id,
        organisation_id=connector.organisation_id,
        name=connector.name,
        base_url=connector.base_url,
        tags=connector.tags,
        public=connector.public,
        documentation_url=connector.documentation_url,
        image_url=connector.image_url,
        auth_scheme_config_ids=ids,
    )


@require_permission(CHANGE_CONNECTORS)
@require_http_methods(["GET", "POST"])
def delete_auth_scheme(request: HttpRequest, connector_id: str, config_id: str) -> HttpResponse:
    """GET: what deleting means (the contract's warning). POST: delete."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    config = _config(connector, config_id)
    if request.method == "POST":
        client.auth_scheme_configs.delete(connector_id, config_id)
        messages.success(
            request, f"{SCHEME_TYPES.get(config.scheme_type, 'The')} auth scheme deleted."
        )
        return go_to(request, reverse("connector_auth_schemes", args=[connector_id]))
    using = [
        connection
        for connection in connector.connections
        if any(
            link.auth_scheme_config.id == config_id
            for link in [*connection.credentials.action, *connection.credentials.trigger]
        )
    ]
    context = {"connector": connector, "active_tab": TAB, "config": config, "using": using}
    return render(request, "connections/auth_scheme_delete.html", context)
