"""The Credentials page's list: the rotation worklist.

ListCredentials pages by last update; a worklist wants the soonest expiry first. So the filters
the API has (type, expires before, has errors) narrow the list there, and the rows are sorted
here: expired first, then by expiry, then those that never expire. A list longer than
MAX_ROWS is cut, and the page says so. The page shows PER_PAGE rows at a time, and reads
only those rows' credentials to say which each one is (identity.identities). The Connector
filter offers the connectors the rows use, and every connector of the organisation once the
user reaches for it (`connector_choices`): listing them all would slow every page load. A
chosen connector that is not among them (a link to one no credential uses) is read by itself
(`with_chosen`), so the filter shows its name.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import islice

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from dashboard.connect import LARGEST_PAGE, ConnectClient, ConnectError
from dashboard.connect.models import ConnectorSummary, CredentialSummary

from .credential_forms import ROTATABLE
from .identity import identities

MAX_ROWS = 1000
PER_PAGE = 50  # rows shown at once
MAX_CONNECTORS = 1000  # offered by the Connector filter: ten calls at most
SOON = timedelta(days=7)

CREDENTIAL_TYPES = {
    "string": "Secret string",
    "binary": "Binary",
    "basic-auth": "Basic auth",
    "oauth2-client": "OAuth 2.0 client",
    "oauth2-token": "OAuth 2.0 token",
    "oauth2-password": "OAuth 2.0 password",
    "certificate": "Certificate",
    "none": "None",
}
EXPIRED = "expired"
MAX_DAYS = 3650
EXPIRY_CHOICES = [
    ("", "Any expiry"),
    ("7", "Expires within 7 days"),
    ("30", "Expires within 30 days"),
    ("90", "Expires within 90 days"),
    (EXPIRED, "Expired"),
]


class ExpiryFilterField(forms.CharField):
    """`expired`, or a number of days N for "expires within N days" (the list offers a few;
    a link or bookmark may carry any N up to MAX_DAYS)."""

    def clean(self, value) -> str:
        value = super().clean(value).strip()
        if value in ("", EXPIRED) or (value.isdigit() and 1 <= int(value) <= MAX_DAYS):
            return value
        raise forms.ValidationError(
            f"Choose from the list, or give a number of days from 1 to {MAX_DAYS}."
        )


class ExpirySelect(forms.Select):
    """The expiry choices, plus "within N days" when a link asked for another N."""

    def optgroups(self, name, value, attrs=None):
        current = value[0] if value else ""
        if current.isdigit() and current not in dict(self.choices):
            self.choices = [*self.choices, (current, f"Expires within {current} days")]
        return super().optgroups(name, value, attrs)


class CredentialFilterForm(forms.Form):
    """The worklist's filters: a GET form, so a filtered view can be bookmarked."""

    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *CREDENTIAL_TYPES.items()]
    )
    expiry = ExpiryFilterField(
        label="Expiry", required=False, max_length=10, widget=ExpirySelect(choices=EXPIRY_CHOICES)
    )
    errors = forms.BooleanField(label="Has errors", required=False)
    connector = forms.CharField(
        label="Connector",
        required=False,
        max_length=100,
        # Every connector is loaded, for the form's filters, on the first focus or pointer entry
        # (once for both: htmx keeps one flag per element), before the list opens. Its own
        # target, URL and sync, or it would inherit the form's, meant for the results.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("credential_connector_options"),
                "hx-trigger": "focus once, pointerenter once",
                "hx-include": "closest form",
                "hx-target": "this",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                "hx-sync": "this:drop",
            }
        ),
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ROWS // PER_PAGE)

    def __init__(self, data):
        super().__init__(data)
        self.offer_connectors({})

    def offer_connectors(self, connectors: dict[str, str]) -> None:
        """The connector choices (id -> name), offered by name."""
        ordered = sorted(connectors.items(), key=lambda pair: (pair[1].lower(), pair[0]))
        chosen = self.data.get("connector", "")
        if chosen and chosen not in connectors:  # not found by `with_chosen`: its id will do
            ordered.append((chosen, chosen))
        self.fields["connector"].widget.choices = [("", "Any connector"), *ordered]

    @property
    def filtering(self) -> bool:
        """Whether any filter (not just a page number) is set."""
        return any(value for name, value in self.cleaned_data.items() if name != "page")


@dataclass
class Row:
    credential: CredentialSummary
    state: str  # "expired" | "soon" | "ok" | "never"
    identity: str = ""  # which credential it is ("user alice"): read for a shown page only


@dataclass
class Worklist:
    rows: list[Row]
    cut: bool  # more matched than MAX_ROWS
    connectors: dict[str, str]  # id -> name of those using the credentials, before `connector`


