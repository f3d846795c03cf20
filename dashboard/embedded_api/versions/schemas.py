"""Request bodies of the versions area, as the contract shapes them.

Unknown fields are ignored (clients send back what they read, including read-only fields
such as `errors`); read-only fields that must not change are checked by the views.
"""

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

RESERVED_VERSION_NAMES = frozenset({"latest", "default"})
# Version names go into URLs (API paths and schema URLs), so they are kept URL-safe:
# SemVer (1.2.0-rc.1+build), CalVer (2025.01) and plain numbers all fit.
VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")

ActionName = Annotated[
    str, StringConstraints(pattern=r"^[a-zA-Z0-9_\-$]+$", min_length=1, max_length=200)
]
DefinitionName = Annotated[
    str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]+$", min_length=1, max_length=200)
]
HTTPMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"]
ParameterType = Literal["string", "number", "integer", "boolean"]


class _Body(BaseModel):
    # Text is checked once, where the body comes in: `http.json_body` for requests,
    # `contents.create_version_contents` for other sources (not here, at every nesting level).
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# --- versions ------------------------------------------------------------------------------


class VersionCreate(_Body):
    name: str
    fromVersion: str | None = None


class VersionUpdate(_Body):
    """The contract sends a whole ConnectorVersion; only `name`, `description` and
    `isDefault` may change."""

    id: str
    name: str
    description: str | None = None
    isDefault: bool | None = None
    isLatest: bool | None = None
    createdAt: datetime | None = None
    publishedAt: datetime | None = None


# --- definitions ---------------------------------------------------------------------------


class InlineSchema(_Body):
    contentType: str = Field(min_length=1, max_length=200)
    content: str


class DefinitionCreate(_Body):
    name: DefinitionName
    accept: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]]
    description: str = ""
    schema_: InlineSchema = Field(alias="schema")


class DefinitionsCreate(_Body):
    definitions: list[DefinitionCreate] = Field(min_length=1)


class DefinitionUpdate(_Body):
    id: str
    name: DefinitionName
    accept: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]]
    description: str | None = None
    schema_: InlineSchema | None = Field(default=None, alias="schema")


class DefinitionsDelete(_Body):
    ids: list[str] | None = None
    names: list[str] | None = None
    all: bool | None = None

    @model_validator(mode="after")
    def _one_selection(self):
        if self.all and (self.ids or self.names):
            raise ValueError("'all' cannot be combined with 'ids' or 'names'")
        if not self.all and not (self.ids or self.names):
            raise ValueError("give 'ids', 'names' or 'all': true")
        return self


# --- actions and triggers ------------------------------------------------------------------


class DefinitionRef(_Body):
    """A Definition by `id` or `name` (DefinitionRef); a whole Definition object, as an
    update sends back, also fits: its `id` wins."""

    id: str | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _id_or_name(self):
        if not self.id and not self.name:
            raise ValueError("reference the definition by 'id' or 'name'")
        return self


class DefinitionLink(_Body):
    id: str | None = None
    definition: DefinitionRef


class RequestBody(_Body):
    required: bool
    definitions: list[DefinitionLink] = []


class Response(_Body):
    id: str | None = None
    status: int | None = Field(default=None, ge=100, le=599)
    definitions: list[DefinitionLink] = []


class Completion(_Body):
    model_config = ConfigDict(extra="forbid")


class _Parameter(_Body):
    name: str = Field(min_length=1, max_length=200)
    required: bool
    type: ParameterType
    # Any JSON value; absent and null differ (absent: not sent unless given).
    default: object = None


class ActionParameter(_Parameter):
    in_: Literal["cookie", "header", "path", "query"] = Field(alias="in")
    completion: Completion | None = None


class TriggerParameter(_Parameter):
    in_: Literal["cookie", "header", "query"] = Field(alias="in")


class _Endpoint(_Body):
    id: str | None = None
    type: Literal["http"]
    summary: str = ""
    description: str = ""
    method: HTTPMethod
    requestBody: RequestBody | None = None
    responses: list[Response]


class ActionBody(_Endpoint):
    """ActionCreate, or the Action an update sends (its `id` must match the path's)."""

    name: ActionName
    path: str = Field(max_length=2000)
    parameters: list[ActionParameter]


class TriggerBody(_Endpoint):
    """TriggerCreate, or the Trigger an update sends."""

    name: ActionName
    parameters: list[TriggerParameter]
