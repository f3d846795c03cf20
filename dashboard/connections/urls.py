from django.urls import path

from . import auth_scheme_views, connection_views, credential_views, rotation_queue

CONNECTOR = "connectors/<str:connector_id>"
CONNECTION = f"{CONNECTOR}/connections/<str:connection_id>"
AUTH_SCHEME = f"{CONNECTOR}/auth-schemes/<str:config_id>"

urlpatterns = [
    # A connector's Auth schemes tab.
    path(
        f"{CONNECTOR}/auth-schemes/",
        auth_scheme_views.auth_schemes,
        name="connector_auth_schemes",
    ),
    path(
        f"{CONNECTOR}/auth-schemes/new/", auth_scheme_views.add_auth_scheme, name="auth_scheme_add"
    ),
    path(f"{AUTH_SCHEME}/edit/", auth_scheme_views.edit_auth_scheme, name="auth_scheme_edit"),
    path(f"{AUTH_SCHEME}/move/", auth_scheme_views.move_auth_scheme, name="auth_scheme_move"),
    path(f"{AUTH_SCHEME}/delete/", auth_scheme_views.delete_auth_scheme, name="auth_scheme_delete"),
    # A connector's Connections tab.
    path(f"{CONNECTOR}/connections/", connection_views.connections, name="connector_connections"),
    path(
        f"{CONNECTOR}/connections/new/",
        connection_views.create_connection,
        name="connection_create",
    ),
    path(f"{CONNECTION}/", connection_views.connection_detail, name="connection_detail"),
    path(f"{CONNECTION}/edit/", connection_views.edit_connection, name="connection_edit"),
    path(f"{CONNECTION}/delete/", connection_views.delete_connection, name="connection_delete"),
    path(
        f"{CONNECTION}/force-delete/",
        connection_views.force_delete_connection,
        name="connection_force_delete",
    ),
    path(
        f"{CONNECTION}/oauth2/<str:config_id>/connect/",
        connection_views.connect,
        name="connection_connect",
    ),
    # The organisation's credentials.
    path("credentials/", credential_views.credentials, name="credentials"),
    path("credentials/export/", credential_views.export, name="credentials_export"),
    path(
        "credentials/connector-options/",
        credential_views.connector_options,
        name="credential_connector_options",
    ),
    path("credentials/rotation-queue/", rotation_queue.start, name="credential_queue_start"),
    path("credentials/rotation-queue/<str:run_id>/", rotation_queue.queue, name="credential_queue"),
    path(
        "credentials/<str:credential_id>/rotate/",
        credential_views.rotate,
        name="credential_rotate",
    ),
]
