from django.urls import path

from . import history_views

CONNECTOR = "connectors/<str:connector_id>"

urlpatterns = [
    path(f"{CONNECTOR}/history/", history_views.connector_history, name="connector_history"),
    path(
        f"{CONNECTOR}/versions/<str:version>/history/",
        history_views.version_history,
        name="version_history",
    ),
    path(
        f"{CONNECTOR}/connections/<str:connection_id>/history/",
        history_views.connection_history,
        name="connection_history",
    ),
    path(
        "credentials/<str:credential_id>/history/",
        history_views.credential_history,
        name="credential_history",
    ),
]
