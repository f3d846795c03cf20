"""Changes to environments and to the roles granted in them, recorded in the audit log as
its entries for Connect API calls are: who, when, which environment, what changed. The API
key is a secret: an entry says it changed, never what it is."""

from django.http import HttpRequest

from dashboard.accounts.audit import record_mutation

from .forms import EnvironmentForm
from .models import AddedEnvironment, EnvironmentRole

# The fields an entry compares, before and after; the API key only ever as "changed".
_FIELDS = ("slug", "name", "colour", "base_url", "organisation_id")


def environment_saved(request: HttpRequest, form: EnvironmentForm, added: bool) -> None:
    """An environment added, or edited (each field changed, the key as a secret)."""
    saved = form.instance
    changes = [
        {"field": name, "before": "" if added else form.initial.get(name, ""), "after": value}
        for name in _FIELDS
        if (value := getattr(saved, name)) != ("" if added else form.initial.get(name, ""))
    ]
    if form.cleaned_data.get("api_key"):
        changes.append({"field": "api_key", "secret": True})
    _record(request, "add_environment" if added else "update_environment", saved, changes)


def environment_removed(request: HttpRequest, environment: AddedEnvironment) -> None:
    _record(request, "delete_environment", environment)


def role_granted(request: HttpRequest, grant: EnvironmentRole) -> None:
    _record(request, "grant_environment_role", grant)


def role_removed(request: HttpRequest, grant: EnvironmentRole) -> None:
    _record(request, "revoke_environment_role", grant)


def _record(
    request: HttpRequest,
    operation: str,
    thing: AddedEnvironment | EnvironmentRole,
    changes: list[dict] | None = None,
) -> None:
    if isinstance(thing, AddedEnvironment):
        slug, target = thing.slug, {"kind": "environment", "id": thing.slug, "name": thing.name}
    else:  # "publisher for pat" (the entry's environment says where)
        who = thing.user or thing.group
        target = {
            "kind": "environment_role",
            "id": str(thing.pk),
            "name": f"{thing.role} for {who}",
        }
        slug = thing.environment
    record_mutation(
        AddedEnvironment,
        operation=operation,
        method=request.method or "POST",
        path=request.path,
        outcome="ok",
        target=target,
        changes=changes,
        environment=slug,
    )
