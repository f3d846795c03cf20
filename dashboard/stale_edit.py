"""Answering a stale edit: a save refused because someone changed the resource after the form
was loaded (`PreconditionFailed`; the forms carry the `updatedAt` they were loaded with).

Nothing was saved. The page shows what is there now beside what was typed, and the form takes
the current `updatedAt`, so saving again (deliberately) replaces the current values.
"""

from datetime import datetime
from typing import Protocol

from django.http import QueryDict


class Versioned(Protocol):
    @property
    def updated_at(self) -> datetime | None: ...


def refreshed(posted: QueryDict, current: Versioned) -> QueryDict:
    """What was posted, carrying `current`'s `updatedAt` in place of the stale one."""
    data = posted.copy()
    data["updated_at"] = current.updated_at.isoformat() if current.updated_at else ""
    return data
