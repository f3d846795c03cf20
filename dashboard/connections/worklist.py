"""The Credentials page's list: the rotation worklist.

ListCredentials pages by last update; a worklist wants the soonest expiry first. So the filters
the API has (type, expires before, has errors) narrow the list there, and the rows are sorted
here: expired first, then by expiry, then those that never expire. A list longer than
MAX_ROWS is cut, and the page says so.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django import forms
from django.utils import timezone

from dashboard.connect import ConnectClient
from dashboard.connect.models import CredentialSummary

MAX_ROWS = 1000
PAGE_SIZE = 100  # the API's largest page
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
EXPIRY_CHOICES = [
    ("", "Any expiry"),
    ("7", "Expires within 7 days"),
    ("30", "Expires within 30 days"),
    ("expired", "Expired"),
]


class CredentialFilterForm(forms.Form):
    """The worklist's filters: a GET form, so a filtered view can be bookmarked."""

    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *CREDENTIAL_TYPES.items()]
    )
    expiry = forms.ChoiceField(label="Expiry", required=False, choices=EXPIRY_CHOICES)
    errors = forms.BooleanField(label="Has errors", required=False)

    @property
    def filtering(self) -> bool:
        return any(self.cleaned_data.values())


@dataclass
class Row:
    credential: CredentialSummary
    state: str  # "expired" | "soon" | "ok" | "never"


@dataclass
class Worklist:
    rows: list[Row]
    cut: bool  # more matched than MAX_ROWS


def fetch(client: ConnectClient, filters: dict, now: datetime | None = None) -> Worklist:
    """The credentials matching `filters` (a CredentialFilterForm's cleaned data)."""
    now = now or timezone.now()
    expiry = filters.get("expiry") or ""
    before = None
    if expiry == "expired":
        before = now
    elif expiry:
        before = now + timedelta(days=int(expiry))
    page = client.credentials.list(
        first=PAGE_SIZE,
        type=[filters["type"]] if filters.get("type") else (),
        expires_before=before,
        has_errors=True if filters.get("errors") else None,
    )
    credentials = list(islice(page.iter_all(), MAX_ROWS))
    if expiry not in ("", "expired"):
        # "Expires within N days" means not expired yet; the API filters only the upper bound.
        credentials = [c for c in credentials if c.expires_at and c.expires_at > now]
    credentials.sort(key=lambda c: (c.expires_at is None, c.expires_at or now, c.name.lower()))
    rows = [Row(c, state_of(c.expires_at, now)) for c in credentials]
    return Worklist(rows, cut=page.total_count > MAX_ROWS)


def state_of(expires_at: datetime | None, now: datetime | None = None) -> str:
    """How urgent a credential's rotation is."""
    now = now or timezone.now()
    if expires_at is None:
        return "never"
    if expires_at <= now:
        return "expired"
    return "soon" if expires_at - now <= SOON else "ok"
