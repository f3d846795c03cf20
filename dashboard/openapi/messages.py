"""Messages about an import, and the failure raised when a document cannot be imported.

Both serialise to the contract's shapes: `Message` (text, severity, detail) and
`ImportHTTPConnectorError` (code, message, messages). A message about one place in the
document names it by JSON pointer (RFC 6901) as the first item of `detail`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warning", "error"]

# jsonschema-rs's wording for a value no alternative of anyOf/oneOf accepts, and its plain form.
_NO_ALTERNATIVE = re.compile(
    r"is not valid under any of the schemas listed in the '(?:anyOf|oneOf)' keyword"
)
_MANY_ALTERNATIVES = re.compile(
    r"is valid under more than one of the schemas listed in the 'oneOf' keyword"
)


@dataclass(frozen=True)
class Message:
    """One message for the user; `detail` holds JSON pointers into the document."""

    text: str
    severity: Severity
    detail: tuple[str, ...] = ()

    @classmethod
    def info(cls, text: str, *pointers: str) -> Message:
        return cls(text, "info", pointers)

    @classmethod
    def warning(cls, text: str, *pointers: str) -> Message:
        return cls(text, "warning", pointers)

    @classmethod
    def error(cls, text: str, *pointers: str) -> Message:
        return cls(text, "error", pointers)

    def to_dict(self) -> dict[str, Any]:
        """The contract's `Message` JSON."""
        body: dict[str, Any] = {"text": self.text, "severity": self.severity}
        if self.detail:
            body["detail"] = list(self.detail)
        return body


@dataclass
class ImportFailure(Exception):
    """The document cannot be imported; nothing should be created.

    `code` is machine-readable (see docs/openapi-import.md for the list), `message` says what
    is wrong in one sentence and `messages` give the particulars, each with its pointer.
    """

    code: str
    message: str
    messages: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """The contract's `ImportHTTPConnectorError` JSON."""
        return {
            "code": self.code,
            "message": self.message,
            "messages": [m.to_dict() for m in self.messages],
        }


def pointer(*parts: str | int) -> str:
    """JSON pointer (RFC 6901) for a path of keys and indexes: ('paths', '/a') -> /paths/~1a."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def readable(where: str) -> str:
    """A JSON pointer as a person reads it: `/paths/~1pets/get` -> `paths › /pets › get`."""
    if not where.startswith("/"):
        return where
    parts = [part.replace("~1", "/").replace("~0", "~") for part in where.split("/")[1:]]
    return " › ".join(parts)


def plain(text: str) -> str:
    """A JSON Schema validator's message without its keywords ('anyOf')."""
    text = _NO_ALTERNATIVE.sub("is not one of the values allowed here", text)
    return _MANY_ALTERNATIVES.sub("fits more than one of the forms allowed here", text)
