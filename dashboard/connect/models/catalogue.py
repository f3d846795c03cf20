"""Protocols, their auth scheme types, and what an OpenAPI import made."""

from pydantic import Field

from ._base import ApiModel, Message
from .connectors import Connector
from .items import Action, Definition, Trigger


class Protocol(ApiModel):
    id: str
    slug: str
    name: str
    description: str = ""
    icon_url: str = Field("", alias="iconURL")


class AuthScheme(ApiModel):
    id: str
    type: str
    name: str
    description: str = ""


class ImportHTTPConnectorResult(ApiModel):
    """What an OpenAPI import created, and the importer's messages."""

    connector: Connector
    definitions: list[Definition] = []
    actions: list[Action] = []
    triggers: list[Trigger] = []
    messages: list[Message] = []
