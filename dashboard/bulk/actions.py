"""The bulk actions: each acts on one item through the service layer, and skips an item that
is already as it would leave it, so running one again does only what is left."""

from dashboard.accounts.roles import (
    CHANGE_CONNECTORS,
    FORCE_DELETE,
    MANAGE_VERSIONS,
    ROTATE_CREDENTIALS,
)
from dashboard.connect import ConnectClient, NotFound
from dashboard.connect.models import Connector

from .runs import DONE, SKIPPED, Action, Outcome, register

ADD_TAG, REMOVE_TAG = "add_tag", "remove_tag"
ADD_CATEGORIES, REMOVE_CATEGORIES = "add_categories", "remove_categories"
DELETE_CONNECTORS, DELETE_DRAFTS = "delete_connectors", "delete_drafts"
ROTATE = "rotate_credentials"


def _connector_action(name: str, title, perform, operation: str) -> None:
    """Register an action on connectors that needs the right to change them."""
    register(
        Action(
            name=name,
            title=title,
            perform=perform,
            permission=lambda params: CHANGE_CONNECTORS,
            operation=operation,
            kind="connector",
            preview="connectors_bulk",
        )
    )


# --- Tags --------------------------------------------------------------------------------------


def _with_tag(tags: dict[str, list[str]], term: str) -> dict[str, list[str]]:
    key, _, value = term.partition(":")
    values = list(tags.get(key, []))
    if value and value not in values:
        values.append(value)
    return {**tags, key: values}


def _without_tag(tags: dict[str, list[str]], term: str) -> dict[str, list[str]]:
    key, _, value = term.partition(":")
    if not value:  # `key` alone removes the key with all its values
        return {k: v for k, v in tags.items() if k != key}
    return {**tags, key: [v for v in tags.get(key, []) if v != value]} if key in tags else tags


def _retag(change, unchanged: str):
    def perform(client: ConnectClient, key: str, params: dict) -> Outcome:
        connector = client.connectors.get(key)
        tags = change(connector.tags, params["tag"])
        if tags == connector.tags:
            return Outcome(SKIPPED, unchanged)
        client.connectors.update_tags(key, tags, if_unmodified_since=connector.updated_at)
        return Outcome(DONE)

    return perform


_connector_action(
    ADD_TAG,
    lambda params: f"Add tag “{params['tag']}”",
    _retag(_with_tag, "Already has this tag."),
    "update_connector_tags",
)
_connector_action(
    REMOVE_TAG,
    lambda params: f"Remove tag “{params['tag']}”",
    _retag(_without_tag, "Does not have this tag."),
    "update_connector_tags",
)


# --- Categories --------------------------------------------------------------------------------


def _recategorise(adding: bool, unchanged: str):
    def perform(client: ConnectClient, key: str, params: dict) -> Outcome:
        connector: Connector = client.connectors.get(key)
        chosen = params["categories"]
        if adding:
            categories = [
                *connector.categories,
                *(c for c in chosen if c not in connector.categories),
            ]
        else:
            categories = [c for c in connector.categories if c not in chosen]
        if categories == connector.categories:
            return Outcome(SKIPPED, unchanged)
        client.connectors.update_categories(
            key, categories, if_unmodified_since=connector.updated_at
        )
        return Outcome(DONE)

    return perform


def _listed(categories: list[str]) -> str:
    return ", ".join(f"“{c}”" for c in categories)


_connector_action(
    ADD_CATEGORIES,
    lambda params: f"Add categories {_listed(params['categories'])}",
    _recategorise(True, "Already in these categories."),
    "update_connector_categories",
)
_connector_action(
    REMOVE_CATEGORIES,
    lambda params: f"Remove categories {_listed(params['categories'])}",
    _recategorise(False, "In none of these categories."),
    "update_connector_categories",
)


# --- Deleting ----------------------------------------------------------------------------------


def _delete_connector(client: ConnectClient, key: str, params: dict) -> Outcome:
    try:
        client.connectors.delete(key, force=params.get("force", False))
    except NotFound:
        return Outcome(SKIPPED, "Already deleted.", audited=True)
    return Outcome(DONE)


register(
    Action(
        name=DELETE_CONNECTORS,
        title=lambda params: (
            "Force-delete connectors" if params.get("force") else "Delete connectors"
        ),
        perform=_delete_connector,
        permission=lambda params: FORCE_DELETE if params.get("force") else CHANGE_CONNECTORS,
        operation="delete_connector",
        kind="connector",
        preview="connectors_bulk",
    )
)


def draft_key(connector_id: str, version: str) -> str:
    """A draft's item key: connector ids (ULIDs) hold no slash, so the first one separates."""
    return f"{connector_id}/{version}"


def _delete_draft(client: ConnectClient, key: str, params: dict) -> Outcome:
    connector_id, version = key.split("/", 1)
    try:
        client.versions.delete(connector_id, version)
    except NotFound:
        return Outcome(SKIPPED, "Already deleted.", audited=True)
    return Outcome(DONE)


register(
    Action(
        name=DELETE_DRAFTS,
        title=lambda params: "Delete drafts",
        perform=_delete_draft,
        permission=lambda params: MANAGE_VERSIONS,
        operation="delete_connector_version",
        kind="version",
    )
)


# --- Rotating ----------------------------------------------------------------------------------


def _typed_by_the_user(client: ConnectClient, key: str, params: dict) -> Outcome:
    raise NotImplementedError("a rotation is made on the rotation queue's page")


register(
    Action(
        name=ROTATE,
        title=lambda params: "Rotate credentials",
        perform=_typed_by_the_user,
        permission=lambda params: ROTATE_CREDENTIALS,
        operation="update_credential",
        kind="credential",
        page="credential_queue",
    )
)
