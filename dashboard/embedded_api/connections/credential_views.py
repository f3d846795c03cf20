"""The organisation's credentials (v1alpha1's /o/{org}/credentials operations).

UpdateCredential is how a credential is rotated: new data under the same id, so every
connection using it picks the new secret up. Responses never carry a secret.
"""

from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from ..errors import ApiError, bad_request, field_error
from ..http import check_unmodified, created, no_content, parse_body, query_flag
from ..models import AuthSchemeConfig, Connection, Credential
from ..pagination import paginate
from . import credential_data
from .credentials import new_credential, rotate
from .lookup import credential_of
from .schemas import CredentialCreate, CredentialUpdate
from .serialise import CREDENTIAL_RELATED, serialise_credential, serialise_credential_summary


def list_credentials(request: HttpRequest, organisation_id: str) -> dict:
    """Most recently updated first. Patchbay's filters (the contract has none yet) serve the
    rotation worklist: `type` (repeatable), `expiresBefore` (RFC 3339) and `hasErrors`."""
    queryset = _filtered(request, Credential.objects.filter(organisation_id=organisation_id))
    page = paginate(request, queryset.prefetch_related(*CREDENTIAL_RELATED))
    return {"credentials": [serialise_credential_summary(c) for c in page.items], **page.info()}


def create_credential(request: HttpRequest, organisation_id: str):
    body = parse_body(request, CredentialCreate)
    credential = new_credential(
        organisation_id, name=body.name, type=body.type, data=body.data, expires_at=body.expiresAt
    )
    return created(serialise_credential(credential, usages=True))


def get_credential(request: HttpRequest, organisation_id: str, credential_id: str) -> dict:
    return serialise_credential(_loaded(organisation_id, credential_id), usages=True)


def update_credential(request: HttpRequest, organisation_id: str, credential_id: str) -> dict:
    credential = credential_of(organisation_id, credential_id)
    check_unmodified(request, credential.updated_at)
    body = parse_body(request, CredentialUpdate)
    if body.id is not None and body.id != credential.id:
        raise field_error("id", "must be the id of the credential in the path")
    if body.type != credential.type:
        raise field_error("type", "cannot change; create a new credential of the new type")
    rotate(credential, name=body.name, data=body.data, expires_at=body.expiresAt)
    return serialise_credential(_loaded(organisation_id, credential_id), usages=True)


def delete_credential(request: HttpRequest, organisation_id: str, credential_id: str):
    """412 while a connection or an auth scheme config uses the credential; `force=true`
    removes it from the connections using it (an auth scheme config's is never forced)."""
    credential = credential_of(organisation_id, credential_id)
    force = query_flag(request, "force")
    configs = AuthSchemeConfig.objects.filter(config__grant__credentialId=credential.id)
    if configs.exists():
        raise ApiError(
            412,
            "credential_in_use",
            "The credential holds an OAuth 2.0 client secret of an auth scheme config; "
            "change or delete that config first.",
        )
    using = list(
        Connection.objects.filter(connection_credentials__credential=credential)
        .distinct()
        .order_by("name")
    )
    if using and not force:
        names = ", ".join(connection.name for connection in using)
        raise ApiError(
            412,
            "credential_in_use",
            f"The credential is used by the connections {names}; delete it with force=true "
            "to remove it from them.",
        )
    with transaction.atomic():
        credential.links.all().delete()
        Credential.objects.filter(pk=credential.pk).delete()
        for connection in using:
            connection.touch()
    return no_content()


def _loaded(organisation_id: str, credential_id: str) -> Credential:
    credential = credential_of(organisation_id, credential_id)
    prefetch_related_objects([credential], *CREDENTIAL_RELATED)
    return credential


def _filtered(request: HttpRequest, queryset):
    types = request.GET.getlist("type")
    unknown = [value for value in types if value not in credential_data.MODELS]
    if unknown:
        raise field_error("type", f"must be one of: {', '.join(credential_data.MODELS)}")
    if types:
        queryset = queryset.filter(type__in=types)
    if "expiresBefore" in request.GET:
        raw = request.GET["expiresBefore"]
        try:
            before = parse_datetime(raw)
        except ValueError:
            before = None
        if before is None or before.tzinfo is None:
            raise bad_request(
                "'expiresBefore' must be an RFC 3339 date-time with a time zone.",
                [{"field": "expiresBefore", "message": "must be an RFC 3339 date-time"}],
            )
        queryset = queryset.filter(expires_at__lt=before)
    if "hasErrors" in request.GET:
        with_errors = ~Q(errors=[])
        queryset = queryset.filter(
            with_errors if query_flag(request, "hasErrors") else ~with_errors
        )
    return queryset
