"""The environment switcher, and the admin's page for environments and their roles."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.accounts.roles import MANAGE_ENVIRONMENTS, require_permission
from dashboard.web.htmx import FORM_ERRORS, go_to, render_screen, vary_on_htmx
from dashboard.web.redirects import safe_url

from . import audit
from .forms import EnvironmentForm, GrantForm
from .models import AddedEnvironment, EnvironmentRole
from .registry import (
    UnknownEnvironment,
    all_environments,
    client_for,
    current_environment,
    get_environment,
    split_prefix,
)
from .switch import counterpart


@require_GET
def switch(request: HttpRequest, slug: str) -> HttpResponse:
    """To environment `slug`: the page `next` shows here, there, else its home."""
    try:
        there = get_environment(slug)
    except UnknownEnvironment:
        raise Http404(f"There is no environment “{slug}”.") from None
    shown = urlsplit(safe_url(request, request.GET.get("next"), "/"))
    try:
        here, path = split_prefix(shown.path if shown.path.startswith("/") else "/")
    except UnknownEnvironment:
        here, path = current_environment(), "/"
    landing = counterpart(path, client_for(here), client_for(there)) if path != "/" else path
    if landing is None:
        messages.info(request, f"That page has no counterpart in {there.name}: here is its home.")
        landing = "/"
    elif landing == path and shown.query:
        landing += f"?{shown.query}"
    return redirect(there.url_prefix + landing)


@require_GET
@require_permission(MANAGE_ENVIRONMENTS)
def index(request: HttpRequest) -> HttpResponse:
    grants = EnvironmentRole.objects.select_related("user", "group")
    context = {"all": all_environments(), "grants": grants, "grant_form": GrantForm()}
    return render(request, "environments/index.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_ENVIRONMENTS)
@vary_on_htmx
def edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Add an environment (no slug), or edit one added in the dashboard. One on the same
    Connect API and organisation as another is saved only once that is confirmed. htmx
    posts get the `form` partial back, so the browser keeps the key typed (forms.js)."""
    row = get_object_or_404(AddedEnvironment, slug=slug) if slug else None
    form = EnvironmentForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit.environment_saved(request, form, added=row is None)
        messages.success(request, f"Environment “{saved.name}” saved.")
        return go_to(request, reverse("environments"))
    status = FORM_ERRORS if form.errors else 200
    context = {"form": form, "row": row}
    return render_screen(request, "environments/edit.html", "form", context, status)


@require_POST
@require_permission(MANAGE_ENVIRONMENTS)
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Remove an environment added in the dashboard, and the roles granted in it, once
    confirmed (`confirm`; without it, the page asking first). The Connect API behind it is
    not touched; the audit log keeps its entries."""
    row = get_object_or_404(AddedEnvironment, slug=slug)
    if "confirm" not in request.POST:
        grants = EnvironmentRole.objects.filter(environment=row.slug).count()
        return render(request, "environments/delete.html", {"row": row, "grants": grants})
    for grant in EnvironmentRole.objects.filter(environment=row.slug).select_related(
        "user", "group"
    ):
        audit.role_removed(request, grant)
        grant.delete()
    audit.environment_removed(request, row)
    row.delete()
    messages.success(request, f"Environment “{row.name}” removed.")
    return redirect("environments")


@require_POST
@require_permission(MANAGE_ENVIRONMENTS)
def grant(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST)
    if not form.is_valid():
        grants = EnvironmentRole.objects.select_related("user", "group")
        context = {"all": all_environments(), "grants": grants, "grant_form": form}
        return render(request, "environments/index.html", context, status=422)
    saved = form.save()
    audit.role_granted(request, saved)
    messages.success(request, f"Granted: {saved}.")
    return redirect("environments")


@require_POST
@require_permission(MANAGE_ENVIRONMENTS)
def revoke(request: HttpRequest) -> HttpResponse:
    """Remove the grant whose id is POSTed as `grant`."""
    grant_id = request.POST.get("grant", "")
    found = get_object_or_404(EnvironmentRole, pk=int(grant_id) if grant_id.isdigit() else None)
    audit.role_removed(request, found)
    found.delete()
    messages.success(request, f"Removed: {found}.")
    return redirect("environments")
