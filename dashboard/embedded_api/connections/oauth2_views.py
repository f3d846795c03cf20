"""InitialiseOAuth2Connection, and the callback the OAuth 2.0 provider sends the browser to.

The callback is public (the browser has no API key): the signed state is what authorises it.
It answers with a redirect to the return path given at initialise time, adding
`oauth2=connected` on success or `oauth2_error=<code>` on failure, so the dashboard can land
back on the connection and say what happened. Only a state that was not issued here gets a
JSON error, as there is then no trustworthy place to send the browser.
"""

import logging
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

from ..errors import ApiError, field_error
from ..http import parse_body
from ..models import AuthSchemeConfig, Connection
from . import oauth2
from .credential_data import is_http_url
from .lookup import connection_of, connector_of, is_ulid
from .schemas import InitialiseOAuth2

log = logging.getLogger(__name__)


def initialise(request: HttpRequest, organisation_id: str, connector_id: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    body = parse_body(request, InitialiseOAuth2)
    if not is_http_url(body.authorizeUrl):
        raise field_error("authorizeUrl", "must be an absolute http or https URL")
    return_url = body.returnUrl or "/"
    if not oauth2.is_same_site_path(return_url):
        raise field_error("returnUrl", "must be a path on this site, such as /connectors/...")
    connection = None
    if body.connectionId is not None:
        try:
            connection = connection_of(connector, body.connectionId)
        except ApiError:
            raise field_error("connectionId", "is not a connection of this connector") from None
    config = oauth2.authorization_code_config(connector, body.authSchemeConfigId)
    if not is_ulid(body.credential.organisationId):
        raise field_error("credential.organisationId", "is not an organisation id")
    if not is_ulid(body.credential.id):
        raise field_error("credential.id", "is not a credential of that organisation")
    client = oauth2.client_credential(
        organisation_id, config, body.credential.id, body.credential.organisationId
    )
    if client.public_data.get("clientId") != body.clientId:
        raise field_error("clientId", "must be the client ID stored in the credential")
    scopes = oauth2.requested_scopes(config, body.scopes, not body.disableOfflineAccess)
    state = oauth2.State(
        organisation_id=organisation_id,
        connector_id=connector.id,
        config_id=config.config_id,
        credential_id=client.id,
        connection_id=connection.id if connection else None,
        return_url=return_url,
        scopes=scopes,
    )
    url = oauth2.authorize_url(
        body.authorizeUrl,
        client_id=body.clientId,
        scopes=scopes,
        state=oauth2.sign_state(state),
        prompt=body.prompt,
        extra=body.additionalParams,
    )
    return {"url": url}


@csrf_exempt  # Nothing but GET is served; other methods get a JSON 405, not a CSRF page.
@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return ApiError(
            405, "method_not_allowed", f"{request.method} is not allowed here."
        ).response()
    raw_state = request.GET.get("state", "")
    try:
        state = oauth2.read_state(raw_state)
    except signing.SignatureExpired:
        return _back(oauth2.read_state(raw_state, check_age=False), oauth2_error="expired_state")
    except signing.BadSignature:
        return ApiError(
            400, "invalid_state", "The OAuth 2.0 state is missing or was not issued here."
        ).response()
    if "error" in request.GET:
        # The provider's own error code (access_denied...), if it looks like one.
        error = request.GET["error"]
        return _back(state, oauth2_error=error if oauth2.is_error_code(error) else "provider_error")
    code = request.GET.get("code", "")
    if not code:
        return _back(state, oauth2_error="invalid_request")
    if state.connection_id is None:
        # The return page creates the connection with an oauth2-code credential.
        return _back(state, code=code, state=raw_state)
    try:
        return _complete(state, code)
    except Exception:
        log.exception("OAuth 2.0 callback for connector %s failed", state.connector_id)
        return _back(state, oauth2_error="server_error")


def _complete(state: oauth2.State, code: str) -> HttpResponse:
    connection = (
        Connection.objects.select_related("connector")
        .filter(
            pk=state.connection_id,
            connector_id=state.connector_id,
            connector__organisation_id=state.organisation_id,
        )
        .first()
    )
    config = AuthSchemeConfig.objects.filter(
        connector_id=state.connector_id, config_id=state.config_id
    ).first()
    if connection is None or config is None:
        return _back(state, oauth2_error="connection_not_found")
    try:
        token = oauth2.token_for(state, code)
    except oauth2.ExchangeFailed as failure:
        oauth2.record_failure(connection, config, failure.code)
        return _back(state, oauth2_error=failure.code)
    oauth2.store_token(connection, config, token)
    log.info("OAuth 2.0 token stored for connection %s", connection.id)
    return _back(state, oauth2="connected")


def _back(flow: oauth2.State, **params: str) -> HttpResponse:
    parts = urlsplit(flow.return_url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    response = HttpResponseRedirect(urlunsplit(parts._replace(query=query)))
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
