"""Routes of the imports area: OpenAPI imports and the upload URLs documents can come from."""

from django.urls import path

from ..http import api_view
from . import uploads, views

urlpatterns = [
    path("o/<ulid:organisation_id>/protocols/http/import", api_view(post=views.import_connector)),
    path(
        "o/<ulid:organisation_id>/connector/<str:connector_id>/http/import",
        api_view(post=views.import_version),
    ),
    path(
        "o/<ulid:organisation_id>/protocols/<str:protocol_slug>/upload-url",
        api_view(get=uploads.get_upload_url),
    ),
    path(f"{uploads.PATH}<str:token>", uploads.receive_upload),
]
