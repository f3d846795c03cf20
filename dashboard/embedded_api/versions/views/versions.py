"""ListConnectorVersions, CreateConnectorVersion, Get/Update/DeleteConnectorVersion,
PublishConnector and UnpublishConnector."""

from django.db import transaction
from django.utils import timezone

from ...errors import ApiError, bad_request, field_error
from ...http import check_unmodified, created, no_content, parse_body, query_flag
from ...models import ConnectorVersion
from ...pagination import paginate
from ..contents import copy_version_contents, unique_names
from ..lookup import connector_of, markers, readable_version, version_of
from ..schemas import RESERVED_VERSION_NAMES, VERSION_NAME, VersionCreate, VersionUpdate
from ..serialise import serialise_version
from ..validation import publish_problems

SORTABLE = {"updatedAt": "updated_at"}


def check_version_name(name: str) -> None:
    """Reserved and malformed names are a 400 on `name`."""
    if name.lower() in RESERVED_VERSION_NAMES:
        raise field_error(
            "name", f"'{name}' is reserved: 'latest' and 'default' name other versions"
        )
    if not VERSION_NAME.match(name):
        raise field_error(
            "name",
            "use 1-64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit",
        )


def _name_taken(connector, name: str, exclude_id: str | None = None) -> None:
    taken = connector.versions.filter(name=name).exclude(pk=exclude_id).exists()
    if taken:
        raise field_error("name", f"the connector already has a version named '{name}'", 409)


def list_versions(request, organisation_id: str, connector_id: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    page = paginate(request, connector.versions.all(), sortable=SORTABLE)
    marks = markers(connector.pk)
    for version in page.items:
        version.connector = connector
    return {"items": [serialise_version(version, marks) for version in page.items], **page.info()}


def create_version(request, organisation_id: str, connector_id: str):
    connector = connector_of(organisation_id, connector_id)
    body = parse_body(request, VersionCreate)
    check_version_name(body.name)
    with unique_names("version"), transaction.atomic():
        source = None
        if body.fromVersion is not None:
            try:
                source = version_of(connector, body.fromVersion)
            except ApiError:
                raise field_error("fromVersion", "the connector has no such version") from None
        _name_taken(connector, body.name)
        version = ConnectorVersion.objects.create(connector=connector, name=body.name)
        if source is not None:
            copy_version_contents(source, version)
        connector.touch(version.updated_at)
    return created(serialise_version(version))


def get_version(request, organisation_id: str, connector_id: str, version: str) -> dict:
    return serialise_version(readable_version(organisation_id, connector_id, version))


def update_version(request, organisation_id: str, connector_id: str, version: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    with unique_names("version"), transaction.atomic():
        found = version_of(connector, version, lock=True)
        check_unmodified(request, found.updated_at)
        body = parse_body(request, VersionUpdate)
        marks = markers(connector.pk)
        _check_read_only(found, body, marks)
        description = found.description if body.description is None else body.description
        changed = (body.name, description) != (found.name, found.description)
        if changed:
            if found.is_published:
                raise ApiError(
                    409,
                    "published_version_immutable",
                    "A published version cannot be renamed or edited; create a new version.",
                )
            if body.name != found.name:
                check_version_name(body.name)
                _name_taken(connector, body.name, exclude_id=found.pk)
            found.name, found.description = body.name, description
        if body.isDefault is not None and body.isDefault != (found.pk == marks.default_id):
            _set_default(found, body.isDefault)
            changed = True
        if changed:
            found.updated_at = timezone.now()
            found.save()
            connector.touch(found.updated_at)
    return serialise_version(found)


def _check_read_only(version: ConnectorVersion, body: VersionUpdate, marks) -> None:
    changed = []
    if body.id != version.pk:
        changed.append(("id", "is read-only"))
    if body.createdAt is not None and body.createdAt != version.created_at:
        changed.append(("createdAt", "is read-only"))
    if body.isLatest is not None and body.isLatest != (version.pk == marks.latest_id):
        changed.append(("isLatest", "is read-only: the latest version is the last one published"))
    if "publishedAt" in body.model_fields_set and body.publishedAt != version.published_at:
        changed.append(("publishedAt", "is read-only: use the publish and unpublish operations"))
    if changed:
        raise bad_request(
            "Read-only fields cannot be changed.",
            [{"field": name, "message": message} for name, message in changed],
        )


def _set_default(version: ConnectorVersion, make_default: bool) -> None:
    if not make_default:
        if not version.is_default:
            raise field_error(
                "isDefault",
                "this version is the default because it is the latest; "
                "to change that, make another published version the default",
            )
        version.is_default = False
        return
    if not version.is_published:
        raise field_error("isDefault", "only a published version can be the default")
    ConnectorVersion.objects.filter(connector_id=version.connector_id, is_default=True).exclude(
        pk=version.pk
    ).update(is_default=False)
    version.is_default = True


def delete_version(request, organisation_id: str, connector_id: str, version: str):
    connector = connector_of(organisation_id, connector_id)
    force = query_flag(request, "force")
    with transaction.atomic():
        found = version_of(connector, version, lock=True)
        if found.is_published and not force:
            raise ApiError(
                409,
                "version_published",
                f"Version '{found.name}' is published; unpublish it first, or delete it with "
                "force=true (integrations using it may break).",
            )
        found.delete()
        connector.touch()
    return no_content()


def publish_version(request, organisation_id: str, connector_id: str, version: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    with transaction.atomic():
        found = version_of(connector, version, lock=True)
        if found.is_published:
            raise ApiError(
                409, "version_already_published", f"Version '{found.name}' is already published."
            )
        problems = publish_problems(found)
        if problems:
            raise ApiError(
                400,
                "validation_failed",
                f"Version '{found.name}' has {len(problems)} problem(s) to fix before it can be "
                "published; each action's and trigger's `errors` list them too.",
                problems,
            )
        found.published_at = found.updated_at = timezone.now()
        found.save(update_fields=["published_at", "updated_at"])
        connector.touch(found.updated_at)
    return {"version": serialise_version(found)}


def unpublish_version(request, organisation_id: str, connector_id: str, version: str) -> dict:
    connector = connector_of(organisation_id, connector_id)
    with transaction.atomic():
        found = version_of(connector, version, lock=True)
        if not found.is_published:
            raise ApiError(
                409, "version_not_published", f"Version '{found.name}' is not published."
            )
        subscribers = sorted(set(found.subscriptions.values_list("subscriber", flat=True)))
        if subscribers:
            raise ApiError(
                409,
                "version_in_use",
                f"Version '{found.name}' is in use ({', '.join(subscribers)}) and cannot be "
                "unpublished until nothing subscribes to it.",
            )
        found.published_at, found.is_default = None, False
        found.updated_at = timezone.now()
        found.save(update_fields=["published_at", "is_default", "updated_at"])
        connector.touch(found.updated_at)
    return {"version": serialise_version(found)}
