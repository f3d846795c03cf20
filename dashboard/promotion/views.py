"""The compare page, the promotion's preview (which starts its run), and the links from a
finished run to B's own pages.

A is the environment the page is shown in (`request.environment`, its client `get_client()`);
B the one chosen. The run is opened in B (its URL carries B's prefix), so its steps use B's
client and check the user's role in B.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.accounts.roles import describe
from dashboard.bulk import runs
from dashboard.connect import get_client
from dashboard.connectors import catalogue
from dashboard.environments.registry import (
    Environment,
    activated,
    can,
    client_for,
    get_environment,
    others_than,
    url_in,
)

from . import plan
from .compare import VersionPair, compare_connectors, compare_contents, counterpart_version
from .forms import CompareForm, PromoteForm
from .frozen import contents
from .target import Ambiguous, counterpart


def _choices(environments: list[Environment]) -> list[tuple[str, str]]:
    return [(e.slug, e.name) for e in environments]


@require_GET
def compare(request: HttpRequest, connector_id: str) -> HttpResponse:
    """The connector here against the connector of the same name in another environment, and
    for a chosen version, its contents (the version diff, breaking-change levels included)."""
    connector = get_client().connectors.get(connector_id)
    others = others_than(request.environment)  # type: ignore[attr-defined]
    versions = [v.name for v in connector.versions]
    form = CompareForm(request.GET or None, environments=_choices(others), versions=versions)
    context = {"connector": connector, "form": form, "others": others}
    if form.is_valid():
        there = get_environment(form.cleaned_data["with_"])
        context["there"] = there
        try:
            theirs = counterpart(client_for(there), connector.name)
        except Ambiguous as error:
            context["problem"] = str(error)
            return render(request, "promotion/compare.html", context)
        comparison = compare_connectors(connector, theirs, catalogue.protocol_names())
        context["comparison"] = comparison
        if theirs is not None:  # now the version compared against can be chosen among B's
            names = [v.name for v in theirs.versions]
            form = CompareForm(
                request.GET,
                environments=_choices(others),
                versions=versions,
                theirs=(there.name, names),
            )
            context["form"] = form
            if form.is_valid() and (name := form.cleaned_data["version"]):
                mine = next(v for v in connector.versions if v.name == name)
                other = counterpart_version(name, theirs.versions, form.cleaned_data["against"])
                context["version"] = VersionPair(name, mine, other)
                if other is not None:
                    context["report"] = compare_contents(
                        contents(get_client(), connector.id, mine),
                        contents(client_for(there), theirs.id, other),
                    )
        context["promote_url"] = reverse("promotion_preview", args=[connector.id])
    return render(request, "promotion/compare.html", context)


@require_http_methods(["GET", "POST"])
def promote(request: HttpRequest, connector_id: str) -> HttpResponse:
    """GET: the preview, step by step, of promoting into the chosen environment. POST (the
    preview's button): the same preview made afresh and, if nothing blocks it, its run."""
    here = request.environment  # type: ignore[attr-defined]
    connector = get_client().connectors.get(connector_id)
    others = others_than(request.environment)  # type: ignore[attr-defined]
    versions = [v.name for v in connector.versions]
    # Submitted (the form always sends `version`), or opened from a link (?to=staging): then
    # a blank form, with nothing to complain about yet.
    submitted = request.method == "POST" or "version" in request.GET
    form = PromoteForm(
        (request.POST or request.GET) if submitted else None,
        environments=_choices(others),
        versions=versions,
        initial=None if submitted else {"to": request.GET.get("to")},
    )
    context = {"connector": connector, "form": form}
    if not form.is_valid():
        status = 422 if form.is_bound else 200
        return render(request, "promotion/preview.html", context, status=status)
    there = get_environment(form.cleaned_data["to"])
    if there.backend_key == here.backend_key:  # it would copy the connector onto itself
        form.add_error(
            "to",
            f"{there.name} is the same Connect API and organisation as {here.name}, shown "
            f"here: promoting would copy {connector.name} onto itself. Nothing was done; "
            "choose another environment.",
        )
        return render(request, "promotion/preview.html", context, status=422)
    made = plan.preview(
        get_client(),
        client_for(there),
        connector.id,
        form.cleaned_data["version"] or None,
        with_connector=form.cleaned_data["connector"],
        there=there.name,
    )
    blockers = list(made.blockers)
    if not can(request.user, there, plan.PERMISSION):
        blockers.insert(0, f"In {there.name}: {describe(plan.PERMISSION)}")
    context |= {"there": there, "plan": made, "blockers": blockers}
    if request.method == "POST" and not blockers and made.to_do:
        with activated(there):  # the run acts on B: its steps use B's client and roles
            run = runs.start(
                request.user,
                plan.ACTION,
                plan.items(made),
                plan.params(
                    made,
                    source=here.name,
                    target=there.name,
                    organisation=there.organisation_id,
                    next_steps=_next_steps(made, there),
                ),
                back_url=_comparison(here, connector.id, there, form.cleaned_data["version"]),
            )
        return redirect(url_in(there, reverse("bulk_run", args=[run.pk])))
    return render(request, "promotion/preview.html", context)


def _comparison(here: Environment, connector_id: str, there: Environment, version: str) -> str:
    """The compare page the promotion started from (in A), of the version promoted."""
    query = {"with": there.slug} | ({"version": version} if version else {})
    return f"{url_in(here, reverse('promotion_compare', args=[connector_id]))}?{urlencode(query)}"


def _next_steps(made: plan.Plan, there: Environment) -> list[list[str]]:
    """Links the finished run shows, to B's pages (found by name when followed): the
    connector, and what is still to do there (connections, publishing) as the preview found."""
    name, version = made.frozen["connector"]["name"], made.frozen["version"]
    opening = url_in(there, reverse("promotion_open"))
    steps = [[f"{name} in {there.name}", f"{opening}?{urlencode({'connector': name})}"]]
    if not made.connected_there:
        steps.append(
            [
                f"Set up connections for {name} in {there.name} (none are copied)",
                f"{opening}?{urlencode({'connector': name, 'page': 'connections'})}",
            ]
        )
    if version and not made.published_there:
        query = urlencode({"connector": name, "version": version["name"], "page": "version"})
        steps.append(
            [
                f"Publish {version['name']} in {there.name} (with your role there)",
                f"{opening}?{query}",
            ]
        )
    return steps


@require_GET
def open_in_environment(request: HttpRequest) -> HttpResponseRedirect:
    """A promoted connector's page, its connections tab, or a version's page, in the
    environment this URL shows: found by name, since the run that created it gave it an id
    only there."""
    name = request.GET.get("connector", "")
    try:
        found = counterpart(get_client(), name) if name else None
    except Ambiguous:
        found = None
    if found is None:
        raise Http404(f"There is no connector named “{name}” here.")
    if request.GET.get("page") == "version":
        version = request.GET.get("version", "")
        if version not in {v.name for v in found.versions}:
            raise Http404(f"{name} has no version “{version}” here.")
        return redirect("version_detail", found.id, version)
    if request.GET.get("page") == "connections":
        return redirect("connector_connections", found.id)
    return redirect("connector_detail", found.id)
