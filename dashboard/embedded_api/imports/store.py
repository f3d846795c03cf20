"""Storing what the importer made: a new connector, a version and its contents.

The callers run all of it in one transaction. The importer's output is checked again here
by the same code that checks API requests (`add_auth_scheme_configs`,
`create_version_contents`), so an import can never store what CreateHTTPConnector or
CreateDefinitions would refuse:
- the connector's name and URLs already fit (the importer applies the contract's limits,
  `openapi.limits`, so its preview says the same);
- an auth scheme config the API would refuse (an OAuth 2.0 flow whose token URL stayed
  relative) is left out, with a warning saying what to fix;
- definitions, actions or triggers the API would refuse make the whole import a 400
  `not_importable` naming each problem (nothing is stored).
"""

import pydantic
from django.db.models import Model

from ...openapi import ImportFailure, ImportResult, Message
from ..connectors.auth_scheme_configs import add_auth_scheme_configs
from ..connectors.lookup import serialised
from ..connectors.schemas import AuthSchemeConfigIn
from ..errors import ApiError
from ..http import validation_error
from ..models import Connector, ConnectorVersion, Definition
from ..versions import schema_content
from ..versions.contents import ACTION, TRIGGER, Catalogue, create_version_contents
from ..versions.schemas import RESERVED_VERSION_NAMES, VERSION_NAME
from ..versions.serialise import linked_ids, serialise_definition, serialise_endpoint

FIRST_VERSION = "1.0.0"
_CONFIG = pydantic.TypeAdapter(AuthSchemeConfigIn)

Contents = tuple[list[Definition], list[Model], list[Model]]


def first_version_name(doc: dict, messages: list[Message]) -> str:
    """A new connector's first version is named after `info.version` when that is a valid
    version name (1-64 letters, digits, `.`, `_`, `+`, `-`; not `latest` or `default`),
    else FIRST_VERSION, with an info message."""
    wanted = str(doc["info"].get("version", ""))
    if VERSION_NAME.match(wanted) and wanted.lower() not in RESERVED_VERSION_NAMES:
        return wanted
    messages.append(
        Message.info(
            f"info.version '{wanted[:100]}' cannot name a version (use 1-64 letters, digits, "
            f"'.', '_', '+' or '-'); the first version is named '{FIRST_VERSION}'.",
            "/info/version",
        )
    )
    return FIRST_VERSION


def new_connector(organisation_id: str, result: ImportResult, messages: list[Message]):
    """ImportHTTPConnector's connector, with the auth scheme configs the API accepts."""
    fields = result.connector
    connector = Connector.objects.create(
        organisation_id=organisation_id,
        protocol=Connector.Protocol.HTTP,
        name=fields.name,
        base_url=fields.base_url,
        documentation_url=fields.documentation_url,
    )
    add_auth_scheme_configs(connector, _accepted_configs(result.auth_scheme_configs, messages))
    return connector


def _accepted_configs(configs: list[dict], messages: list[Message]) -> list:
    accepted = []
    for config in configs:
        try:
            accepted.append(_CONFIG.validate_python(config))
        except pydantic.ValidationError as error:
            problems = "; ".join(
                f"{item['field']}: {item['message']}" for item in validation_error(error).fields
            )
            messages.append(
                Message.warning(
                    f"The auth scheme '{config.get('description')}' ({config.get('schemeType')}) "
                    f"was not imported ({problems}); add it to the connector by hand.",
                    "/components/securitySchemes",
                )
            )
    return accepted


def store_contents(version: ConnectorVersion, result: ImportResult) -> Contents:
    """The version's definitions, actions and triggers, or a 400 `not_importable`."""
    try:
        return create_version_contents(
            version,
            [definition.to_create() for definition in result.definitions],
            result.actions,
            result.triggers,
        )
    except pydantic.ValidationError as error:
        raise _not_importable(validation_error(error).fields) from None
    except ApiError as error:
        if error.status != 400:
            raise
        raise _not_importable(error.fields or [{"field": "", "message": error.message}]) from None


def _not_importable(fields: list[dict]) -> ImportFailure:
    return ImportFailure(
        "not_importable",
        "The document is valid OpenAPI, but part of what it maps to cannot be stored.",
        [Message.error(f"{item['field']}: {item['message']}") for item in fields[:20]],
    )


def result_body(
    connector: Connector, version: ConnectorVersion, contents: Contents, messages: list[Message]
) -> dict:
    """ImportHTTPConnectorResult: the connector as it is now, the version's new contents (in
    the document's order) and the messages.

    Built from the rows just created: the version holds nothing else, so who refers to each
    definition (`referencedBy`) is known without reading anything back."""
    definitions, actions, triggers = contents
    version.connector = connector
    catalogue = Catalogue(version)
    catalogue.add(definitions)
    referrers = _referrers(definitions, actions, triggers)
    return {
        "connector": serialised(connector),
        "definitions": [
            serialise_definition(definition, version, with_references=False)
            | {"referencedBy": referrers.get(definition.pk, [])}
            for definition in definitions
        ],
        "actions": [serialise_endpoint(item, ACTION, catalogue) for item in actions],
        "triggers": [serialise_endpoint(item, TRIGGER, catalogue) for item in triggers],
        "messages": [message.to_dict() for message in messages],
    }


def _referrers(definitions, actions, triggers) -> dict[str, list[dict]]:
    """`referencedBy` of each new definition, ordered as `serialise.referenced_by` orders it."""
    found: dict[str, list[tuple]] = {}
    for definition in definitions:
        for target in schema_content.referenced_ids(definition.schema):
            found.setdefault(target, []).append(("definition", definition))
    for kind, items in (("action", actions), ("trigger", triggers)):
        for item in items:
            for target in linked_ids([item]):
                found.setdefault(target, []).append((kind, item))
    return {
        target: [
            {"type": kind, "id": item.pk, "name": item.name}
            for kind, item in sorted(refs, key=lambda ref: (ref[0], ref[1].name))
        ]
        for target, refs in found.items()
    }
