"""The connector list filters (connectors page and library): one form validating the query
string, so a bookmarked or hand-edited URL gets the same checks as the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2
from django.utils.safestring import SafeString, mark_safe

from dashboard.connect import LARGEST_PAGE
from dashboard.connect.wire import python_path
from dashboard.web.markup import format_html, join_html

from .tags import clean_term

MAX_TAG_FILTERS = 20
# Query parameter names, used by the form, the links built around it and the templates.
NAME, PROTOCOL, CATEGORIES, TAG = "name", "protocol", "categories", "tag"
SORT, SIZE = "sort", "size"
AFTER, BEFORE, START, LAST = "after", "before", "start", "last"
FILTERS = (NAME, PROTOCOL, CATEGORIES, TAG)
# What the view shows besides the filters: kept in every link, like the filters.
VIEW = (SORT, SIZE)
# The columns the Connect API sorts by (ListConnectors' `sort`), by the models' names.
SORTABLE = {"name": "Name", "updated_at": "Updated"}
DEFAULT_SORT = "updated_at:desc"  # the API's own order
PAGE_SIZES = (20, 50, LARGEST_PAGE)
CHECKED, INVALID, NOTHING = mark_safe(" checked"), mark_safe(' aria-invalid="true"'), SafeString()


def sort_choices() -> list[tuple[str, str]]:
    return [
        (
            f"{column}:{direction}",
            f"{label} ({'ascending' if direction == 'asc' else 'descending'})",
        )
        for column, label in SORTABLE.items()
        for direction in ("asc", "desc")
    ]


class SortField(forms.ChoiceField):
    """A sort; links made before the columns took the models' names (`updatedAt:desc`) keep
    working."""

    def to_python(self, value) -> str:
        return python_path(super().to_python(value))


def read_tag(raw: str) -> tuple[str, str | None]:
    """A typed tag filter as a term (`key` or `key:value`), and how `key=value` was read
    when it was written that way (None otherwise)."""
    key, equals, value = raw.partition("=")
    if equals and ":" not in raw:
        term = clean_term(f"{key}:{value}")
        return term, f"“{raw.strip()}” read as tag {term}"
    return clean_term(raw), None


class TagFilterField(forms.Field):
    """Repeated `tag` parameters, each `key`, `key:value` or `key=value`; blanks (an empty
    "add a tag" box) are ignored and repeats dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        terms = []
        for raw in values:
            if raw.strip():
                terms.append(read_tag(raw)[0])
        if len(terms) > MAX_TAG_FILTERS:
            raise ValidationError(f"Filter by at most {MAX_TAG_FILTERS} tags.")
        return list(dict.fromkeys(terms))


class ConnectorFilterForm(forms.Form):
    # Every list page renders these widgets: Jinja2's compiled templates draw them in about
    # half the time of Django's (0.70 -> 0.38 ms). One renderer for the process (it holds the
    # Jinja2 environment); other forms keep Django's, which the admin's widgets need.
    default_renderer = Jinja2()

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Search by name", "autocomplete": "off"}
        ),
    )
    protocol = forms.ChoiceField(
        label="Protocol",
        required=False,
        widget=forms.Select(attrs={"class": "filter-autosubmit"}),
    )
    categories = forms.MultipleChoiceField(
        label="Categories",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "filter-autosubmit"}),
    )
    tag = TagFilterField(label="Tags", required=False)
    sort = SortField(required=False, choices=[("", "Most recently updated"), *sort_choices()])
    size = forms.TypedChoiceField(
        label="Per page",
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(size, str(size)) for size in PAGE_SIZES],
        widget=forms.Select(attrs={"class": "filter-autosubmit"}),
    )
    # Where the page starts: a cursor, and the position of its first row (for "21–40 of N").
    after = forms.CharField(required=False, max_length=1000)
    before = forms.CharField(required=False, max_length=1000)
    start = forms.IntegerField(required=False, min_value=0, max_value=10**9)
    last = forms.BooleanField(required=False)  # the last page, whatever its cursor

    def __init__(self, data, *, categories: list[str], protocols: list[tuple[str, str]]):
        super().__init__(data)
        self.fields[PROTOCOL].choices = [("", "Any protocol"), *protocols]
        self.fields[CATEGORIES].choices = [(category, category) for category in categories]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(AFTER) and cleaned.get(BEFORE):
            raise ValidationError("A page starts after a cursor or before one, not both.")
        return cleaned

    # Every list page draws the categories twice (here and, as options, in the bulk bar:
    # templatetags `category_options`): in Python, since the template engine's lookups, per
    # option, cost more than the rest of the filters together.

    @property
    def category_checkboxes(self) -> SafeString:
        """The category checkboxes: CheckboxSelectMultiple's markup (ids, labels, states)."""
        field = self[CATEGORIES]
        chosen = {str(value) for value in field.value() or ()}
        invalid = INVALID if field.errors else NOTHING
        return join_html(
            format_html(
                '<div>\n    <label for="{0}"><input type="checkbox" name="{1}" value="{2}" '
                'class="filter-autosubmit"{3} id="{0}"{4}> {5}</label></div>',
                f"{field.auto_id}_{index}",
                field.html_name,
                value,
                invalid,
                CHECKED if str(value) in chosen else NOTHING,
                label,
            )
            for index, (value, label) in enumerate(field.field.choices)
        )

    @property
    def tag_readings(self) -> list[str]:
        """How tags written `key=value` were read, to say so beside the filter."""
        readings = []
        for raw in self.data.getlist(TAG) if hasattr(self.data, "getlist") else []:
            try:
                reading = read_tag(raw)[1] if raw.strip() else None
            except ValidationError:
                reading = None
            if reading:
                readings.append(reading)
        return readings

    @property
    def filtering(self) -> bool:
        """Whether any filter (not just a page position) is set."""
        return self.is_valid() and any(self.cleaned_data.get(name) for name in FILTERS)

    @property
    def active_count(self) -> int:
        """How many filters are set, each tag and category one: the folded form's summary
        says it. Counts the valid ones even when others are not."""
        self.is_valid()  # cleans the data, once
        values = [self.cleaned_data.get(name) for name in FILTERS]
        return sum(len(value) if isinstance(value, list) else 1 for value in values if value)
