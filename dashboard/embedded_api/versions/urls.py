"""Routes of the versions area: versions, their actions, triggers and definitions, and the
raw schemas definitions point to."""

from django.urls import path

from ..http import api_view
from .views import definitions, library, raw_schemas, versions
from .views.endpoints import ACTIONS, TRIGGERS

VERSIONS = "o/<ulid:organisation_id>/connectors/<str:connector_id>/versions"
VERSION = f"{VERSIONS}/<str:version>"

urlpatterns = [
    path(VERSIONS, api_view(get=versions.list_versions, post=versions.create_version)),
    path(
        VERSION,
        api_view(
            get=versions.get_version, put=versions.update_version, delete=versions.delete_version
        ),
    ),
    path(f"{VERSION}/publish", api_view(post=versions.publish_version)),
    path(f"{VERSION}/unpublish", api_view(post=versions.unpublish_version)),
    path(f"{VERSION}/library/import", api_view(post=library.import_public_version)),
    path(f"{VERSION}/actions", api_view(**ACTIONS["collection"])),
    path(f"{VERSION}/actions/<str:item_name>", api_view(**ACTIONS["item"])),
    path(f"{VERSION}/triggers", api_view(**TRIGGERS["collection"])),
    path(f"{VERSION}/triggers/<str:item_name>", api_view(**TRIGGERS["item"])),
    path(
        f"{VERSION}/definitions",
        api_view(
            get=definitions.list_definitions,
            post=definitions.create_definitions,
            delete=definitions.delete_definitions,
        ),
    ),
    path(
        f"{VERSION}/definitions/<str:definition_name>",
        api_view(
            get=definitions.get_definition,
            put=definitions.update_definition_view,
            delete=definitions.delete_definition,
        ),
    ),
    path(
        "o/<ulid:organisation_id>/schemas/<str:connector_id>/<str:version>/<str:schema_filename>",
        api_view(public=True, get=raw_schemas.get_raw_schema),
    ),
]
