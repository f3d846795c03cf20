"""The filters of ListConnectors and ListPublicConnectors, parsed once and applied once.

- `name`, `protocol`: case-insensitive substring match.
- `tags=key:value,key2`: every listed tag must match; a bare key (or `key:`) matches any
  value of that key, including a key set without values. Keys and values match exactly.
- `categories` (repeatable): a connector in any of the listed categories matches.
All given filters combine with AND.
"""

import json
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from ..errors import bad_request
from ..models import ConnectorCategory, ConnectorCount, ConnectorTag
from ..models.connectors import ALL, category_facet, tag_facet
from .catalogue import CATEGORIES

# Matches counted one by one stop here; past it PostgreSQL's estimate stands in (see `total`).
EXACT_COUNT_LIMIT = 1_000


@dataclass
class ConnectorFilter:
    name: str = ""
    protocol: str = ""
    tags: list[tuple[str, str | None]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: HttpRequest) -> "ConnectorFilter":
        """Read the filters from the query string; malformed ones are a 400 naming the field."""
        categories = [c for c in request.GET.getlist("categories") if c]
        if unknown := [c for c in categories if c not in CATEGORIES]:
            raise bad_request(
                "Unknown category.",
                [
                    {
                        "field": "categories",
                        "message": f"'{c}' is not a category; use one of: {', '.join(CATEGORIES)}",
                    }
                    for c in unknown
                ],
            )
        return cls(
            name=request.GET.get("name", "").strip(),
            protocol=request.GET.get("protocol", "").strip(),
            tags=_parse_tags(request.GET.get("tags", "")),
            categories=list(dict.fromkeys(categories)),
        )

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.name:
            queryset = queryset.filter(name__icontains=self.name)
        if self.protocol:
            queryset = queryset.filter(protocol__icontains=self.protocol)
        # One EXISTS per tag (not a join), so a connector never appears twice and each test
        # is an index probe on (connector, key, value).
        for key, value in self.tags:
            rows = ConnectorTag.objects.filter(connector=OuterRef("pk"), key=key)
            if value is not None:
                rows = rows.filter(value=value)
            queryset = queryset.filter(Exists(rows))
        if self.categories:
            rows = ConnectorCategory.objects.filter(
                connector=OuterRef("pk"), category__in=self.categories
            )
            queryset = queryset.filter(Exists(rows))
        return queryset

    def total(self, scope: str, matches: QuerySet) -> int:
        """totalCount of `matches` (this filter applied): from the counters when one answers
        this filter exactly (no filter, one tag, or one category); else the matches counted,
        exactly up to EXACT_COUNT_LIMIT. Past that, on PostgreSQL, the planner's estimate of
        them (never below the limit): counting all the rows a broad search matches ("name
        contains" what nearly every connector's name does) would make each of its pages as slow
        as a full scan, when the page itself is read in index order and stops after `first`.
        SQLite has no estimate and counts them all."""
        if not (self.name or self.protocol or len(self.tags) + len(self.categories) > 1):
            return self._counted(scope)
        matches = matches.order_by()
        counted = matches[: EXACT_COUNT_LIMIT + 1].count()
        if counted <= EXACT_COUNT_LIMIT:
            return counted
        if connections[matches.db].vendor != "postgresql":
            return matches.count()
        (plan,) = json.loads(matches.explain(format="json"))
        return max(counted, round(plan["Plan"]["Plan Rows"]))

    def _counted(self, scope: str) -> int:
        if self.tags:
            facet = tag_facet(*self.tags[0])
        elif self.categories:
            facet = category_facet(self.categories[0])
        else:
            facet = ALL
        counts = ConnectorCount.objects.filter(scope=scope, facet=facet).values_list("n", flat=True)
        return next(iter(counts), 0)


def _parse_tags(raw: str) -> list[tuple[str, str | None]]:
    terms = []
    for term in raw.split(","):
        if not term.strip():
            continue
        key, _, value = term.partition(":")
        key, value = key.strip(), value.strip()
        if not key:
            raise bad_request(
                "Each tag filter needs a key: use key:value or key, separated by commas.",
                [{"field": "tags", "message": f"'{term}' has no key"}],
            )
        terms.append((key, value or None))
    return list(dict.fromkeys(terms))
