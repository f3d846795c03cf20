"""ImportHTTPConnector and ImportHTTPConnectorVersion: an OpenAPI document in, a connector (or
a new version of one) out.

Each import reads its document (`sources`), imports it with the pure importer
(`dashboard.openapi`) outside any transaction, then stores everything in ONE transaction:
the upload it used up, the connector and its auth scheme configs (new connector only), the
version, its definitions, actions and triggers. Any failure on the way, a bad document
included, leaves nothing behind. Answers: 201 ImportHTTPConnectorResult; 400
ImportHTTPConnectorError (`code`, `message`, `messages` with JSON pointers); 409 for a
version name that is reserved (`latest`, `default`) or already taken.
"""

import functools

from django.conf import settings
from django.db import IntegrityError, transaction

from ...openapi import ImportFailure, import_document, new_version_messages, parse_document
from ..connectors.lookup import own_connector
from ..connectors.serialise import serialise_auth_scheme_config
from ..errors import ApiError, bad_request, field_error
from ..http import created
from ..models import Connector, ConnectorVersion
from ..versions.schemas import RESERVED_VERSION_NAMES, VERSION_NAME
from .sources import (
    ConnectorFromURL,
    ConnectorMetadata,
    Source,
    VersionFromURL,
    VersionMetadata,
    read_request,
)
from .store import first_version_name, new_connector, result_body, store_contents
from .uploads import use_up


def answering_import_failures(handler):
    """An `ImportFailure`, wherever raised, is the contract's 400 ImportHTTPConnectorError."""

    @functools.wraps(handler)
    def wrapped(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except ImportFailure as failure:
            body = failure.to_dict()
            raise ApiError(400, body.pop("code"), body.pop("message"), extra=body) from None

    return wrapped


def _import(source: Source):
    doc = parse_document(source.data, max_bytes=settings.OPENAPI_MAX_BYTES)
    return doc, import_document(doc, source_url=source.url)


@answering_import_failures
def import_connector(request, organisation_id: str):
    """ImportHTTPConnector: a new draft connector with one version holding the document's
    actions, triggers and definitions (see store.first_version_name for its name)."""
    _, pending = read_request(request, ConnectorMetadata, ConnectorFromURL)
    source = pending.load()
    doc, result = _import(source)
    messages = list(result.messages)
    name = first_version_name(doc, messages)
    with transaction.atomic():
        if source.upload is not None:
            use_up(source.upload)
        connector = new_connector(organisation_id, result, messages)
        version = ConnectorVersion.objects.create(connector=connector, name=name)
        contents = store_contents(version, result)
    return created(result_body(connector, version, contents, messages))


@answering_import_failures
def import_version(request, organisation_id: str, connector_id: str):
    """ImportHTTPConnectorVersion: a new draft version of the connector holding the document's
    actions, triggers and definitions. The connector's base URL and auth scheme configs are
    left as they are; messages report where the document differs from them."""
    connector = own_connector(organisation_id, connector_id)
    if connector.protocol != Connector.Protocol.HTTP:
        raise bad_request("Only HTTP connectors can import an OpenAPI document.")
    metadata, pending = read_request(request, VersionMetadata, VersionFromURL)
    name = metadata.version
    _check_version_name(connector, name)
    source = pending.load()
    _, result = _import(source)
    configs = [serialise_auth_scheme_config(c) for c in connector.auth_scheme_configs.all()]
    messages = result.messages + new_version_messages(
        result, base_url=connector.base_url, auth_scheme_configs=configs
    )
    with transaction.atomic():
        if source.upload is not None:
            use_up(source.upload)
        connector = own_connector(organisation_id, connector_id, lock=True)
        _check_version_name(connector, name)
        try:
            with transaction.atomic():
                version = ConnectorVersion.objects.create(connector=connector, name=name)
        except IntegrityError:  # created by a concurrent request since the check
            raise _taken(name) from None
        contents = store_contents(version, result)
    return created(result_body(connector, version, contents, messages))


def _check_version_name(connector: Connector, name: str) -> None:
    if name.lower() in RESERVED_VERSION_NAMES:
        raise field_error(
            "version", f"'{name}' is reserved: 'latest' and 'default' name other versions", 409
        )
    if not VERSION_NAME.match(name):
        raise field_error(
            "version",
            "use 1-64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit",
        )
    if connector.versions.filter(name=name).exists():
        raise _taken(name)


def _taken(name: str) -> ApiError:
    return field_error("version", f"the connector already has a version named '{name}'", 409)
