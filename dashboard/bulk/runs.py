"""The one way to act on many items: a run, its preview, its steps and its results.

A run is frozen when it starts: its action, its parameters and the items it covers. It is then
worked through item by item, each through the service layer, in *steps*: a request (the run
page polls while it is open) claims the next pending item, performs it and records the
outcome, until its time budget is spent. Nothing runs in the background, so any worker process
can take the next step, a run survives a restart, and one left alone simply waits. Items are
claimed with a conditional UPDATE, so two steps at once never perform the same item.

Every item ends done, refused (with the API's reason, or the role's) or skipped (nothing to
do: actions check the item's state first, so running one again is harmless). A Connect API
failure pauses the run with its item still pending; resuming, or running again what was not
done, continues from there. Each item gets its own audit entry: the service layer's for the
calls it made, and one recorded here when it was refused or skipped without a call.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dashboard.accounts.audit import acting_as, record_mutation
from dashboard.accounts.roles import describe
from dashboard.connect import (
    APIError,
    ConnectClient,
    ConnectError,
    ServerError,
    Unauthorised,
    get_client,
)
from dashboard.environments.registry import (
    UnknownEnvironment,
    activated,
    current_environment,
    get_environment,
)
from dashboard.wording import in_screen_words

from .models import BulkItem, BulkRun

# How long one step works before answering with the progress so far.
STEP_SECONDS = 1.0
# A claimed item whose step died (a worker restarted) is pending again after this long.
STALE_CLAIM = timedelta(minutes=2)
# Failures that are not about the item: the run pauses rather than refuse everything after.
_PAUSING = (ServerError, Unauthorised)

DONE, REFUSED, SKIPPED = BulkItem.DONE, BulkItem.REFUSED, BulkItem.SKIPPED


@dataclass(frozen=True)
class Outcome:
    status: str  # DONE, REFUSED or SKIPPED
    message: str = ""
    audited: bool = False  # a call made for it has its audit entry already


@dataclass(frozen=True)
class Action:
    """What a bulk run does to each item.

    `perform(client, key, params)` acts on one item and returns DONE, or SKIPPED when there
    was nothing to do, or REFUSED when the item's state forbids it (then it made no write); an
    `APIError` it raises is a refusal with the API's reason. `permission(params)` is checked
    for every item, when it runs. `operation` and `kind` name the audit entry of an item that
    made no call. `back` is what the run page's link to its `back_url` says. `preview`, if
    any, names the URL of the form that previews the action: running again what was refused
    goes back through it, since a refusal such as "in use" needs a choice made there (force),
    not the same call again.
    """

    name: str
    title: Callable[[dict], str]  # e.g. "Add tag “team:core”"
    perform: Callable[[ConnectClient, str, dict], Outcome]
    permission: Callable[[dict], str]
    operation: str
    kind: str
    page: str = ""
    back: str = "Back to the list"
    preview: str = ""


ACTIONS: dict[str, Action] = {}


def register(action: Action) -> Action:
    ACTIONS[action.name] = action
    return action


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    refused: int
    skipped: int
    pending: int

    @property
    def finished(self) -> int:
        return self.done + self.refused + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


# --- Starting, stopping, running again ------------------------------------------------------


# Who runs things: the signed-in user (login is required everywhere but the login page).
Person = User | AnonymousUser


@transaction.atomic
def start(
    user: Person,
    action: Action,
    items: Iterable[tuple[str, str]],
    params: dict,
    back_url: str,
) -> BulkRun:
    """A new run of `action` over `items` ((key, label) pairs, in order)."""
    if not isinstance(user, User):
        raise PermissionDenied("Log in to run bulk actions.")
    run = BulkRun.objects.create(
        user=user,
        action=action.name,
        params=params,
        title=action.title(params),
        back_url=back_url,
        environment=current_environment().slug,
    )
    BulkItem.objects.bulk_create(
        BulkItem(run=run, position=position, key=key, label=label[:300])
        for position, (key, label) in enumerate(items)
    )
    return run


def find_run(user: Person, run_id: str) -> BulkRun:
    """The user's own run with this id, in the environment being shown; anyone else's, or
    none, is a 404."""
    try:
        pk = uuid.UUID(run_id)
    except ValueError:
        raise Http404("No such run.") from None
    return get_object_or_404(BulkRun, pk=pk, user=user, environment=current_environment().slug)


def cancel(run: BulkRun) -> None:
    """Stop taking items; those not reached stay pending (and can be run again)."""
    BulkRun.objects.filter(pk=run.pk).update(cancelled=True)
    run.cancelled = True


def resume(run: BulkRun) -> None:
    BulkRun.objects.filter(pk=run.pk).update(cancelled=False, stopped="")
    run.cancelled, run.stopped = False, ""


def rerun(run: BulkRun, user: Person) -> BulkRun:
    """A new run of the same action over what this one did not do (refused or not reached)."""
    left = run.items.exclude(status__in=[DONE, SKIPPED]).values_list("key", "label")
    return start(user, ACTIONS[run.action], left, run.params, run.back_url)


def rerun_fields(run: BulkRun) -> list[tuple[str, str]]:
    """What the action's preview form is posted for the items this run did not do: its
    action, parameters and items, as that form's fields (a flag ticked is "on")."""
    fields = [("action", run.action), ("next", run.back_url)]
    for name, value in run.params.items():
        values = value if isinstance(value, list) else [value]
        fields += [(name, "on" if v is True else str(v)) for v in values if v is not False]
    left = run.items.exclude(status__in=[DONE, SKIPPED]).values_list("key", flat=True)
    return fields + [("id", key) for key in left]


