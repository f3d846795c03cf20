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


class ProtocolNames(dict[str, str]):
    """Protocols' names by slug, from ListProtocols (`Google BigQuery` for `bigquery`); a slug
    it does not list stands for itself, so a page can always name a connector's protocol."""

    def __missing__(self, slug: str) -> str:
        return slug


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
