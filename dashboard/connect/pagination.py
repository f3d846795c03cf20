"""Cursor pages: the contract's `PageInfo` (`totalCount`, `next`, `prev`) plus the items.

Every list operation returns a `Page`. It remembers how it was fetched, so `next_page()` and
`prev_page()` keep the same filters and page size, and `iter_all()` walks every page.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")
# The most items the Connect API returns a page (`first`): listing everything in fewest calls.
LARGEST_PAGE = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    total_count: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
    # Fetches the page at a cursor: called with {"after": ...} or {"before": ...}.
    _fetch: Callable[[dict[str, str]], "Page[T]"] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_prev(self) -> bool:
        return bool(self.prev_cursor)

    def next_page(self) -> "Page[T]":
        if not self.has_next or self._fetch is None:
            raise LookupError("There is no next page.")
        return self._fetch({"after": self.next_cursor or ""})

    def prev_page(self) -> "Page[T]":
        if not self.has_prev or self._fetch is None:
            raise LookupError("There is no previous page.")
        return self._fetch({"before": self.prev_cursor or ""})

    def iter_all(self) -> Iterator[T]:
        """Every item from this page onwards, fetching further pages as needed."""
        page = self
        yield from page.items
        while page.has_next:
            page = page.next_page()
            yield from page.items

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def parse_page(
    data: Any,
    items_key: str,
    adapter: TypeAdapter[list[T]],
    fetch: Callable[[dict[str, str]], Page[T]] | None = None,
) -> Page[T]:
    """Build a Page from a contract page body; raises pydantic.ValidationError or KeyError/
    TypeError on a body of the wrong shape (the client turns both into MalformedResponse)."""
    if not isinstance(data, dict):
        raise TypeError("A page must be a JSON object.")
    return Page(
        items=adapter.validate_python(data[items_key]),
        total_count=_count(data["totalCount"]),
        next_cursor=data.get("next") or None,
        prev_cursor=data.get("prev") or None,
        _fetch=fetch,
    )


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("totalCount must be an integer.")
    return value
