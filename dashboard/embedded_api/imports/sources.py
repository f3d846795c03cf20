"""Reading an import request: the document and its metadata, uploaded or named by URL.

- `multipart/form-data`: a `file` part (the document) and a `metadata` part, JSON
  ImportHTTPConnectorMetadata `{"format": "openapi"}` (plus `"version"` for a new version).
  A body larger than OPENAPI_MAX_BYTES (plus room for the metadata) is refused from its
  `Content-Length`, before it is read.
- `application/json`: HTTPConnectorFromURLCreate `{"schemaURL", "filetype", "format"}` (plus
  `"version"`). The document is downloaded with `fetch_document`: public addresses only
  (loopback too when OUTBOUND_ALLOW_LOOPBACK), within OPENAPI_FETCH_TIMEOUT seconds and
  OPENAPI_MAX_BYTES. Our own upload URLs are never fetched: they are read from the database
  (see `uploads`). `filetype` (`json` or `yaml`) is checked but only a hint: the importer
  tells JSON from YAML by the content.
"""

import json
from dataclasses import dataclass
from typing import Annotated, Literal

import pydantic
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from pydantic import BaseModel, ConfigDict, StringConstraints

from ...openapi import ImportFailure, fetch_document
from ..errors import ApiError, bad_request
from ..http import validation_error
from ..models import Upload
from .uploads import own_upload

# Room for the metadata part and multipart boundaries beside a document of the largest size.
MULTIPART_OVERHEAD = 64 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class ConnectorMetadata(_Strict):
    """ImportHTTPConnectorMetadata."""

    format: Literal["openapi"]


class VersionMetadata(ConnectorMetadata):
    """ImportHTTPConnectorVersionMetadata."""

    version: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ConnectorFromURL(ConnectorMetadata):
    """HTTPConnectorFromURLCreate."""

    schemaURL: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    filetype: Literal["json", "yaml", ""] = ""


class VersionFromURL(ConnectorFromURL):
    """HTTPConnectorVersionFromURLCreate."""

    version: Annotated[str, StringConstraints(min_length=1, max_length=200)]


@dataclass
class Source:
    """The document to import and where it came from."""

    data: bytes
    url: str | None = None  # downloaded from here (relative server URLs resolve against it)
    upload: Upload | None = None  # one of our uploads, to use up when the import succeeds


def read_request(
    request: HttpRequest, multipart: type[ConnectorMetadata], from_url: type[ConnectorFromURL]
) -> tuple[ConnectorMetadata, "Pending"]:
    """The request's metadata, and how to get its document (`Pending.load()`), so that cheap
    checks on the metadata (a version name) come before any download or parsing."""
    if request.content_type == "multipart/form-data":
        return _multipart(request, multipart)
    if request.content_type == "application/json":
        body = _validated(from_url, _json(request.body, "body"), prefix="")
        return body, Pending(request.organisation_id, url=body.schemaURL)
    raise ApiError(
        415,
        "unsupported_media_type",
        "Send the document as multipart/form-data (file and metadata), or its URL as "
        "application/json (schemaURL, filetype, format).",
    )


@dataclass
class Pending:
    """A document not read yet: an uploaded file part, or a URL."""

    organisation_id: str
    data: bytes | None = None
    url: str | None = None

    def load(self) -> Source:
        if self.data is not None:
            return Source(self.data)
        upload = own_upload(self.url, self.organisation_id)
        if upload is not None:
            return Source(bytes(upload.content), upload=upload)
        data = fetch_document(
            self.url,
            max_bytes=settings.OPENAPI_MAX_BYTES,
            timeout=settings.OPENAPI_FETCH_TIMEOUT,
            allow_loopback=settings.OUTBOUND_ALLOW_LOOPBACK,
        )
        return Source(data, url=self.url)


def _multipart(request: HttpRequest, model: type[ConnectorMetadata]):
    limit = settings.OPENAPI_MAX_BYTES
    length = request.META.get("CONTENT_LENGTH", "")
    if length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)
    try:
        raw_metadata = request.POST.get("metadata")
        files = request.FILES
    except (MultiPartParserError, SuspiciousOperation) as error:
        raise bad_request(f"The multipart body could not be read: {error}") from None
    if raw_metadata is None and "metadata" in files:  # sent as a file part
        raw_metadata = files["metadata"].read()
    if raw_metadata is None:
        raise _missing("metadata", 'a JSON part such as {"format": "openapi"}')
    metadata = _validated(model, _json(raw_metadata, "metadata"), prefix="metadata.")
    upload = files.get("file")
    if upload is None:
        raise _missing("file", "the OpenAPI document")
    if upload.size > limit:
        raise _too_large(limit)
    return metadata, Pending(request.organisation_id, data=upload.read())


def _json(raw: bytes | str, where: str):
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise bad_request(
            f"The {where} is not valid JSON.", [{"field": where, "message": "not valid JSON"}]
        ) from None


def _validated(model, data, prefix: str):
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        fields = validation_error(error).fields
        if prefix:  # a multipart part: name the part, not the whole body
            for item in fields:
                body = item["field"] == "body"
                item["field"] = prefix.rstrip(".") if body else prefix + item["field"]
        raise bad_request("The request is not valid.", fields) from None


def _missing(part: str, what: str) -> ApiError:
    return bad_request(
        f"The '{part}' part is missing: send {what}.", [{"field": part, "message": "required"}]
    )


def _too_large(limit: int) -> ImportFailure:
    return ImportFailure(
        "too_large", f"The document is larger than the limit of {limit / 2**20:.1f} MB."
    )