def progress(run: BulkRun) -> Progress:
    counts = dict.fromkeys((DONE, REFUSED, SKIPPED, BulkItem.PENDING, BulkItem.RUNNING), 0)
    for row in run.items.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    pending = counts[BulkItem.PENDING] + counts[BulkItem.RUNNING]
    total = sum(counts.values())
    return Progress(total, counts[DONE], counts[REFUSED], counts[SKIPPED], pending)


def is_active(run: BulkRun, shown: Progress) -> bool:
    """Whether the run page should keep stepping."""
    return shown.pending > 0 and not run.cancelled and not run.stopped


# --- Stepping ----------------------------------------------------------------------------------


def step(run: BulkRun, user: Person, *, budget: float = STEP_SECONDS) -> None:
    """Work through the run's pending items for about `budget` seconds (at least one item),
    audited for `user` (its owner), in the run's environment, wherever the step runs."""
    try:
        environment = get_environment(run.environment)
    except UnknownEnvironment:
        message = f"The environment “{run.environment}” no longer exists."
        BulkRun.objects.filter(pk=run.pk).update(stopped=message)
        run.stopped = message
        return
    with acting_as(user), activated(environment):
        _step(run, user, budget)


def _step(run: BulkRun, user: Person, budget: float) -> None:
    action = ACTIONS[run.action]
    if action.page:  # worked through with the user, on its own page
        return
    client = get_client()
    deadline = time.monotonic() + budget
    while not run.cancelled and not run.stopped:
        item = claim_next(run)
        if item is None:
            return
        try:
            outcome = perform(action, client, user, item, run.params)
        except ConnectError as error:  # not about this item: pause, keeping it pending
            release(item)
            BulkRun.objects.filter(pk=run.pk).update(stopped=error.message[:500])
            run.stopped = error.message
            return
        record(item, outcome)
        if time.monotonic() >= deadline:  # a cancel made meanwhile stops the next step
            return


def perform(
    action: Action, client: ConnectClient, user: Person, item: BulkItem, params: dict
) -> Outcome:
    """One item: the role check, then the action. Raises ConnectError only for failures that
    should pause the run."""
    permission = action.permission(params)
    if not user.has_perm(permission):
        outcome = Outcome(REFUSED, describe(permission))
        audit(action, item, "forbidden")
        return outcome
    try:
        outcome = action.perform(client, item.key, params)
    except _PAUSING:
        raise
    except APIError as error:  # about this item: its refusal, which the call audited
        return Outcome(REFUSED, in_screen_words(error.message))
    if outcome.status in (SKIPPED, REFUSED) and not outcome.audited:
        audit(action, item, outcome.status)
    return outcome


def audit(action: Action, item: BulkItem, outcome: str) -> None:
    """The audit entry of an item that made no call (the service layer audits those that did)."""
    record_mutation(
        BulkRun,
        operation=action.operation,
        method="",
        path="",
        outcome=outcome,
        target={"kind": action.kind, "id": item.key, "name": item.label},
    )


def next_item(run: BulkRun) -> BulkItem | None:
    """The first item not yet done, for runs worked through with the user (no claims: the run
    is theirs alone)."""
    return run.items.filter(status__in=[BulkItem.PENDING, BulkItem.RUNNING]).first()


def claim_next(run: BulkRun) -> BulkItem | None:
    """The next pending item (or one whose claim went stale), claimed for this step."""
    while True:
        stale = timezone.now() - STALE_CLAIM
        waiting = Q(status=BulkItem.PENDING) | Q(status=BulkItem.RUNNING, claimed_at__lt=stale)
        candidate = run.items.filter(waiting).order_by("position").first()
        if candidate is None:
            return None
        now = timezone.now()
        claimed = BulkItem.objects.filter(
            pk=candidate.pk, status=candidate.status, claimed_at=candidate.claimed_at
        ).update(status=BulkItem.RUNNING, claimed_at=now)
        if claimed:
            candidate.status, candidate.claimed_at = BulkItem.RUNNING, now
            return candidate


def release(item: BulkItem) -> None:
    BulkItem.objects.filter(pk=item.pk).update(status=BulkItem.PENDING, claimed_at=None)


def record(item: BulkItem, outcome: Outcome) -> None:
    item.status, item.message = outcome.status, outcome.message[:500]
    item.save(update_fields=["status", "message"])
