"""What a version holds: definitions, actions and triggers."""

from typing import Any, Literal

from pydantic import Field

from ._base import ApiModel


class DefinitionReference(ApiModel):
    type: str  # definition | action | trigger
    id: str
    name: str


class Definition(ApiModel):
    id: str
    name: str
    accept: list[str] = []
    description: str = ""
    url: str = ""
    referenced_by: list[DefinitionReference] = []


class InlineSchema(ApiModel):
    content_type: str = "application/schema+json"
    content: str


class DefinitionCreate(ApiModel):
    """One definition of a CreateDefinitions body; `$ref: "#/$defs/<name>"` may point at
    another definition of the same request."""

    name: str
    accept: list[str] = ["application/json"]
    description: str = ""
    schema_: InlineSchema = Field(alias="schema")


class DefinitionUpdate(ApiModel):
    id: str
    name: str
    accept: list[str] = ["application/json"]
    description: str = ""
    schema_: InlineSchema | None = Field(None, alias="schema")


class ItemError(ApiModel):
    """An ActionError/TriggerError: a problem found when validating the item."""

    field: str = ""
    message: str
    severity: str = "error"  # error | warning


class HTTPParameter(ApiModel):
    name: str
    in_: str = Field(alias="in")  # cookie | header | path (actions only) | query
    required: bool = False
    type: str = "string"  # string | number | integer | boolean
    default: Any = None


class DefinitionLink(ApiModel):
    """An ActionDefinition/TriggerDefinition: a definition used by a body or response."""

    id: str
    definition: Definition


class HTTPRequestBody(ApiModel):
    required: bool = False
    definitions: list[DefinitionLink] = []


class HTTPResponse(ApiModel):
    id: str
    status: int | None = None  # None: the default response
    definitions: list[DefinitionLink] = []


class _HTTPItem(ApiModel):
    """What an HTTP action and an HTTP trigger share."""

    id: str
    type: str = "http"
    name: str
    summary: str = ""
    description: str = ""
    errors: list[ItemError] | None = None  # None: not validated yet
    method: str = ""
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBody | None = None
    responses: list[HTTPResponse] = []


class Action(_HTTPItem):
    """An HTTP action (the only action type the contract defines)."""

    path: str = ""


class Trigger(_HTTPItem):
    """An HTTP trigger (a webhook the platform receives)."""


class DefinitionRef(ApiModel):
    """A reference to an existing definition by id or by name (set one)."""

    id: str | None = None
    name: str | None = None


class DefinitionLinkCreate(ApiModel):
    definition: DefinitionRef


class HTTPRequestBodyCreate(ApiModel):
    required: bool = False
    definitions: list[DefinitionLinkCreate] = []


class HTTPResponseCreate(ApiModel):
    status: int | None = None
    definitions: list[DefinitionLinkCreate] = []


class _HTTPItemCreate(ApiModel):
    type: Literal["http"] = "http"
    name: str
    summary: str = ""
    description: str = ""
    method: str
    parameters: list[HTTPParameter] = []
    request_body: HTTPRequestBodyCreate | None = None
    responses: list[HTTPResponseCreate] = []


class ActionCreate(_HTTPItemCreate):
    path: str


class TriggerCreate(_HTTPItemCreate):
    pass
