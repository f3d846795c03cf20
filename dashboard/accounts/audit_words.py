"""Audit entries in words: "publisher published version 2.0.0".

An entry holds the operation the service layer called and what it acted on (kind, id, name),
which is enough to say what happened, for entries recorded before and after field changes were
kept. A page that knows more about a target (which connection a credential belongs to) passes
it in as `names`.
"""

from collections.abc import Callable

from dashboard.connect.paths import connector_in
from dashboard.environments.registry import current_environment

from .models import AuditEntry

# Operation -> what it did, with {what} standing for its target ("connector Stripe").
PHRASES = {
    "create_http_connector": "created {what}",
    "update_connector": "edited {what}",
    "delete_connector": "deleted {what}",
    "update_connector_tags": "changed the tags of {what}",
    "update_connector_categories": "changed the categories of {what}",
    "upsert_auth_scheme_config": "saved {what}",
    "delete_auth_scheme_config": "deleted {what}",
    "initialise_oauth2_connection": "started connecting {what} with OAuth 2.0",
    "create_connector_connection": "created {what}",
    "update_connection": "edited {what}",
    "delete_connection": "deleted {what}",
    "update_credential": "rotated {what}",
    "delete_credential": "deleted {what}",
    "create_connector_version": "created {what}",
    "update_connector_version": "edited {what}",
    "delete_connector_version": "deleted {what}",
    "publish_connector": "published {what}",
    "unpublish_connector": "unpublished {what}",
    "import_public_connector_version": "imported {what} from the library",
    "create_action": "added {what}",
    "update_action": "edited {what}",
    "delete_action": "deleted {what}",
    "create_trigger": "added {what}",
    "update_trigger": "edited {what}",
    "delete_trigger": "deleted {what}",
    "create_definitions": "added {what}",
    "update_definition": "edited {what}",
    "delete_definition": "deleted {what}",
    "delete_definitions": "deleted {what}",
    "import_http_connector": "imported {what} from an OpenAPI document",
    "import_http_connector_from_url": "imported {what} from an OpenAPI document's URL",
    "import_http_connector_version": "imported {what} from an OpenAPI document",
    "import_http_connector_version_from_url": "imported {what} from an OpenAPI document's URL",
    # Made in the dashboard itself, not through the Connect API (dashboard.environments).
    "add_environment": "added {what}",
    "update_environment": "edited {what}",
    "delete_environment": "removed {what}",
    "grant_environment_role": "granted {what}",
    "revoke_environment_role": "removed {what}",
    # A promotion's step, made by a bulk run (dashboard.promotion): "Trigger “paid”".
    "promote": "promoted {what}",
}
# The verbs PHRASES start with, to say what someone failed to do.
INFINITIVES = {
    "created": "create", "edited": "edit", "deleted": "delete", "changed": "change",
    "saved": "save", "started": "start", "rotated": "rotate", "published": "publish",
    "unpublished": "unpublish", "imported": "import", "added": "add", "called": "call",
    "removed": "remove", "granted": "grant", "promoted": "promote",
}  # fmt: skip
KINDS = {
    "connector": "connector",
    "auth_scheme_config": "auth scheme config",
    "connection": "connection",
    "credential": "credential",
    "version": "version",
    "action": "action",
    "trigger": "trigger",
    "definition": "definition",
    "environment": "environment",
    "environment_role": "role",
    "promotion": "",  # a step's name says what it is: "Trigger “paid”"
}
# What a bulk run records for an item it skipped: nothing to do, so nothing changed.
SKIPPED = "skipped"


def target_words(entry: AuditEntry) -> str:
    """The entry's target as a phrase: "connector Stripe", "version 2.0.0", "a connector"."""
    kind = KINDS.get(entry.target_kind, entry.target_kind.replace("_", " ") or "something")
    if entry.target_name:
        return f"{kind} {entry.target_name}".lstrip()
    return f"the {kind}" if entry.target_id else f"a {kind}"


def describe(
    entry: AuditEntry,
    names: dict[str, str] | None = None,
    unnamed: dict[str, str] | None = None,
) -> str:
    """The entry as a sentence without its actor: what was done, to what, and whether it failed
    (or was skipped: "did not rotate credential Ledgerly (skipped)").
    `names` may name a target by its id better than the entry can ("the action credential of
    connection Billing EU"); `unnamed` names targets the entry recorded by id alone."""
    what = (names or {}).get(entry.target_id)
    if not what and not entry.target_name:
        what = (unnamed or {}).get(entry.target_id)
    what = what or target_words(entry)
    phrase = PHRASES.get(entry.action)
    done = phrase.format(what=what) if phrase else f"called {entry.action} on {what}"
    if entry.outcome != "ok":
        verb, _, rest = done.partition(" ")
        failed = "did not" if entry.outcome == SKIPPED else "failed to"
        done = f"{failed} {INFINITIVES.get(verb, verb)} {rest} ({entry.outcome})"
    return done


def actor(entry: AuditEntry) -> str:
    return entry.username or "system"


def sentence(
    entry: AuditEntry,
    names: dict[str, str] | None = None,
    unnamed: dict[str, str] | None = None,
) -> str:
    """E.g. "publisher published version 2.0.0"."""
    return f"{actor(entry)} {describe(entry, names, unnamed)}"


def connector_of(entry: AuditEntry) -> str | None:
    """The id of the connector a version's entry is about (a version's name alone, "version
    2.0.0", does not say which connector's); None for other entries."""
    if entry.target_kind != "version":
        return None
    return connector_in(entry.path)


def recent_activity(
    count: int, connector_names: Callable[[set[str]], dict[str, str]] | None = None
) -> list[AuditEntry]:
    """The last `count` entries of the environment being shown, each with its `sentence`; a
    version's names its connector ("version 2.0.0 of Billing") when `connector_names`
    (ids -> id: name) knows it."""
    entries = list(AuditEntry.objects.filter(environment=current_environment().slug)[:count])
    ids = {found for entry in entries if (found := connector_of(entry))}
    names = connector_names(ids) if connector_names and ids else {}
    for entry in entries:
        name = names.get(connector_of(entry) or "")
        better = {entry.target_id: f"{target_words(entry)} of {name}"} if name else None
        entry.sentence = sentence(entry, better)
    return entries
