"""Connectors (one model per protocol) and their versions."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, Tag

from ._base import ApiModel, ConnectionVariable, Message, Tags, discriminated
from .auth_schemes import AuthSchemeConfig
from .connections import Connection


class ConnectorVersion(ApiModel):
    id: str
    name: str
    description: str = ""
    is_latest: bool = False
    is_default: bool = False
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    messages: list[Message] = []

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ConnectorVersionCreate(ApiModel):
    """A CreateConnectorVersion body: a draft, empty or copied from `from_version`."""

    name: str
    from_version: str | None = None


class ConnectorBase(ApiModel):
    """Fields every connector has, whatever its protocol."""

    id: str
    organisation_id: str
    name: str
    protocol: str
    public: bool = False
    documentation_url: str = Field("", alias="documentationURL")
    image_url: str = Field("", alias="imageURL")
    tags: Tags = {}
    # Not in the v1 Connector schema, but set by UpdateConnectorCategories and filtered on.
    categories: list[str] = []
    auth_scheme_configs: list[AuthSchemeConfig] = []
    connection_variables: list[ConnectionVariable] = []
    connections: list[Connection] = []
    versions: list[ConnectorVersion] = []
    created_at: datetime
    updated_at: datetime


class HTTPConnector(ConnectorBase):
    protocol: Literal["http"] = "http"
    base_url: str = ""


class BigQueryConnector(ConnectorBase):
    protocol: Literal["bigquery"] = "bigquery"
    dataset_id: str = ""


Connector = Annotated[
    Annotated[HTTPConnector, Tag("http")]
    | Annotated[BigQueryConnector, Tag("bigquery")]
    | Annotated[ConnectorBase, Tag("other")],
    discriminated("protocol", "protocol", {"http", "bigquery"}),
]


class HTTPConnectorCreate(ApiModel):
    name: str
    base_url: str
    connection_variables: list[ConnectionVariable] = []
    auth_scheme_configs: list[AuthSchemeConfig] = []
    tags: Tags = {}
    public: bool = False


class HTTPConnectorUpdate(ApiModel):
    """The UpdateConnector body for an HTTP connector. Fields left out are unset by the API;
    `auth_scheme_config_ids` (a reordering) and `connection_variables` are left alone when None.
    """

    id: str
    organisation_id: str
    name: str
    protocol: Literal["http"] = "http"
    base_url: str
    tags: Tags | None = None
    public: bool = False
    documentation_url: str = Field("", alias="documentationURL")
    image_url: str = Field("", alias="imageURL")
    auth_scheme_config_ids: list[str] | None = None
    connection_variables: list[ConnectionVariable] | None = None
