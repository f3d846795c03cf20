"""Keyset (cursor) pagination for every list endpoint, written once.

Ordering defaults to most recently updated first, with the id as a stable tiebreak; `sort`
(`name:asc,updatedAt:desc`) picks other columns from a per-endpoint allow-list. A cursor is
the opaque, base64-encoded sort key of a row, so pages stay stable while rows are inserted:
`after` continues past that row, `before` returns the page that ends just before it.
`first` defaults to 20 and is capped at MAX_FIRST.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from .errors import bad_request

DEFAULT_FIRST = 20
MAX_FIRST = 100
DEFAULT_SORT = "updatedAt:desc"


@dataclass
class Page:
    items: list
    total_count: int
    next: str | None
    prev: str | None

    def info(self) -> dict:
        """The contract's PageInfo fields; absent cursors are omitted."""
        info: dict = {"totalCount": self.total_count}
        if self.next:
            info["next"] = self.next
        if self.prev:
            info["prev"] = self.prev
        return info


def paginate(
    request,
    queryset: QuerySet,
    *,
    sortable: dict[str, str] | None = None,
    default_sort: str = DEFAULT_SORT,
    total: int | None = None,
) -> Page:
    """Page through `queryset` as the request's `first`, `after`, `before` and `sort` say.

    `sortable` maps contract field names to model fields; `updatedAt`, `createdAt`, `name`
    and `id` are allowed by default. `total` is the row count when the caller keeps one
    (counting is linear in the rows matched); otherwise the queryset is counted.
    """
    sortable = sortable or {
        "updatedAt": "updated_at",
        "createdAt": "created_at",
        "name": "name",
        "id": "id",
    }
    first = _first(request.GET.get("first"))
    after, before = request.GET.get("after"), request.GET.get("before")
    if after and before:
        raise bad_request("Use either 'after' or 'before', not both.")
    order = _order(request.GET.get("sort") or default_sort, sortable)
    model = queryset.model
    if total is None:
        total = queryset.count()

    if before:
        reverse = [(name, not desc) for name, desc in order]
        rows = list(
            _ordered(queryset.filter(_beyond(reverse, _decode(before, order, model))), reverse)[
                : first + 1
            ]
        )
        has_more_before = len(rows) > first
        rows = rows[:first][::-1]
        prev = _encode(rows[0], order) if rows and has_more_before else None
        next_ = _encode(rows[-1], order) if rows else None
        return Page(rows, total, next_, prev)

    scoped = queryset
    if after:
        scoped = queryset.filter(_beyond(order, _decode(after, order, model)))
    rows = list(_ordered(scoped, order)[: first + 1])
    has_more_after = len(rows) > first
    rows = rows[:first]
    next_ = _encode(rows[-1], order) if rows and has_more_after else None
    prev = None
    if after and rows:
        reverse = [(name, not desc) for name, desc in order]
        if queryset.filter(_beyond(reverse, _values(rows[0], order))).exists():
            prev = _encode(rows[0], order)
    return Page(rows, total, next_, prev)


def _first(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_FIRST
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise bad_request(
            "'first' must be a positive integer.",
            [{"field": "first", "message": "must be a positive integer"}],
        )
    return min(value, MAX_FIRST)


def _order(raw: str, sortable: dict[str, str]) -> list[tuple[str, bool]]:
    order: list[tuple[str, bool]] = []
    for part in raw.split(","):
        name, _, direction = part.partition(":")
        direction = direction.lower() or "asc"
        if name not in sortable or direction not in {"asc", "desc"}:
            allowed = ", ".join(sorted(sortable))
            raise bad_request(
                f"Cannot sort by '{part}'. Use column:asc or column:desc with one of: {allowed}.",
                [{"field": "sort", "message": f"unknown sort '{part}'"}],
            )
        if sortable[name] not in {field for field, _ in order}:
            order.append((sortable[name], direction == "desc"))
    if "id" not in {field for field, _ in order}:
        order.append(("id", order[-1][1]))
    return order


def _ordered(queryset: QuerySet, order) -> QuerySet:
    return queryset.order_by(*[f"-{name}" if desc else name for name, desc in order])


def _beyond(order, values) -> Q:
    """Rows strictly after `values` in `order` (a lexicographic comparison, as a Q)."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, desc), value in zip(order, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
        equal &= Q(**{name: value})
    return condition


def _values(row: Model, order) -> list:
    return [getattr(row, name) for name, _ in order]


def _encode(row: Model, order) -> str:
    raw = [
        value.isoformat() if hasattr(value, "isoformat") else value for value in _values(row, order)
    ]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def _decode(cursor: str, order, model: type[Model]) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(order):
            raise ValueError
        if any(isinstance(value, str) and "\x00" in value for value in raw):
            raise ValueError  # PostgreSQL refuses NUL in text: a forged cursor, not a 500.
        return [
            model._meta.get_field(name).to_python(value)
            for (name, _), value in zip(order, raw, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError):
        raise bad_request(
            "The cursor is not valid for this list; start again from the first page.",
            [{"field": "after/before", "message": "invalid cursor"}],
        ) from None
