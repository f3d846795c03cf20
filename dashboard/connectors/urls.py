from django.urls import path

from . import views

urlpatterns = [
    path("connectors/", views.connectors, name="connectors"),
    path("connectors/new/", views.create, name="connector_create"),
    path("connectors/bulk/", views.bulk, name="connectors_bulk"),
    path("connectors/<str:connector_id>/", views.detail, name="connector_detail"),
    path("connectors/<str:connector_id>/edit/", views.edit, name="connector_edit"),
    path("connectors/<str:connector_id>/tags/", views.edit_tags, name="connector_tags"),
    path(
        "connectors/<str:connector_id>/categories/",
        views.edit_categories,
        name="connector_categories",
    ),
    path("connectors/<str:connector_id>/delete/", views.delete, name="connector_delete"),
    path(
        "connectors/<str:connector_id>/force-delete/",
        views.force_delete,
        name="connector_force_delete",
    ),
]
