"""A connector's Connections tab: list, create, view, edit and delete connections, and
"Connect" (the OAuth 2.0 authorization code flow).

Connect API failures propagate to dashboard.web.upstream, which shows them; views catch an
`APIError` only to put its field errors on a form, to explain "in use", or to show a
conflict when the connection changed since the form was loaded.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.accounts.roles import FORCE_DELETE, MANAGE_CONNECTIONS, require_permission
from dashboard.connect import BadRequest, Conflict, PreconditionFailed, get_client
from dashboard.connect.models import (
    AuthSchemeConfig,
    Connection,
    ConnectionCreate,
    ConnectionCredentialsCreate,
    ConnectionUpdate,
    Connector,
    InitialiseOAuth2ConnectionRequest,
    InitialiseOAuth2Credential,
)
from dashboard.connectors.forms import variable_formset
from dashboard.stale_edit import refreshed
from dashboard.web.htmx import (
    FORM_ERRORS,
    go_to,
    is_fragment,
    render_screen,
    vary_on_htmx,
)
from dashboard.wording import in_screen_words

from .api_errors import place_connection_errors, place_edit_errors
from .connection_forms import (
    KINDS,
    ConnectionCreateForm,
    ConnectionEditForm,
    credential_types_for,
    is_authorization_code,
    moved,
    slot_formsets,
)
from .form_state import quiet
from .oauth2 import OAUTH2_ERRORS, connect_options, origin

TAB = "connections"
ADD_VARIABLE = "add_variable"
ADD_CREDENTIAL = "add_credential"
MOVE = "move"
DETAIL_SECTIONS = {"connection-danger": "delete"}


def _detail_url(connector_id: str, connection_id: str) -> str:
    return reverse("connection_detail", args=[connector_id, connection_id])


# --- List ------------------------------------------------------------------------------------


@require_GET
def connections(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The connector's connections with their credentials (GetConnector includes them)."""
    connector = get_client().connectors.get(connector_id)
    rows = sorted(connector.connections, key=lambda c: (c.name.lower(), c.id))
    context = {"connector": connector, "active_tab": TAB, "rows": rows}
    return render(request, "connections/connections.html", context)


# --- Create ----------------------------------------------------------------------------------


@require_permission(MANAGE_CONNECTIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def create_connection(request: HttpRequest, connector_id: str) -> HttpResponse:
    """A new connection: name, variables (the connector's defaults to start with) and the
    action and trigger credentials, created with it."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    form, variables, slots = _create_forms(request, connector)
    status = 200
    if request.method == "POST":
        status = FORM_ERRORS
        if ADD_VARIABLE in request.POST or ADD_CREDENTIAL in request.POST:
            variables = _with_another_row(request.POST, variables, slots)
            quiet(form, variables, *slots.values())
        elif _all_valid(form, variables, *slots.values()):
            try:
                connection = client.connections.create(
                    connector_id, _new_connection(form, variables, slots)
                )
            except (BadRequest, Conflict) as error:
                place_connection_errors(error, form, variables, slots)
            else:
                messages.success(request, f"Connection “{connection.name}” created.")
                return go_to(request, _detail_url(connector_id, connection.id))
    configs = connector.auth_scheme_configs
    context = {
        "connector": connector,
        "active_tab": TAB,
        "form": form,
        "variables": variables,
        "slots": slots,
        "connect_later": [config for config in configs if is_authorization_code(config)],
        "typed_configs": [config for config in configs if credential_types_for(config)],
    }
    return render_screen(request, "connections/connection_create.html", "form", context, status)


def _create_forms(request: HttpRequest, connector: Connector) -> tuple:
    """The create page's form, variables and credential slots: empty (the connector's
    variables to start with) or as posted."""
    posted = request.method == "POST"
    configs = connector.auth_scheme_configs
    form = ConnectionCreateForm(request.POST if posted else None)
    variables = (
        variable_formset(request.POST)
        if posted
        else variable_formset(variables=connector.connection_variables)
    )
    slots = slot_formsets(
        configs,
        request.POST if posted else None,
        request.FILES if posted else None,
        first_action=any(credential_types_for(config) for config in configs),
    )
    return form, variables, slots


def _with_another_row(data, variables, slots):
    """The variables with the row asked for; or the variables as they are, and `slots` given
    another credential of the kind asked for."""
    if ADD_VARIABLE in data:
        return variables.with_another_row(data)
    if data[ADD_CREDENTIAL] in KINDS:
        slots[data[ADD_CREDENTIAL]] = slots[data[ADD_CREDENTIAL]].with_another_slot()
    return variables


def _all_valid(*forms) -> bool:
    return all([form.is_valid() for form in forms])  # a list: validate every one


def _new_connection(form, variables, slots) -> ConnectionCreate:
    return ConnectionCreate(
        name=form.cleaned_data["name"],
        variables=variables.variables(),
        credentials=ConnectionCredentialsCreate(
            **{
                kind: [slot.connection_credential() for slot in slots[kind].slots()]
                for kind in KINDS
            }
        ),
    )


# --- Detail ----------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    connector: Connector,
    connection: Connection,
    *,
    status: int = 200,
    **context,
) -> HttpResponse:
    """The connection's page, or for htmx the section it targets."""
    section = DETAIL_SECTIONS.get(request.htmx.target or "") if is_fragment(request) else None
    template = "connections/connection_detail.html"
    options = connect_options(connector, connection)
    context = {
        "connector": connector,
        "active_tab": TAB,
        "connection": connection,
        "connect_options": options,
        "kinds": [(kind, getattr(connection.credentials, kind)) for kind in KINDS],
        **context,
    }
    response = render(
        request, f"{template}#{section}" if section else template, context, status=status
    )
    # "Connect" posts a form whose answer redirects to the provider: allow that redirect.
    providers = sorted({origin(option.config.authorize_url) for option in options})
    if providers:
        response._csp_update = {"form-action": providers}
    return response


