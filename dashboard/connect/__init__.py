"""The service layer: the dashboard's only way to talk to the Connect API."""

from .client import ConnectClient, Target, get_client, using
from .errors import (
    APIError,
    BadRequest,
    CircuitOpen,
    Conflict,
    ConnectError,
    ConnectTimeout,
    Forbidden,
    MalformedResponse,
    NotFound,
    PreconditionFailed,
    ServerError,
    TransportError,
    Unauthorised,
    Unreachable,
)
from .pagination import LARGEST_PAGE, Page

__all__ = [
    "APIError",
    "BadRequest",
    "CircuitOpen",
    "Conflict",
    "ConnectClient",
    "ConnectError",
    "ConnectTimeout",
    "Forbidden",
    "MalformedResponse",
    "NotFound",
    "LARGEST_PAGE",
    "Page",
    "PreconditionFailed",
    "ServerError",
    "Target",
    "TransportError",
    "Unauthorised",
    "Unreachable",
    "get_client",
    "using",
]
