"""The Connect API's refusals in the words of the screen that shows them.

The API speaks to programs: "delete it with force=true", field paths such as
`actions.listPets.path`. Pages say what a person can do there instead ("Force delete") and
name the thing ("action listPets: path").
"""

import re

_FORCE = re.compile(r"(?:delete (?:it )?)?with force=true|force=true", re.IGNORECASE)
_ITEM_FIELD = re.compile(r"^(actions|triggers|definitions)\.([^.\[]+)[.]?(.*)$")
_SINGULAR = {"actions": "action", "triggers": "trigger", "definitions": "definition"}


def in_screen_words(message: str) -> str:
    """`message` with the API's request options replaced by the page's button."""
    return _FORCE.sub("use “Force delete”", message)


def field_words(field: str) -> str:
    """An API field path as a person names it: `actions.listPets.path` -> `action listPets:
    path`; other paths as they are."""
    match = _ITEM_FIELD.match(field)
    if match is None:
        return field
    kind, name, rest = match.groups()
    named = f"{_SINGULAR[kind]} {name}"
    return f"{named}: {rest}" if rest else named