@require_GET
@vary_on_htmx
def connection_detail(request: HttpRequest, connector_id: str, connection_id: str):
    """A connection: its variables and credentials, "Connect" for OAuth 2.0 sign-in, and the
    outcome of a sign-in the provider sent the browser back from."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    connection = client.connections.get(connector_id, connection_id)
    outcome = None
    if request.GET.get("oauth2") == "connected":
        outcome = ("success", "Connected: the provider issued a token and it is stored.")
    elif "oauth2_error" in request.GET:
        code = request.GET["oauth2_error"]
        outcome = ("error", OAUTH2_ERRORS.get(code, f"The sign-in failed ({code[:64]})."))
    return _detail(request, connector, connection, oauth2_outcome=outcome)


# --- Edit ------------------------------------------------------------------------------------


@require_permission(MANAGE_CONNECTIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def edit_connection(request: HttpRequest, connector_id: str, connection_id: str):
    """Rename, change variables, reorder, re-point or remove credentials. Refused, with the
    current values shown, if the connection changed since the form was loaded."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    connection = client.connections.get(connector_id, connection_id)
    configs = connector.auth_scheme_configs
    conflict, status = None, 200
    if request.method == "GET":
        form, variables = _edit_forms(None, connection, configs)
    else:
        status = FORM_ERRORS
        data = moved(request.POST, request.POST[MOVE]) if MOVE in request.POST else request.POST
        form, variables = _edit_forms(data, connection, configs)
        if MOVE in request.POST or ADD_VARIABLE in request.POST:
            if ADD_VARIABLE in request.POST:
                variables = variables.with_another_row(data)
            quiet(form, variables)
        elif _all_valid(form, variables):
            try:
                saved = client.connections.update(
                    connector_id,
                    _connection_update(connection, form, variables),
                    if_unmodified_since=form.cleaned_data["updated_at"],
                )
            except PreconditionFailed:
                conflict = client.connections.get(connector_id, connection_id)
                form, variables = _edit_forms(refreshed(data, conflict), conflict, configs)
                quiet(form, variables)
            except (BadRequest, Conflict) as error:
                place_edit_errors(error, form, variables)
            else:
                messages.success(request, f"Connection “{saved.name}” saved.")
                return go_to(request, _detail_url(connector_id, connection_id))
    context = {"connector": connector, "active_tab": TAB, "connection": connection}
    context |= {"form": form, "variables": variables, "conflict": conflict}
    context["link_sections"] = [(kind, form[f"order_{kind}"], form.rows(kind)) for kind in KINDS]
    return render_screen(request, "connections/connection_edit.html", "form", context, status)


