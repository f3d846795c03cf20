"""What every model shares: camelCase on the wire, tolerant reading, secrets kept hidden."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, PlainSerializer, SecretStr
from pydantic.alias_generators import to_camel

Secret = Annotated[
    SecretStr, PlainSerializer(lambda value: value.get_secret_value(), when_used="json")
]


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )

    def to_api(self, *, exclude_none: bool = True) -> dict[str, Any]:
        """The JSON body for a request: camelCase keys, secrets revealed, None left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=exclude_none)


def discriminated(field: str, attr: str, known: set[str]) -> Discriminator:
    """Pick a union member by `field`; values the contract does not list fall back to the
    member tagged "other", so a newer server does not break reading."""

    def tag(value: Any) -> str:
        if isinstance(value, dict):
            found = value.get(field, value.get(attr))
        else:
            found = getattr(value, attr, None)
        return found if found in known else "other"

    return Discriminator(tag)


class Message(ApiModel):
    """A message about the preceding request, e.g. an import warning with its location."""

    text: str
    severity: str = "info"  # info | warning | error
    detail: list[str] = []


class ConnectionVariable(ApiModel):
    name: str
    value: str = ""


Tags = dict[str, list[str]]
