"""GetProtocolUploadURL, the upload URL it hands out, and finding an upload by that URL.

The contract's flow: get a URL, PUT the document to its `uploadUrl`, then import by URL with
its `url`. Here both are the same address, `{EMBEDDED_API_PUBLIC_URL}/uploads/<token>`:

- the URL is valid for 5 minutes and takes one PUT, without an API key (like a signed
  storage URL: the token in it is the credential). If `content_type` / `content_length` were
  given when asking for the URL, the PUT must send the same `Content-Type` / `Content-Length`;
  anything over OPENAPI_MAX_BYTES is refused. The upload may then be imported within 5
  minutes of the PUT;
- importing by that URL never fetches it: the import recognises its own upload URLs and
  reads the document from the database, for the organisation that asked for the URL only.
  A successful import uses the upload up (in the import's transaction, so a failed import
  leaves it usable until it expires).
"""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ...openapi import ImportFailure
from ..connectors.catalogue import protocol
from ..errors import ApiError, bad_request, field_error
from ..models import Upload
from ..models.uploads import hash_token

VALID_FOR = timedelta(minutes=5)
IMPORTABLE_PROTOCOLS = ("http",)
PATH = "uploads/"


def upload_url(token: str) -> str:
    return f"{settings.EMBEDDED_API_PUBLIC_URL.rstrip('/')}/{PATH}{token}"


def get_upload_url(request: HttpRequest, organisation_id: str, protocol_slug: str) -> dict:
    """GetProtocolUploadURL: a one-time URL to PUT a document to, then import it by."""
    if protocol(protocol_slug).slug not in IMPORTABLE_PROTOCOLS:
        raise field_error("protocol_slug", f"{protocol_slug} connectors cannot be imported")
    content_length = _announced_length(request.GET.get("content_length"))
    content_type = request.GET.get("content_type", "").strip()
    if len(content_type) > 200:
        raise field_error("content_type", "must be at most 200 characters")
    now = timezone.now()
    Upload.objects.filter(expires_at__lt=now).delete()  # expired ones: nothing can use them
    token = secrets.token_urlsafe(32)
    Upload.objects.create(
        organisation_id=organisation_id,
        protocol=protocol_slug,
        token_hash=hash_token(token),
        expires_at=now + VALID_FOR,
        content_type=content_type,
        content_length=content_length,
    )
    url = upload_url(token)
    return {"uploadUrl": url, "url": url}


def _announced_length(raw: str | None) -> int | None:
    if raw is None:
        return None
    limit = settings.OPENAPI_MAX_BYTES
    if not raw.isdigit() or not 0 < int(raw) <= limit:
        raise field_error("content_length", f"must be a number of bytes from 1 to {limit}")
    return int(raw)


@csrf_exempt  # A signed URL: the token authenticates the PUT, there is no session to protect.
@login_not_required
def receive_upload(request: HttpRequest, token: str) -> HttpResponse:
    """PUT the document to an upload URL: 200 with no body, or the contract's error JSON."""
    try:
        if request.method != "PUT":
            raise ApiError(405, "method_not_allowed", "Upload the document with PUT.")
        upload = _pending(token)
        _store(request, upload)
    except ApiError as error:
        return error.response()
    return HttpResponse(status=200)


def _pending(token: str) -> Upload:
    upload = Upload.objects.filter(
        token_hash=hash_token(token), expires_at__gte=timezone.now()
    ).first()
    if upload is None:
        raise ApiError(404, "not_found", "The upload URL is unknown or has expired.")
    if upload.uploaded_at is not None:
        raise ApiError(409, "conflict", "A document was already uploaded to this URL.")
    return upload


def _store(request: HttpRequest, upload: Upload) -> None:
    raw_length = request.META.get("CONTENT_LENGTH", "")
    if not raw_length.isdigit():
        raise ApiError(411, "length_required", "Send the document with a Content-Length.")
    length, limit = int(raw_length), settings.OPENAPI_MAX_BYTES
    if length > limit:
        raise ApiError(413, "too_large", f"The document is larger than the limit of {limit} bytes.")
    if length == 0:
        raise bad_request("The upload is empty.")
    if upload.content_length is not None and length != upload.content_length:
        raise bad_request(
            f"Content-Length must be {upload.content_length}, as announced for this URL."
        )
    if upload.content_type and request.content_type != upload.content_type:
        raise bad_request(f"Content-Type must be {upload.content_type}, as announced for this URL.")
    # Read the stream itself: `request.body` caps at DATA_UPLOAD_MAX_MEMORY_SIZE.
    content = request.read(length)
    if len(content) != length:
        raise bad_request("The upload ended before Content-Length bytes arrived.")
    now = timezone.now()
    stored = Upload.objects.filter(pk=upload.pk, uploaded_at__isnull=True).update(
        content=content, uploaded_at=now, expires_at=now + VALID_FOR
    )
    if not stored:  # another PUT to the same URL got there first
        raise ApiError(409, "conflict", "A document was already uploaded to this URL.")


def own_upload(url: str, organisation_id: str) -> Upload | None:
    """The upload an import-by-URL names, if `url` is one of our upload URLs (else None).

    Raises `ImportFailure` for one of ours that cannot be imported: unknown, expired, used,
    not uploaded yet, or asked for by another organisation (indistinguishable to the caller).
    """
    token = _token_of(url)
    if token is None:
        return None
    upload = Upload.objects.filter(
        token_hash=hash_token(token),
        organisation_id=organisation_id,
        expires_at__gte=timezone.now(),
        uploaded_at__isnull=False,
    ).first()
    if upload is None:
        raise ImportFailure(
            "upload_not_found",
            "The upload URL is unknown, has expired, was already imported, or has no "
            "document yet (PUT the document to it first).",
        )
    return upload


def _token_of(url: str) -> str | None:
    prefix = urlsplit(upload_url(""))
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    same_origin = (parts.scheme.lower(), parts.netloc.lower()) == (
        prefix.scheme.lower(),
        prefix.netloc.lower(),
    )
    if not same_origin or not parts.path.startswith(prefix.path):
        return None
    token = parts.path[len(prefix.path) :]
    return token if token and "/" not in token else None


def use_up(upload: Upload) -> None:
    """Inside the import's transaction: delete the upload, or fail if another import did."""
    deleted, _ = Upload.objects.filter(pk=upload.pk).delete()
    if not deleted:
        raise ImportFailure("upload_not_found", "The upload was imported by another request.")
