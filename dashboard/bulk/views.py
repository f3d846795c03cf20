"""A bulk run's page: its progress while it runs (htmx steps it), then every item's result.

Only the user who started a run sees it; others get a 404, as for anything not theirs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dashboard.web.htmx import go_to, is_fragment, render_screen, vary_on_htmx

from . import runs
from .models import BulkItem, BulkRun


def _own_run(request: HttpRequest, run_id: str) -> BulkRun:
    return runs.find_run(request.user, run_id)


def _page(request: HttpRequest, run: BulkRun) -> HttpResponse:
    progress = runs.progress(run)
    active = runs.is_active(run, progress)
    action = runs.ACTIONS[run.action]
    context = {
        "run": run,
        "progress": progress,
        "active": active,
        # The list is long and changes every step: shown once the run rests.
        "items": None if active else run.items.all(),
        "statuses": BulkItem,
        "back": action.back,
        "preview": action.preview,
        "rerun_fields": runs.rerun_fields(run) if action.preview and not active else [],
    }
    return render_screen(request, "bulk/run.html", "progress", context)


@require_GET
@vary_on_htmx
def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    run = _own_run(request, run_id)
    page = runs.ACTIONS[run.action].page
    if page:
        return go_to(request, reverse(page, args=[run.pk]))
    return _page(request, run)


@require_POST
def step(request: HttpRequest, run_id: str) -> HttpResponse:
    """Work on the run for a moment, then show how far it got (htmx polls this)."""
    run = _own_run(request, run_id)
    runs.step(run, request.user)
    if not is_fragment(request):  # the "Continue" button, without JavaScript
        return go_to(request, reverse("bulk_run", args=[run.pk]))
    return _page(request, run)


@require_POST
def cancel(request: HttpRequest, run_id: str) -> HttpResponse:
    run = _own_run(request, run_id)
    runs.cancel(run)
    return go_to(request, reverse("bulk_run", args=[run.pk]))


@require_POST
def resume(request: HttpRequest, run_id: str) -> HttpResponse:
    run = _own_run(request, run_id)
    runs.resume(run)
    return go_to(request, reverse("bulk_run", args=[run.pk]))


@require_POST
def rerun(request: HttpRequest, run_id: str) -> HttpResponse:
    """A new run over what this one left undone."""
    again = runs.rerun(_own_run(request, run_id), request.user)
    return go_to(request, reverse("bulk_run", args=[again.pk]))  # on to its own page, if any
