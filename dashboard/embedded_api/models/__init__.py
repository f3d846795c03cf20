from .connections import Connection, ConnectionCredential, ConnectionSubscription, Credential
from .connectors import (
    AuthSchemeConfig,
    Connector,
    ConnectorCategory,
    ConnectorCount,
    ConnectorTag,
)
from .keys import ApiKey
from .uploads import Upload
from .versions import Action, ConnectorVersion, Definition, Subscription, Trigger

__all__ = [
    "Action",
    "ApiKey",
    "AuthSchemeConfig",
    "Connection",
    "ConnectionCredential",
    "ConnectionSubscription",
    "Connector",
    "ConnectorCategory",
    "ConnectorCount",
    "ConnectorTag",
    "ConnectorVersion",
    "Credential",
    "Definition",
    "Subscription",
    "Trigger",
    "Upload",
]
