"""One exception hierarchy for everything that can go wrong talking to the Connect API.

Views catch `ConnectError` and render its `message`; nothing above the service layer sees
httpx exceptions.
"""

from dataclasses import dataclass, field
from typing import Any

import pydantic

from .models import Message
from .wire import python_path


class ConnectError(Exception):
    """Base class: `message` is safe to show to a user (it never carries a secret).

    `request_id` is the X-Request-ID the failed call was sent with, for support to trace it.
    """

    message = "The Connect API could not be reached."
    request_id: str | None = None

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message

    def __str__(self) -> str:
        return self.message


class TransportError(ConnectError):
    """No usable HTTP response: the base of timeouts and unreachable servers."""


class ConnectTimeout(TransportError):
    message = "The Connect API did not answer in time."


class Unreachable(TransportError):
    message = "The Connect API could not be reached."


class CircuitOpen(TransportError):
    message = "The Connect API is failing repeatedly; requests are paused for a moment."

    def __init__(self, message: str | None = None, *, retry_in: float = 0.0):
        super().__init__(message)
        self.retry_in = retry_in


class MalformedResponse(ConnectError):
    message = "The Connect API sent a response Patchbay could not understand."


@dataclass
class FieldError:
    field: str  # the field's path in the request, in Python names (wire.python_path)
    message: str


@dataclass(eq=False)
class APIError(ConnectError):
    """An error status, usually with the contract's body `{code, message, fields}`."""

    status: int
    code: str
    message: str
    fields: list[FieldError] = field(default_factory=list)
    body: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        ConnectError.__init__(self, self.message)

    def __str__(self) -> str:
        return self.message

    def field_errors(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for item in self.fields:
            grouped.setdefault(item.field, []).append(item.message)
        return grouped

    @property
    def messages(self) -> list[Message]:
        """The contract's `messages` (e.g. an import's errors with their locations), if any."""
        items = (self.body or {}).get("messages")
        return [message for item in items or [] if (message := _message(item))]


class BadRequest(APIError):
    pass


class Unauthorised(APIError):
    pass


class Forbidden(APIError):
    pass


class NotFound(APIError):
    pass


class Conflict(APIError):
    pass


class PreconditionFailed(APIError):
    """412: the resource is in use, or changed since it was read."""


class ServerError(APIError):
    pass


def _message(item: object) -> Message | None:
    try:
        return Message.model_validate(item)
    except pydantic.ValidationError:
        return None


_BY_STATUS = {
    400: BadRequest,
    401: Unauthorised,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
}


def error_for_status(status: int, body: object) -> APIError:
    """Map an error response onto the hierarchy; tolerate bodies that are not the contract's."""
    data = body if isinstance(body, dict) else {}
    fields = [
        FieldError(python_path(str(item.get("field", ""))), str(item.get("message", "")))
        for item in data.get("fields") or []
        if isinstance(item, dict)
    ]
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    return cls(
        status=status,
        code=str(data.get("code") or f"http_{status}"),
        message=str(data.get("message") or f"The Connect API answered with status {status}."),
        fields=fields,
        body=data or None,
    )
