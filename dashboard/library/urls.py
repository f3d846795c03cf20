from django.urls import path

from . import views

urlpatterns = [
    path("", views.library, name="library"),
    path("import/", views.import_version, name="library_import"),
    path("<str:connector_id>/", views.public_connector, name="library_connector"),
]
