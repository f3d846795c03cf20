"""The home page, the estate at a glance, and the lists its counts link to that the Connect
API cannot filter for (drafts, recent publishes, connections): read from the same snapshot."""

import json
from contextlib import suppress
from functools import partial

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dashboard.accounts.audit_words import recent_activity
from dashboard.accounts.roles import (
    MANAGE_CONNECTIONS,
    PUBLISH_VERSIONS,
    ROTATE_CREDENTIALS,
    least_role,
)
from dashboard.connect import ConnectClient, ConnectError, get_client

from .estate import Estate, estate
from .forms import ConnectionListForm, VersionListForm

RECENT = 10  # entries under "Recent activity"
ATTENTION = 5  # rows of each "Needs attention" list


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The overview. Home used to be the connectors list: a bookmark with its filters still
    gets it."""
    if query := request.META.get("QUERY_STRING", ""):
        return HttpResponseRedirect(f"{reverse('connectors')}?{query}")
    client = get_client()
    snapshot = estate(client)
    recent = recent_activity(RECENT, partial(_connector_names, client, snapshot))
    context = {
        "estate": snapshot,
        "recent": recent,
        "attention": ATTENTION,
        "needs": _roles_needed(request.user),
    }
    if snapshot is not None:
        context |= _figures(snapshot)
    return render(request, "overview/home.html", context)


# What each "Needs attention" list offers to do.
_ATTENTION_ACTIONS = {
    "rotate": ROTATE_CREDENTIALS,
    "fix": MANAGE_CONNECTIONS,
    "publish": PUBLISH_VERSIONS,
}


def _roles_needed(user) -> dict[str, str]:
    """For each action the user may not take in this environment, the least role that may:
    the page names the item and who can act instead of linking to a refusal."""
    return {
        action: least_role(permission)
        for action, permission in _ATTENTION_ACTIONS.items()
        if not user.has_perm(permission)
    }


def _connector_names(
    client: ConnectClient, snapshot: Estate | None, ids: set[str]
) -> dict[str, str]:
    """The names of these connectors: from the snapshot where it lists them, else asked (a
    connector made since it was counted); one deleted since stays unnamed."""
    known: dict[str, str] = {}
    if snapshot is not None:
        for refs in (snapshot.drafts, snapshot.published, snapshot.connections):
            known |= {ref.connector_id: ref.connector_name for ref in refs}
    names = {connector_id: known[connector_id] for connector_id in ids if connector_id in known}
    for connector_id in ids - names.keys():
        with suppress(ConnectError):
            names[connector_id] = client.connectors.get(connector_id).name
    return names


def _figures(snapshot: Estate) -> dict:
    """What the overview shows besides the snapshot's own fields."""
    stale_days = settings.OVERVIEW_STALE_DRAFT_DAYS
    charts = {
        "expiry": snapshot.expiry_timeline,
        "categories": [{"label": c, "count": n} for c, n in snapshot.by_category if n],
        "publishes": snapshot.publish_timeline,
    }
    return {
        "stale_days": stale_days,
        "stale_drafts": snapshot.drafts_older_than(stale_days),
        "published_7": len(snapshot.published_within(7)),
        "published_30": len(snapshot.published_within(30)),
        "charts": charts,
        "charts_json": json.dumps(charts),
    }


@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    """Drafts waiting (optionally only old ones) or versions published lately."""
    form, snapshot = VersionListForm(request.GET), estate(get_client())
    if snapshot is None:
        return render(request, "overview/counting.html", status=503)
    rows = form.rows(snapshot) if form.is_valid() else None
    status = 200 if rows is not None else 400
    return render(request, "overview/versions.html", {"form": form, "rows": rows}, status=status)


@require_GET
def connections(request: HttpRequest) -> HttpResponse:
    """Every connection, or those whose credentials report errors."""
    form, snapshot = ConnectionListForm(request.GET), estate(get_client())
    if snapshot is None:
        return render(request, "overview/counting.html", status=503)
    rows = form.rows(snapshot) if form.is_valid() else None
    context = {"form": form, "rows": rows, "estate": snapshot}
    status = 200 if rows is not None else 400
    return render(request, "overview/connections.html", context, status=status)
