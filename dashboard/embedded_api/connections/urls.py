"""Routes of the connections area: a connector's connections, OAuth 2.0, and the
organisation's credentials."""

from django.urls import path

from ..http import api_view
from . import credential_views, oauth2_views, views

CONNECTOR = "o/<ulid:organisation_id>/connectors/<str:connector_id>"

urlpatterns = [
    path(
        f"{CONNECTOR}/connections",
        api_view(get=views.list_connections, post=views.create_connection),
    ),
    path(
        f"{CONNECTOR}/connections/<str:connection_id>",
        api_view(
            get=views.get_connection, put=views.update_connection, delete=views.delete_connection
        ),
    ),
    path(f"{CONNECTOR}/oauth2/initialise", api_view(post=oauth2_views.initialise)),
    # Public: the OAuth 2.0 provider sends the user's browser here (see oauth2_views).
    path("oauth2/callback", oauth2_views.callback, name="embedded-api-oauth2-callback"),
    path(
        "o/<ulid:organisation_id>/credentials",
        api_view(get=credential_views.list_credentials, post=credential_views.create_credential),
    ),
    path(
        "o/<ulid:organisation_id>/credentials/<str:credential_id>",
        api_view(
            get=credential_views.get_credential,
            put=credential_views.update_credential,
            delete=credential_views.delete_credential,
        ),
    ),
]
