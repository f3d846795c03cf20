"""The steps that copy the connector itself: the connector, its documentation and image URLs,
its auth scheme configs (portable form, no credentials), its tags and categories. Tags,
categories and blank details are *added* to B's: nothing of B's is removed or replaced."""

from pydantic import TypeAdapter

from dashboard.connect.models import (
    AuthSchemeConfig,
    ConnectionVariable,
    Connector,
    HTTPConnectorCreate,
    HTTPConnectorUpdate,
)
from dashboard.connectors import catalogue

from .compare import clash, portable_config
from .target import CHANGE, CREATE, REFUSE, SKIP, Target, Verdict, absent

_CONFIG = TypeAdapter(AuthSchemeConfig)


def _check_connector(target: Target, _: str) -> Verdict:
    wanted = target.frozen["connector"]
    if target.connector is None:
        if wanted["protocol"] != "http":
            return Verdict(REFUSE, "Only HTTP connectors can be created by promotion.")
        return Verdict(CREATE, f"Created (calls {wanted['base_url']}).")
    reason = clash(_as_connector(target), target.connector, catalogue.protocol_names())
    if reason:
        return Verdict(
            REFUSE,
            f"Name clash: {target.there}'s “{wanted['name']}” is another connector: {reason}.",
        )
    return Verdict(SKIP, f"Already in {target.there}.")


def _as_connector(target: Target) -> Connector:
    """A's connector as the clash rule reads it, from what was frozen."""
    wanted = target.frozen["connector"]
    assert target.connector is not None
    return target.connector.model_copy(
        update={"protocol": wanted["protocol"], "base_url": wanted["base_url"]}
    )


def _apply_connector(target: Target, _: str) -> None:
    wanted = target.frozen["connector"]
    target.client.connectors.create_http(
        HTTPConnectorCreate(
            name=wanted["name"],
            base_url=wanted["base_url"],
            connection_variables=[
                ConnectionVariable.model_validate(v) for v in wanted["connection_variables"]
            ],
        )
    )


_DETAILS = (("documentation_url", "documentation URL"), ("image_url", "image URL"))


def _check_details(target: Target, _: str) -> Verdict:
    wanted = target.frozen["connector"]
    if target.connector is None and not target.preview:
        return absent(target)
    if target.connector and target.connector.protocol != "http":
        return Verdict(SKIP, "Only an HTTP connector's details are copied.")
    blank, different = [], []
    for name, words in _DETAILS:
        theirs = getattr(target.connector, name) if target.connector else ""
        if wanted[name] and not theirs:
            blank.append(words)
        elif wanted[name] and theirs != wanted[name]:
            different.append(words)
    if different:
        return Verdict(
            REFUSE, f"{target.there} has another {' and '.join(different)}; left as it is."
        )
    if blank:
        return Verdict(CHANGE, f"Set the {' and '.join(blank)} (blank in {target.there}).")
    return Verdict(SKIP, f"Already the same in {target.there}.")


def _apply_details(target: Target, _: str) -> None:
    wanted, connector = target.frozen["connector"], target.connector
    assert connector is not None
    target.client.connectors.update(
        HTTPConnectorUpdate(
            id=connector.id,
            organisation_id=connector.organisation_id,
            name=connector.name,
            base_url=getattr(connector, "base_url", ""),
            tags=connector.tags,
            public=connector.public,
            documentation_url=connector.documentation_url or wanted["documentation_url"],
            image_url=connector.image_url or wanted["image_url"],
        ),
        if_unmodified_since=connector.updated_at,
    )


def _check_config(target: Target, config_id: str) -> Verdict:
    wanted = target.frozen["configs"][config_id]
    if target.connector is None and not target.preview:
        return absent(target)
    configs = target.connector.auth_scheme_configs if target.connector else []
    theirs = {c.id: portable_config(c) for c in configs}
    if config_id in theirs:
        if theirs[config_id] == wanted:
            return Verdict(SKIP, f"Already in {target.there}.")
        return Verdict(
            REFUSE, f"{target.there} has a different config with this id; left as it is."
        )
    if wanted in theirs.values():
        return Verdict(SKIP, f"Already in {target.there} (under another id).")
    note = ""
    if "grant" in wanted and wanted["grant"].get("grant_type") != "client_credentials":
        note = f" Its OAuth 2.0 client ID and secret are not copied: set them in {target.there}."
    return Verdict(CREATE, "Created." + note)


def _apply_config(target: Target, config_id: str) -> None:
    connector = target.connector
    assert connector is not None
    config = _CONFIG.validate_python(target.frozen["configs"][config_id] | {"id": config_id})
    target.client.auth_scheme_configs.upsert(
        connector.id, config, if_unmodified_since=connector.updated_at
    )


def _missing_tags(target: Target) -> dict[str, list[str]]:
    theirs = target.connector.tags if target.connector else {}
    missing = {}
    for key, values in target.frozen["connector"]["tags"].items():
        lacking = [v for v in values if v not in theirs.get(key, [])]
        if lacking or key not in theirs:
            missing[key] = lacking
    return missing


def _check_tags(target: Target, _: str) -> Verdict:
    if target.connector is None and not target.preview:
        return absent(target)
    missing = _missing_tags(target)
    if not missing:
        return Verdict(SKIP, f"{target.there} has every one of them.")
    listed = ", ".join(f"{k}:{v}" if v else k for k, vs in missing.items() for v in vs or [""])
    return Verdict(CHANGE, f"Add {listed} ({target.there}'s other tags are kept).")


def _apply_tags(target: Target, _: str) -> None:
    connector = target.connector
    assert connector is not None
    merged = {key: list(values) for key, values in connector.tags.items()}
    for key, values in _missing_tags(target).items():
        merged.setdefault(key, []).extend(values)
    target.client.connectors.update_tags(
        connector.id, merged, if_unmodified_since=connector.updated_at
    )


def _missing_categories(target: Target) -> list[str]:
    theirs = target.connector.categories if target.connector else []
    return [c for c in target.frozen["connector"]["categories"] if c not in theirs]


def _check_categories(target: Target, _: str) -> Verdict:
    if target.connector is None and not target.preview:
        return absent(target)
    missing = _missing_categories(target)
    if not missing:
        return Verdict(SKIP, f"{target.there} has every one of them.")
    return Verdict(
        CHANGE, f"Add {', '.join(missing)} ({target.there}'s other categories are kept)."
    )


def _apply_categories(target: Target, _: str) -> None:
    connector = target.connector
    assert connector is not None
    target.client.connectors.update_categories(
        connector.id,
        [*connector.categories, *_missing_categories(target)],
        if_unmodified_since=connector.updated_at,
    )


CHECKS = {
    "connector": _check_connector,
    "details": _check_details,
    "config": _check_config,
    "tags": _check_tags,
    "categories": _check_categories,
}
APPLY = {
    "connector": _apply_connector,
    "details": _apply_details,
    "config": _apply_config,
    "tags": _apply_tags,
    "categories": _apply_categories,
}
