"""A page of connectors with everything around it built from the validated filters: the rows,
"21–40 of 1,234", first/previous/next/last links, sortable column headers and the tag chips'
links. Like the Django admin's
ChangeList, every link is made here from the current query, so templates only print them.

Used by the connectors page and the library, which list through different operations.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dashboard.connect import Page
from dashboard.connect.models import Connector, ConnectorVersion, ProtocolNames
from dashboard.web.markup import format_html, join_html

from .filters import (
    AFTER,
    BEFORE,
    CATEGORIES,
    DEFAULT_SORT,
    FILTERS,
    LAST,
    NAME,
    PAGE_SIZES,
    PROTOCOL,
    SIZE,
    SORT,
    SORTABLE,
    START,
    TAG,
    VIEW,
)
from .tags import terms_of

NONE_PUBLISHED = mark_safe('<span class="muted">None published</span>')
NO_TAGS = mark_safe('<span class="muted">&mdash;</span>')
_ID = "connector-id"  # stands in for the ids in the one reverse() a page of rows makes


@dataclass
class TagChip:
    term: str
    url: str  # the list with this tag added to (or, for an active filter, removed from) it

    @cached_property
    def html(self) -> SafeString:
        """A row's chip: a link adding its tag to the filter, or marked as already in it."""
        if self.url:
            return format_html(
                '<a class="chip chip--link" href="{0}" hx-get="{0}" title="Filter by this tag">'
                "{1}</a>",
                self.url,
                self.term,
            )
        return format_html(
            '<span class="chip chip--active" title="Already filtered by this tag">{}</span>',
            self.term,
        )


@dataclass
class Row:
    """One connector of the list, with what its table row shows worked out once. A page of
    rows is the list's hot path: the connectors page takes each row's markup whole (`html`),
    as Django's admin does for its change list, since the template engine's variable lookups
    cost more than the rest of the page's rendering together."""

    connector: Connector
    tags: list[TagChip]
    url: str  # the connector's page
    protocol: str  # its protocol's name (`Google BigQuery`)
    ticked: bool = False  # its bulk checkbox (kept when a bulk action was refused)

    def __post_init__(self):
        connector = self.connector
        self.name = connector.name
        self.connections = len(connector.connections)
        self.categories = ", ".join(connector.categories) or "—"
        # `updatedAt` in the current time zone: ISO 8601, and e.g. "23 Nov 2026" and "19:42".
        when = timezone.localtime(connector.updated_at)
        self.updated = when.isoformat(), f"{when.day} {when:%b %Y}", f"{when:%H:%M}"

    @property
    def tags_html(self) -> SafeString:
        """The row's tag chips (TagChip.html), or a dash when it has none."""
        if not self.tags:
            return NO_TAGS
        return join_html((chip.html for chip in self.tags), " ")

    @property
    def html(self) -> SafeString:
        """This row of the connectors page's table (templates/connectors/home.html)."""
        latest = self.latest_version
        return format_html(
            '<tr><td class="select-cell"><input type="checkbox" name="id" value="{}" '
            'form="connector-bulk" data-select aria-label="Select {}"{}></td>'
            '<td><a class="catalog-table__name" href="{}">{}</a></td><td>{}</td>'
            '<td class="catalog-table__tags">{}</td><td>{}</td><td>{}</td>'
            '<td class="numeric">{}</td><td><time class="when" datetime="{}"><span>{}</span> '
            '<span class="muted">{}</span></time></td></tr>',  # as includes/when.html
            self.connector.id,
            self.name,
            " checked" if self.ticked else "",
            self.url,
            self.name,
            self.protocol,
            self.tags_html,
            self.categories,
            latest.name if latest else NONE_PUBLISHED,
            self.connections,
            *self.updated,
        )

    @cached_property
    def latest_version(self) -> ConnectorVersion | None:
        """The latest published version (the API marks it `isLatest`)."""
        return next((v for v in self.connector.versions if v.is_latest and v.is_published), None)

    @cached_property
    def published_versions(self) -> list[ConnectorVersion]:
        """Published versions, latest first: what the library can import."""
        published = [v for v in self.connector.versions if v.is_published]
        return sorted(published, key=lambda v: (not v.is_latest, -v.published_at.timestamp()))