def _edit_forms(data, connection: Connection, configs: list[AuthSchemeConfig]) -> tuple:
    """The edit page's form and variables: from the connection, or as posted (`data`)."""
    form = ConnectionEditForm(data, connection=connection, configs=configs)
    if data is None:
        return form, variable_formset(variables=connection.variables)
    return form, variable_formset(data)


def _connection_update(connection: Connection, form, variables) -> ConnectionUpdate:
    return ConnectionUpdate(
        id=connection.id,
        name=form.cleaned_data["name"],
        variables=variables.variables(),
        credentials=form.credentials_update(),
    )


# --- Delete ----------------------------------------------------------------------------------


@require_permission(MANAGE_CONNECTIONS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def delete_connection(request: HttpRequest, connector_id: str, connection_id: str):
    """GET: the connection's page asking to confirm. POST: delete, or explain that it is in
    use (412) and offer force to those allowed."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    connection = client.connections.get(connector_id, connection_id)
    if request.method == "GET":
        return _detail(request, connector, connection, confirm_delete=True)
    try:
        client.connections.delete(connector_id, connection_id)
    except PreconditionFailed as error:
        return _detail(
            request,
            connector,
            connection,
            status=FORM_ERRORS,
            in_use=in_screen_words(error.message),
        )
    messages.success(request, f"Connection “{connection.name}” deleted.")
    return go_to(request, reverse("connector_connections", args=[connector_id]))


@require_permission(FORCE_DELETE)
@require_POST
def force_delete_connection(request: HttpRequest, connector_id: str, connection_id: str):
    """Delete a connection even though something uses it."""
    client = get_client()
    connection = client.connections.get(connector_id, connection_id)
    client.connections.delete(connector_id, connection_id, force=True)
    messages.success(request, f"Connection “{connection.name}” force-deleted.")
    return go_to(request, reverse("connector_connections", args=[connector_id]))


# --- OAuth 2.0 -------------------------------------------------------------------------------


@require_permission(MANAGE_CONNECTIONS)
@require_POST
def connect(request: HttpRequest, connector_id: str, connection_id: str, config_id: str):
    """Start the OAuth 2.0 authorization code flow for a connection: InitialiseOAuth2Connection
    gives the provider's URL, and the browser goes there (a plain form post, redirected). The
    provider sends it back through the API's callback to the connection's page."""
    client = get_client()
    connector = client.connectors.get(connector_id)
    config = _authorization_code_config(connector, config_id)
    grant = config.grant
    detail = _detail_url(connector_id, connection_id)
    if not grant.credential_id:
        messages.error(
            request,
            "This auth scheme has no OAuth 2.0 client stored: add its client ID and secret on "
            "the Auth schemes tab first.",
        )
        return go_to(request, detail)
    url = client.connections.initialise_oauth2(
        connector_id,
        InitialiseOAuth2ConnectionRequest(
            credential=InitialiseOAuth2Credential(
                id=grant.credential_id, organisation_id=grant.organisation_id
            ),
            authorize_url=config.authorize_url,
            client_id=grant.client_id or "",
            scopes=config.default_scopes,
            additional_params=config.additional_authorize_params,
            connection_id=connection_id,
            auth_scheme_config_id=config.id,
            return_url=detail,
        ),
    )
    # Only ever to the provider the auth scheme names (and the page's CSP allows).
    if origin(url) != origin(config.authorize_url):
        messages.error(request, "The Connect API answered with an unexpected sign-in address.")
        return go_to(request, detail)
    return HttpResponseRedirect(url, status=303)


def _authorization_code_config(connector: Connector, config_id: str) -> AuthSchemeConfig:
    for config in connector.auth_scheme_configs:
        if config.id == config_id and is_authorization_code(config):
            return config
    raise Http404("This connector has no such OAuth 2.0 sign-in auth scheme.")
