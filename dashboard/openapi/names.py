"""Names for definitions, actions and triggers: valid for `^[a-zA-Z0-9_-]+$`, unique, stable.

A name is made valid by dropping accents (`Café` -> `Cafe`), turning every run of other
characters into one `_` and trimming `_` from both ends (`Pet.Tag` -> `Pet_Tag`,
`get /pets/{id}` -> `get_pets_id`); nothing left gives `unnamed`. Collisions are resolved
in document order: the first keeps the name, later ones get `_2`, `_3`... (skipping any
suffix already taken), so importing the same document twice gives the same names.
Collisions ignore case (`Pet`, then `pet` -> `pet_2`), so names stay distinct wherever case
is not significant. Names are at most 200 characters, the contract's limit: a longer one is
cut (before its suffix, if it needs one).
"""

from __future__ import annotations

import re
import unicodedata

VALID_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")
MAX_LENGTH = 200
_INVALID_RUN = re.compile(r"[^a-zA-Z0-9_-]+")


def valid_name(raw: str) -> str:
    """`raw` with invalid characters replaced, as described above."""
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return _INVALID_RUN.sub("_", ascii_only).strip("_")[:MAX_LENGTH].rstrip("_") or "unnamed"


class NameAllocator:
    """Hands out unique valid names within one namespace (definitions, actions or triggers)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, raw: str) -> str:
        base = valid_name(raw)
        name, counter = base, 1
        while name.lower() in self._taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: MAX_LENGTH - len(suffix)] + suffix
        self._taken.add(name.lower())
        return name
