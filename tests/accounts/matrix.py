"""The authorisation matrix: every dashboard URL, each method it answers, and who may use it.

Add a row for every URL (and method) you add. `test_roles_matrix.py` requests each row as
every role, and as a signed-in user with no role, and expects a refusal exactly when the
role lacks the row's permission; it also fails when a dashboard URL has no row, or when a
view's `@require_permission` disagrees with its row.

URL kwargs may be made-up ids: a role that is allowed only has to get past the permission
check (any answer but a refusal), not find the object. Where the answer depends on the object
existing, use a placeholder the test fills in: "{audit_entry}" (an audit entry's id) or
"{group}" (a role group's id). The Django admin (`admin:` names) also needs staff status,
which only the admin role has.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from dashboard.accounts.roles import (
    CHANGE_CONNECTORS,
    FORCE_DELETE,
    IMPORT_SPECS,
    MANAGE_CONNECTIONS,
    MANAGE_ENVIRONMENTS,
    MANAGE_VERSIONS,
    PUBLISH_VERSIONS,
    ROTATE_CREDENTIALS,
    VIEW_AUDIT_LOG,
)

# A connector id that exists nowhere: allowed roles get a "not found", not a refusal.
CONNECTOR = {"connector_id": "01JQ0N0SUCHC0NNECT0R000000"}
AUTH_SCHEME = {**CONNECTOR, "config_id": "01JQ0N0SUCHAUTHSCHEME00000"}
CONNECTION = {**CONNECTOR, "connection_id": "01JQ0N0SUCHC0NNECT10N00000"}
CREDENTIAL = {"credential_id": "01JQ0N0SUCHCREDENT1AL00000"}
VERSION = {**CONNECTOR, "version": "9.9.9"}
VERSION_ITEM = {**VERSION, "name": "noSuchItem"}
RUN = {"run_id": "00000000-0000-4000-8000-000000000000"}

# Any signed-in user, whatever their role (or none).
SIGNED_IN = None
# Nobody, whatever their role: the URL exists but refuses everyone.
NO_ONE = "no one"


@dataclass(frozen=True)
class Rule:
    url_name: str
    method: str
    permission: str | None
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def url(self, placeholders: dict[str, str]) -> str:
        """The URL to request, placeholders in kwargs filled in."""
        kwargs = {name: value.format(**placeholders) for name, value in self.kwargs.items()}
        return reverse(self.url_name, kwargs=kwargs)

    @property
    def admin_site(self) -> bool:
        return self.url_name.startswith("admin:")

    def __str__(self) -> str:
        return f"{self.method} {self.url_name}"


RULES: list[Rule] = [
    # Pages every signed-in user may read.
    Rule("home", "GET", SIGNED_IN),
    Rule("overview_versions", "GET", SIGNED_IN),
    Rule("overview_connections", "GET", SIGNED_IN),
    Rule("logout", "POST", SIGNED_IN),
    # Connectors (dashboard/connectors).
    Rule("connectors", "GET", SIGNED_IN),
    Rule("connector_detail", "GET", SIGNED_IN, CONNECTOR),
    Rule("connector_create", "GET", CHANGE_CONNECTORS),
    Rule("connector_create", "POST", CHANGE_CONNECTORS, data={"name": ""}),
    Rule("connector_edit", "GET", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_edit", "POST", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_tags", "GET", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_tags", "POST", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_categories", "GET", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_categories", "POST", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_delete", "GET", CHANGE_CONNECTORS, CONNECTOR),
    Rule("connector_delete", "POST", CHANGE_CONNECTORS, CONNECTOR),
    # Bulk actions check the role of every item as it runs (dashboard/bulk/runs.py); exports
    # need none. A run is seen only by who started it (others get a 404).
    Rule("connectors_bulk", "POST", SIGNED_IN, data={"action": "export_csv", "id": "x"}),
    Rule("bulk_run", "GET", SIGNED_IN, RUN),
    Rule("bulk_step", "POST", SIGNED_IN, RUN),
    Rule("bulk_cancel", "POST", SIGNED_IN, RUN),
    Rule("bulk_resume", "POST", SIGNED_IN, RUN),
    Rule("bulk_rerun", "POST", SIGNED_IN, RUN),
    Rule("connector_force_delete", "POST", FORCE_DELETE, CONNECTOR),
    # Auth schemes, connections and credentials (dashboard/connections).
    Rule("connector_auth_schemes", "GET", SIGNED_IN, CONNECTOR),
    Rule("auth_scheme_add", "GET", CHANGE_CONNECTORS, CONNECTOR),
    Rule("auth_scheme_add", "POST", CHANGE_CONNECTORS, CONNECTOR),
    Rule("auth_scheme_edit", "GET", CHANGE_CONNECTORS, AUTH_SCHEME),
    Rule("auth_scheme_edit", "POST", CHANGE_CONNECTORS, AUTH_SCHEME),
    Rule("auth_scheme_move", "POST", CHANGE_CONNECTORS, AUTH_SCHEME, {"direction": "up"}),
    Rule("auth_scheme_delete", "GET", CHANGE_CONNECTORS, AUTH_SCHEME),
    Rule("auth_scheme_delete", "POST", CHANGE_CONNECTORS, AUTH_SCHEME),
    Rule("connector_connections", "GET", SIGNED_IN, CONNECTOR),
    Rule("connection_create", "GET", MANAGE_CONNECTIONS, CONNECTOR),
    Rule("connection_create", "POST", MANAGE_CONNECTIONS, CONNECTOR),
    Rule("connection_detail", "GET", SIGNED_IN, CONNECTION),
    Rule("connection_history", "GET", VIEW_AUDIT_LOG, CONNECTION),
    Rule("connector_history", "GET", VIEW_AUDIT_LOG, CONNECTOR),
    Rule("version_history", "GET", VIEW_AUDIT_LOG, VERSION),
    Rule("credential_history", "GET", VIEW_AUDIT_LOG, CREDENTIAL),
    Rule("connection_edit", "GET", MANAGE_CONNECTIONS, CONNECTION),
    Rule("connection_edit", "POST", MANAGE_CONNECTIONS, CONNECTION),
    Rule("connection_delete", "GET", MANAGE_CONNECTIONS, CONNECTION),
    Rule("connection_delete", "POST", MANAGE_CONNECTIONS, CONNECTION),
    Rule("connection_force_delete", "POST", FORCE_DELETE, CONNECTION),
    Rule(
        "connection_connect",
        "POST",
        MANAGE_CONNECTIONS,
        {**CONNECTION, "config_id": AUTH_SCHEME["config_id"]},
    ),
    Rule("credentials", "GET", SIGNED_IN),
    Rule("credentials_export", "GET", SIGNED_IN),
    Rule("credential_connector_options", "GET", SIGNED_IN),
    Rule("credential_queue_start", "POST", ROTATE_CREDENTIALS, data={"credential": "x"}),
    Rule("credential_queue", "GET", ROTATE_CREDENTIALS, RUN),
    Rule("credential_queue", "POST", ROTATE_CREDENTIALS, RUN),
    Rule("credential_rotate", "GET", ROTATE_CREDENTIALS, CREDENTIAL),
    Rule("credential_rotate", "POST", ROTATE_CREDENTIALS, CREDENTIAL),
    # Versions, the version browser and publishing (dashboard/versions).
    Rule("connector_versions", "GET", SIGNED_IN, CONNECTOR),
    Rule("version_create", "GET", MANAGE_VERSIONS, CONNECTOR),
    Rule("version_create", "POST", MANAGE_VERSIONS, CONNECTOR, {"name": "1.0"}),
    Rule("version_detail", "GET", SIGNED_IN, VERSION),
    Rule("version_edit", "GET", MANAGE_VERSIONS, VERSION),
    Rule("version_edit", "POST", MANAGE_VERSIONS, VERSION),
    Rule("version_set_default", "POST", PUBLISH_VERSIONS, VERSION),
    Rule("version_delete_drafts", "POST", MANAGE_VERSIONS, CONNECTOR, {"version": "1.0"}),
    Rule("version_delete", "GET", MANAGE_VERSIONS, VERSION),
    Rule("version_delete", "POST", MANAGE_VERSIONS, VERSION),
    Rule("version_force_delete", "POST", FORCE_DELETE, VERSION),
    Rule("version_publish", "GET", PUBLISH_VERSIONS, VERSION),
    Rule("version_publish", "POST", PUBLISH_VERSIONS, VERSION),
    Rule("version_unpublish", "GET", PUBLISH_VERSIONS, VERSION),
    Rule("version_unpublish", "POST", PUBLISH_VERSIONS, VERSION),
    Rule("version_compare", "GET", SIGNED_IN, CONNECTOR),
    Rule("version_compatibility", "GET", SIGNED_IN, VERSION),
    Rule("version_action", "GET", SIGNED_IN, VERSION_ITEM),
    Rule("version_triggers", "GET", SIGNED_IN, VERSION),
    Rule("version_trigger", "GET", SIGNED_IN, VERSION_ITEM),
    Rule("version_definitions", "GET", SIGNED_IN, VERSION),
    Rule("version_definition", "GET", SIGNED_IN, VERSION_ITEM),
    Rule("version_definition_schema", "GET", SIGNED_IN, VERSION_ITEM),
    # Changing a draft's contents (dashboard/versions/editing.py).
    Rule("version_action_new", "GET", MANAGE_VERSIONS, VERSION),
    Rule("version_action_new", "POST", MANAGE_VERSIONS, VERSION),
    Rule("version_trigger_new", "GET", MANAGE_VERSIONS, VERSION),
    Rule("version_trigger_new", "POST", MANAGE_VERSIONS, VERSION),
    Rule("version_definition_new", "GET", MANAGE_VERSIONS, VERSION),
    Rule("version_definition_new", "POST", MANAGE_VERSIONS, VERSION),
    Rule("version_action_edit", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_action_edit", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_action_delete", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_action_delete", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_trigger_edit", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_trigger_edit", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_trigger_delete", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_trigger_delete", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_definition_edit", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_definition_edit", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_definition_delete", "GET", MANAGE_VERSIONS, VERSION_ITEM),
    Rule("version_definition_delete", "POST", MANAGE_VERSIONS, VERSION_ITEM),
    # Spec upload (dashboard/imports).
    Rule("import_new_connector", "GET", IMPORT_SPECS),
    Rule("import_new_connector", "POST", IMPORT_SPECS),
    Rule("import_connector", "POST", IMPORT_SPECS),
    Rule("import_new_version", "GET", IMPORT_SPECS, CONNECTOR),
    Rule("import_new_version", "POST", IMPORT_SPECS, CONNECTOR),
    Rule("import_version", "POST", IMPORT_SPECS, CONNECTOR),
    Rule("import_as_new_version", "POST", IMPORT_SPECS, CONNECTOR),
    Rule("import_result", "GET", IMPORT_SPECS, {**CONNECTOR, "token": "n0-such-import"}),
    # The public connector library (dashboard/library).
    Rule("library", "GET", SIGNED_IN),
    Rule("library_connector", "GET", SIGNED_IN, CONNECTOR),
    Rule("library_import", "POST", MANAGE_VERSIONS),
    # Compare and promote (dashboard/promotion): anyone may read; promoting needs "manage
    # versions" in the *target* environment, checked there (the preview says so), not here.
    Rule("promotion_compare", "GET", SIGNED_IN, CONNECTOR),
    Rule("promotion_preview", "GET", SIGNED_IN, CONNECTOR),
    Rule("promotion_preview", "POST", SIGNED_IN, CONNECTOR),
    Rule("promotion_open", "GET", SIGNED_IN),
    # The audit log: readable by every role, changeable by nobody.
    Rule("audit", "GET", VIEW_AUDIT_LOG),
    Rule("audit_export", "GET", VIEW_AUDIT_LOG),
    Rule("admin:accounts_auditentry_changelist", "GET", VIEW_AUDIT_LOG),
    Rule("admin:accounts_auditentry_add", "POST", NO_ONE, data={"action": "forged"}),
    Rule("admin:accounts_auditentry_change", "POST", NO_ONE, {"object_id": "{audit_entry}"}),
    Rule("admin:accounts_auditentry_delete", "POST", NO_ONE, {"object_id": "{audit_entry}"}),
    # Environments (dashboard/environments): the switcher for everyone, managing for admins.
    Rule("environment_switch", "GET", SIGNED_IN, {"slug": "production"}),
    Rule("environments", "GET", MANAGE_ENVIRONMENTS),
    Rule("environment_add", "GET", MANAGE_ENVIRONMENTS),
    Rule("environment_add", "POST", MANAGE_ENVIRONMENTS, data={"slug": ""}),
    Rule("environment_edit", "GET", MANAGE_ENVIRONMENTS, {"slug": "n0-such"}),
    Rule("environment_edit", "POST", MANAGE_ENVIRONMENTS, {"slug": "n0-such"}),
    Rule("environment_delete", "POST", MANAGE_ENVIRONMENTS, {"slug": "n0-such"}),
    Rule("environment_grant", "POST", MANAGE_ENVIRONMENTS, data={"role": ""}),
    Rule("environment_revoke", "POST", MANAGE_ENVIRONMENTS, data={"grant": "999999"}),
    # User management, in the Django admin.
    Rule("admin:auth_user_changelist", "GET", "auth.view_user"),
    Rule("admin:auth_user_add", "POST", "auth.add_user", data={"username": ""}),
    Rule("admin:auth_group_change", "POST", "auth.change_group", {"object_id": "{group}"}),
]

# URLs outside the matrix because no role is needed to use them (they work signed out).
OPEN_URLS = {"login", "healthz"}