@dataclass
class Shown:
    """One page of a worklist's rows, each with its identity."""

    rows: list[Row]
    number: int
    start: int  # the position of its first row, from 1
    pages: int

    @property
    def end(self) -> int:
        return self.start + len(self.rows) - 1


def shown(client: ConnectClient, listing: Worklist, number: int | None) -> Shown:
    """Page `number` (from 1; past the end: the last) of `listing`, its rows identified."""
    pages = max(1, -(-len(listing.rows) // PER_PAGE))
    number = min(number or 1, pages)
    first = (number - 1) * PER_PAGE
    rows = listing.rows[first : first + PER_PAGE]
    found = identities(client, [row.credential for row in rows])
    rows = [replace(row, identity=found.get(row.credential.id, "")) for row in rows]
    return Shown(rows, number, first + 1, pages)


def rotatable(rows: list[Row]) -> list[Row]:
    """The rows that can be ticked for rotation (credential_forms.ROTATABLE)."""
    return [row for row in rows if row.credential.type in ROTATABLE]


def connectors_of(credential: CredentialSummary) -> list[ConnectorSummary]:
    """The connectors whose connections use `credential`."""
    usages = credential.usages or []
    found = [u.connection.connector for u in usages if u.connection and u.connection.connector]
    return list({c.id: c for c in found}.values())


def fetch(client: ConnectClient, filters: dict, now: datetime | None = None) -> Worklist:
    """The credentials matching `filters` (a CredentialFilterForm's cleaned data)."""
    now = now or timezone.now()
    expiry = filters.get("expiry") or ""
    before = None
    if expiry == EXPIRED:
        before = now
    elif expiry:
        before = now + timedelta(days=int(expiry))
    page = client.credentials.list(
        first=LARGEST_PAGE,
        type=[filters["type"]] if filters.get("type") else (),
        expires_before=before,
        has_errors=True if filters.get("errors") else None,
    )
    credentials = list(islice(page.iter_all(), MAX_ROWS))
    if expiry not in ("", EXPIRED):
        # "Expires within N days" means not expired yet; the API filters only the upper bound.
        credentials = [c for c in credentials if c.expires_at and c.expires_at > now]
    connectors = {k.id: k.name for c in credentials for k in connectors_of(c)}
    if filters.get("connector"):
        wanted = filters["connector"]
        credentials = [c for c in credentials if any(k.id == wanted for k in connectors_of(c))]
    credentials.sort(key=lambda c: (c.expires_at is None, c.expires_at or now, c.name.lower()))
    rows = [Row(c, state_of(c.expires_at, now)) for c in credentials]
    return Worklist(rows, cut=page.total_count > MAX_ROWS, connectors=connectors)


def connector_choices(client: ConnectClient, listing: Worklist | None) -> dict[str, str]:
    """The Connector filter's full choices (id -> name): every connector of the organisation
    (the first MAX_CONNECTORS) and those the listed credentials use. If the API cannot list
    them, only the latter: the filter stays as narrow as the page rendered it."""
    connectors = dict(listing.connectors) if listing else {}
    try:
        page = client.connectors.list(first=LARGEST_PAGE)
        connectors |= {c.id: c.name for c in islice(page.iter_all(), MAX_CONNECTORS)}
    except ConnectError:  # already logged by the service layer
        pass
    return connectors


def with_chosen(client: ConnectClient, connectors: dict[str, str], chosen: str) -> dict[str, str]:
    """`connectors` (id -> name), with the `chosen` connector's name when it is not among them:
    one GetConnector, only then. If it cannot be read, `connectors` as they are."""
    if not chosen or chosen in connectors:
        return connectors
    try:
        return connectors | {chosen: client.connectors.get(chosen).name}
    except ConnectError:  # already logged by the service layer
        return connectors


def state_of(expires_at: datetime | None, now: datetime | None = None) -> str:
    """How urgent a credential's rotation is."""
    now = now or timezone.now()
    if expires_at is None:
        return "never"
    if expires_at <= now:
        return "expired"
    return "soon" if expires_at - now <= SOON else "ok"


EXPORT_FIELDS = (
    "id",
    "name",
    "type",
    "auth_scheme_type",
    "expires_at",
    "state",
    "errors",
    "used_by",
)


def record(row: Row) -> dict:
    """A worklist row for export: what the page shows, never a secret (the list has none)."""
    credential = row.credential
    used_by = [
        f"{u.connection.connector.name} / {u.connection.name}"
        if u.connection.connector
        else u.connection.name
        for u in credential.usages or []
        if u.connection
    ]
    return {
        "id": credential.id,
        "name": credential.name,
        "type": credential.type,
        "auth_scheme_type": credential.auth_scheme_type,
        "expires_at": credential.expires_at.isoformat() if credential.expires_at else None,
        "state": row.state,
        "errors": list(credential.errors or []),
        "used_by": used_by,
    }
