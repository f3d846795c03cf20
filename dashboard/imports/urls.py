from django.urls import path

from . import views

urlpatterns = [
    path("connectors/new/import/", views.new_connector, name="import_new_connector"),
    path("connectors/new/import/create/", views.import_connector, name="import_connector"),
    path("connectors/<str:connector_id>/import/", views.new_version, name="import_new_version"),
    path(
        "connectors/<str:connector_id>/import/create/",
        views.import_version,
        name="import_version",
    ),
    path(
        "connectors/<str:connector_id>/import/as-new-version/",
        views.as_new_version,
        name="import_as_new_version",
    ),
    path(
        "connectors/<str:connector_id>/import/<str:token>/",
        views.result,
        name="import_result",
    ),
]
