"""The rotation queue: credentials ticked on the worklist, rotated one after another, each
with its own secret typed (sent straight to the API, never stored nor shown again), or
skipped. A bulk run (dashboard.bulk) keeps the queue: where it is ("3 of 7") and each
credential's result, so leaving and coming back carries on where it was."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dashboard.accounts.roles import ROTATE_CREDENTIALS, require_permission
from dashboard.bulk import runs
from dashboard.bulk.actions import ROTATE
from dashboard.bulk.forms import ALL_MATCHING, BulkForm, KeysField, ScopeField
from dashboard.bulk.models import BulkItem, BulkRun
from dashboard.connect import APIError, BadRequest, NotFound, get_client
from dashboard.connect.models import Credential
from dashboard.web.htmx import FORM_ERRORS, go_to
from dashboard.web.redirects import safe_url

from . import worklist
from .api_errors import place_rotation_errors
from .credential_forms import ROTATABLE
from .credential_views import rotation_forms, rotation_update
from .identity import identities
from .oauth2 import token_sign_in

MOST = 100


class QueueForm(BulkForm):
    scope = ScopeField()
    credential = KeysField(required=False, most=MOST)


def _rotatable(ids: list[str]) -> list[Credential]:
    client, found = get_client(), []
    for credential_id in ids:
        try:
            credential = client.credentials.get(credential_id)
        except NotFound:
            continue
        if credential.type in ROTATABLE:
            found.append(credential)
    return found


def _queued(form: QueueForm, back: str) -> tuple[list[Credential], str]:
    """The credentials to queue: the ticked ones, or (scope all) the rotatable ones of the
    worklist `back` shows, every page in its order, up to MOST; and a notice if more matched."""
    if form.cleaned_data["scope"] != ALL_MATCHING:
        return _rotatable(form.cleaned_data["credential"]), ""
    filters = worklist.CredentialFilterForm(QueryDict(urlsplit(back).query))
    if not filters.is_valid():
        raise ValidationError("The worklist's filters are not valid any more; filter it again.")
    rows = worklist.rotatable(worklist.fetch(get_client(), filters.cleaned_data).rows)
    ids = list(dict.fromkeys(row.credential.id for row in rows))
    if not ids:
        raise ValidationError("No credential matching these filters can be rotated.")
    notice = ""
    if len(ids) > MOST:
        notice = f"The first {MOST} of {len(ids)}, soonest expiry first; run again for the rest."
    return _rotatable(ids[:MOST]), notice


@require_permission(ROTATE_CREDENTIALS)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """The ticked credentials (or, `scope=all`, the worklist's): which will be queued, then
    (`confirm`) the queue."""
    form = QueueForm(request.POST)
    back = safe_url(request, request.POST.get("next"), "credentials")
    credentials: list[Credential] = []
    notice, problems = "", []
    try:
        if not form.is_valid():
            raise ValidationError(form.problems())
        credentials, notice = _queued(form, back)
        if not credentials:
            raise ValidationError("Tick a credential to rotate.")
    except ValidationError as error:
        problems = error.messages
    action = runs.ACTIONS[ROTATE]
    if credentials and "confirm" in request.POST:
        items = [(c.id, c.name) for c in credentials]
        run = runs.start(request.user, action, items, {}, back)
        return go_to(request, reverse("credential_queue", args=[run.pk]))
    context = {
        "form": form,
        "back_url": back,
        "post_url": reverse("credential_queue_start"),
        "title": action.title({}),
        "labels": _labels(credentials),
        "notice": notice,
        "warning": "You will type each new secret in turn, or skip it.",
        "problems": problems,
    }
    return render(request, "bulk/preview.html", context, status=400 if problems else 200)


def _labels(credentials: list[Credential]) -> list[str]:
    """The queue's credentials as the preview lists them: each name, and which one it is."""
    found = identities(get_client(), credentials) if credentials else {}
    return [f"{c.name} ({found[c.id]})" if found.get(c.id) else c.name for c in credentials]


def _rotate(item: BulkItem, credential: Credential, form, data_form) -> bool:
    """Rotate the item's credential if the forms are valid; False to show them again."""
    if not all([form.is_valid(), data_form.is_valid()]):
        return False
    try:
        get_client().credentials.update(
            rotation_update(credential, form, data_form),
            if_unmodified_since=form.cleaned_data["updated_at"],
        )
    except BadRequest as error:  # about what was typed: fix it here
        place_rotation_errors(error, form, data_form)
        return False
    except APIError as error:  # about the credential: its refusal, and on to the next
        runs.record(item, runs.Outcome(runs.REFUSED, error.message))
        return True
    runs.record(item, runs.Outcome(runs.DONE))
    return True


@require_permission(ROTATE_CREDENTIALS)
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest, run_id: str) -> HttpResponse:
    """The next credential of the queue with its rotation form; "Skip" and "Stop" too."""
    run = runs.find_run(request.user, run_id)
    here = reverse("credential_queue", args=[run.pk])
    item = None if run.cancelled else runs.next_item(run)
    if item is None:
        return _queue_page(request, run)
    if "stop" in request.POST:
        runs.cancel(run)
        return go_to(request, here)
    if "skip" in request.POST:
        runs.audit(runs.ACTIONS[ROTATE], item, runs.SKIPPED)
        runs.record(item, runs.Outcome(runs.SKIPPED, "Skipped."))
        return go_to(request, here)
    credential = get_client().credentials.get(item.key)
    posted = request.method == "POST"
    form, data_form = rotation_forms(request, credential)
    if posted and _rotate(item, credential, form, data_form):
        messages.success(request, f"“{credential.name}” done; on to the next.")
        return go_to(request, here)
    context = {"item": item, "credential": credential, "form": form, "data_form": data_form}
    context["identity"] = identities(get_client(), [credential]).get(credential.id, "")
    context["sign_in"] = token_sign_in(get_client(), credential)
    return _queue_page(request, run, status=FORM_ERRORS if posted else 200, **context)


def _queue_page(request: HttpRequest, run: BulkRun, status: int = 200, **context) -> HttpResponse:
    progress = runs.progress(run)
    context |= {
        "run": run,
        "progress": progress,
        "position": progress.finished + 1,
        "items": run.items.all(),
        "stopped": run.cancelled and progress.pending > 0,
        "statuses": BulkItem,
        "state": worklist.state_of(context["credential"].expires_at) if context else "",
    }
    return render(request, "connections/rotation_queue.html", context, status=status)