@dataclass
class SortHeader:
    """A sortable column's header: its link sorts by it (ascending first, then flipping)."""

    label: str
    url: str
    direction: str | None  # "ascending" / "descending" when the list is sorted by it


def _flipped(sort: str) -> str:
    column, _, direction = sort.partition(":")
    return f"{column}:{'asc' if direction == 'desc' else 'desc'}"


@dataclass
class ConnectorListing:
    path: str
    # The rows name their protocols from the catalogue the filters were read with (no call).
    protocol_names: ProtocolNames
    filters: dict = field(default_factory=dict)
    page: Page[Connector] | None = None
    start: int = 0
    cursor: dict = field(default_factory=dict)  # {"after": ...}, {"before": ...}, {"last": True}

    @classmethod
    def fetch(
        cls,
        list_connectors: Callable[..., Page[Connector]],
        path: str,
        protocol_names: ProtocolNames,
        cleaned: dict,
    ) -> "ConnectorListing":
        """Call `list_connectors` (the client's `connectors.list` or `library.list`) with the
        filters, order and page position."""
        filters = {name: cleaned.get(name) for name in (*FILTERS, *VIEW)}
        size = filters[SIZE] or PAGE_SIZES[0]
        query = {
            "name": filters[NAME] or None,
            "protocol": filters[PROTOCOL] or None,
            "tags": filters[TAG] or (),
            "categories": filters[CATEGORIES] or (),
        }
        sort = filters[SORT] or DEFAULT_SORT
        if cleaned.get(LAST):
            page = _last_page(list_connectors, size, sort, query)
            listing = cls(path, protocol_names, filters=filters, page=page, cursor={LAST: True})
            listing.start = max(0, page.total_count - len(page.items))
            return listing
        after, before = cleaned.get(AFTER) or None, cleaned.get(BEFORE) or None
        page = list_connectors(first=size, after=after, before=before, sort=sort, **query)
        # Without a cursor this is the first page whatever `start` says.
        start = (cleaned.get(START) or 0) if after or before else 0
        # A stale or edited `start` must still give a sensible range.
        start = max(0, min(start, page.total_count - len(page.items)))
        cursor = {AFTER: after} if after else {BEFORE: before} if before else {}
        return cls(path, protocol_names, filters=filters, page=page, start=start, cursor=cursor)

    @property
    def size(self) -> int:
        return self.filters.get(SIZE) or PAGE_SIZES[0]

    # --- Links -------------------------------------------------------------------------

    def url(self, **changes) -> str:
        """This list's URL with `changes` applied to the filters (always from the first page
        unless a cursor is given)."""
        params = {**self.filters, **changes}
        if params.get(SIZE) == PAGE_SIZES[0]:
            params[SIZE] = None  # the default: a shorter URL
        pairs = []
        for name in (*FILTERS, *VIEW, AFTER, BEFORE, START, LAST):
            value = params.get(name)
            if value is True:
                value = 1
            if isinstance(value, list | tuple):
                pairs.extend((name, str(v)) for v in value)
            elif value not in (None, ""):
                pairs.append((name, str(value)))
        encoded = urlencode(pairs)
        return f"{self.path}?{encoded}" if encoded else self.path

    def _adding_tag(self) -> Callable[[str], str]:
        """`term -> url(tag=[*active, term])`, for every chip of a page: the URL without the
        new tag is built once and the tag appended (it is the last parameter of such a URL)."""
        base = self.url(tag=self.filters.get(TAG) or [])
        separator = "&" if "?" in base else "?"
        return lambda term: f"{base}{separator}{urlencode([(TAG, term)])}"

    @property
    def current_url(self) -> str:
        """This very page, in its canonical form (no empty parameters)."""
        at = self.cursor and LAST not in self.cursor
        return self.url(**self.cursor, start=self.start if at else None)

    @cached_property
    def first_url(self) -> str | None:
        return self.url() if self.page is not None and self.page.has_prev else None

    @cached_property
    def last_url(self) -> str | None:
        return self.url(last=True) if self.page is not None and self.page.has_next else None

    @cached_property
    def sort_headers(self) -> dict[str, SortHeader]:
        """The sortable columns' headers, by contract column name."""
        sort = self.filters.get(SORT) or DEFAULT_SORT
        headers = {}
        for column, label in SORTABLE.items():
            current = sort.partition(":")[0] == column
            target = _flipped(sort) if current else f"{column}:asc"
            direction = sort.partition(":")[2] if current else None
            headers[column] = SortHeader(
                label,
                self.url(sort=None if target == DEFAULT_SORT else target),
                {"asc": "ascending", "desc": "descending"}.get(direction),
            )
        return headers

    @cached_property
    def next_url(self) -> str | None:
        if self.page is None or not self.page.has_next:
            return None
        return self.url(after=self.page.next_cursor, start=self.start + len(self.page.items))

    @cached_property
    def prev_url(self) -> str | None:
        if self.page is None or not self.page.has_prev:
            return None
        start = self.start - self.size
        if start <= 0:  # back to the first page: a clean URL, no cursor
            return self.url()
        return self.url(before=self.page.prev_cursor, start=start)

    @property
    def active_tags(self) -> list[TagChip]:
        """The tag filters, each with the link that removes it."""
        terms = self.filters.get(TAG) or []
        return [TagChip(term, self.url(tag=[t for t in terms if t != term])) for term in terms]

    # --- Rows ----------------------------------------------------------------------------

    @cached_property
    def rows(self) -> list[Row]:
        if self.page is None:
            return []
        active = self.filters.get(TAG) or []
        adding = self._adding_tag()
        # Rows share most of their tags: each chip's link is built once per page.
        chips = {term: TagChip(term, "" if term in active else adding(term)) for term in active}

        def chip(term: str) -> TagChip:
            if term not in chips:
                chips[term] = TagChip(term, adding(term))
            return chips[term]

        # reverse() costs more than the rest of a row: reversed once, the ids filled in.
        prefix, suffix = reverse("connector_detail", args=[_ID]).split(_ID)
        return [
            Row(
                connector=connector,
                tags=[chip(term) for term in terms_of(connector.tags)],
                url=f"{prefix}{quote(connector.id, safe='')}{suffix}",
                protocol=self.protocol_names[connector.protocol],
            )
            for connector in self.page.items
        ]

    @cached_property
    def range_text(self) -> str:
        """E.g. "21–40 of 1,234"."""
        if self.page is None or not self.page.items:
            return "0 results"
        first, last = self.start + 1, self.start + len(self.page.items)
        return f"{first:,}–{last:,} of {self.page.total_count:,}"

    @cached_property
    def position_text(self) -> str:
        """E.g. "Page 2 of 62"."""
        if self.page is None or not self.page.items:
            return ""
        pages = -(-self.page.total_count // self.size)
        return f"Page {self.start // self.size + 1:,} of {pages:,}"


def _last_page(list_connectors, size: int, sort: str, query: dict) -> Page[Connector]:
    """The list's last page: the first page in the opposite order, turned round. It holds the
    rows left over after whole pages (`totalCount` says how many), so its range lines up with
    the pages before it. Its `prev` cursor continues backwards in the list's own order: the
    Connect API's cursors are a row's sort key, which reads the same both ways."""
    flipped = _flipped(sort)
    page = list_connectors(first=size, sort=flipped, **query)
    rest = page.total_count % size or size
    if rest < len(page.items):
        page = list_connectors(first=rest, sort=flipped, **query)
    return Page(items=page.items[::-1], total_count=page.total_count, prev_cursor=page.next_cursor)
