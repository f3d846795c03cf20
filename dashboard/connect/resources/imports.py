"""OpenAPI imports: a new connector, or a new version of one, from a document uploaded or
fetched by the API from a URL. Large documents may need a longer `timeout` than the default
deadline; an invalid one raises BadRequest whose `.messages` say what and where."""

import json
from typing import Any

from ..models import ImportHTTPConnectorResult
from ..paths import http_import_path
from ._base import Resource, target


class Imports(Resource):
    def create(
        self, file: bytes, filename: str, *, format: str = "openapi", timeout: float | None = None
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnector from an uploaded document (multipart `file` + `metadata`)."""
        return self._import(None, timeout, files=_upload(file, filename, {"format": format}))

    def create_from_url(
        self,
        schema_url: str,
        *,
        filetype: str = "",
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnector from a document the API downloads from `schema_url`."""
        return self._import(None, timeout, json=_from_url(schema_url, filetype, format))

    def create_version(
        self,
        connector_id: str,
        version: str,
        file: bytes,
        filename: str,
        *,
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnectorVersion: a new version of a connector from an uploaded document."""
        metadata = {"format": format, "version": version}
        return self._import(
            (connector_id, version), timeout, files=_upload(file, filename, metadata)
        )

    def create_version_from_url(
        self,
        connector_id: str,
        version: str,
        schema_url: str,
        *,
        filetype: str = "",
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnectorVersion from a document the API downloads from `schema_url`."""
        body = _from_url(schema_url, filetype, format) | {"version": version}
        return self._import((connector_id, version), timeout, json=body)

    def _import(
        self, into: tuple[str, str] | None, timeout: float | None, **body: Any
    ) -> ImportHTTPConnectorResult:
        """A new connector, or (`into` a connector id and version name) a new version."""
        if into is None:
            operation, what = "import_http_connector", target("connector")
            path = http_import_path(self._client.organisation_id)
        else:
            operation, what = "import_http_connector_version", target("version", name=into[1])
            path = http_import_path(self._client.organisation_id, into[0])
        return self._write(
            operation,
            what,
            "POST",
            path,
            timeout=timeout,
            parse=ImportHTTPConnectorResult.model_validate,
            **body,
        )


def _upload(
    file: bytes, filename: str, metadata: dict[str, str]
) -> dict[str, tuple[str | None, bytes | str, str]]:
    content_type = "application/json" if filename.lower().endswith(".json") else "application/yaml"
    return {
        "file": (filename, file, content_type),
        "metadata": (None, json.dumps(metadata), "application/json"),
    }


def _from_url(schema_url: str, filetype: str, format: str) -> dict[str, str]:
    body = {"schemaURL": schema_url, "format": format}
    return body | ({"filetype": filetype} if filetype else {})
