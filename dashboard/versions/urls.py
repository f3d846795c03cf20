from django.urls import path

from . import browse, compare, editing, views

CONNECTOR = "connectors/<str:connector_id>"
VERSION = f"{CONNECTOR}/versions/<str:version>"

urlpatterns = [
    # A connector's Versions tab.
    path(f"{CONNECTOR}/versions/", views.versions, name="connector_versions"),
    path(f"{CONNECTOR}/new-version/", views.create, name="version_create"),
    path(f"{CONNECTOR}/compare/", compare.page, name="version_compare"),
    path(f"{CONNECTOR}/delete-drafts/", views.delete_drafts, name="version_delete_drafts"),
    # One version: its actions are its page; then what can be done to it.
    path(f"{VERSION}/", browse.actions, name="version_detail"),
    path(f"{VERSION}/edit/", views.edit, name="version_edit"),
    path(f"{VERSION}/default/", views.set_default, name="version_set_default"),
    path(f"{VERSION}/delete/", views.delete, name="version_delete"),
    path(f"{VERSION}/force-delete/", views.force_delete, name="version_force_delete"),
    path(f"{VERSION}/publish/", views.publish, name="version_publish"),
    path(f"{VERSION}/unpublish/", views.unpublish, name="version_unpublish"),
    path(f"{VERSION}/compatibility/", compare.compatibility, name="version_compatibility"),
    # A draft's new actions, triggers and definitions (not under actions/: "new" is a valid name).
    path(f"{VERSION}/new-action/", editing.edit_action, name="version_action_new"),
    path(f"{VERSION}/new-trigger/", editing.edit_trigger, name="version_trigger_new"),
    path(f"{VERSION}/new-definition/", editing.edit_definition, name="version_definition_new"),
    # The version browser.
    path(f"{VERSION}/actions/<str:name>/", browse.action, name="version_action"),
    path(f"{VERSION}/actions/<str:name>/edit/", editing.edit_action, name="version_action_edit"),
    path(
        f"{VERSION}/actions/<str:name>/delete/",
        editing.delete_action,
        name="version_action_delete",
    ),
    path(f"{VERSION}/triggers/", browse.triggers, name="version_triggers"),
    path(f"{VERSION}/triggers/<str:name>/", browse.trigger, name="version_trigger"),
    path(f"{VERSION}/triggers/<str:name>/edit/", editing.edit_trigger, name="version_trigger_edit"),
    path(
        f"{VERSION}/triggers/<str:name>/delete/",
        editing.delete_trigger,
        name="version_trigger_delete",
    ),
    path(f"{VERSION}/definitions/", browse.definitions, name="version_definitions"),
    path(f"{VERSION}/definitions/<str:name>/", browse.definition, name="version_definition"),
    path(
        f"{VERSION}/definitions/<str:name>/edit/",
        editing.edit_definition,
        name="version_definition_edit",
    ),
    path(
        f"{VERSION}/definitions/<str:name>/delete/",
        editing.delete_definition,
        name="version_definition_delete",
    ),
    path(
        f"{VERSION}/definitions/<str:name>/schema.json",
        browse.definition_schema,
        name="version_definition_schema",
    ),
]
