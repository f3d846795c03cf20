"""Roles and the one way views check permissions.

Four roles, each a Django group: viewer, operator, publisher and
admin, each holding everything the one before holds and more. Views check a permission, never a
role name, with `@require_permission(PUBLISH_VERSIONS)`; templates hide controls with Django's
own `{% if perms.accounts.publish_versions %}`.
"""

import os
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render

from .models import DashboardPermission

VIEW_AUDIT_LOG = "accounts.view_auditentry"
CHANGE_CONNECTORS = "accounts.change_connectors"
MANAGE_CONNECTIONS = "accounts.manage_connections"
ROTATE_CREDENTIALS = "accounts.rotate_credentials"
IMPORT_SPECS = "accounts.import_specs"
MANAGE_VERSIONS = "accounts.manage_versions"
PUBLISH_VERSIONS = "accounts.publish_versions"
FORCE_DELETE = "accounts.force_delete"
MANAGE_ENVIRONMENTS = "accounts.manage_environments"

VIEWER, OPERATOR, PUBLISHER, ADMIN = "viewer", "operator", "publisher", "admin"

# What each role may do, lowest first. `sync_roles` makes the groups follow this table after
# every migrate; migration 0002 created them from a frozen copy.
_EVERY_VERB = ("add", "change", "delete", "view")
_VIEWER = (VIEW_AUDIT_LOG,)
_OPERATOR = (*_VIEWER, CHANGE_CONNECTORS, MANAGE_CONNECTIONS, ROTATE_CREDENTIALS)
_PUBLISHER = (*_OPERATOR, IMPORT_SPECS, MANAGE_VERSIONS, PUBLISH_VERSIONS)
_ADMIN = (
    *_PUBLISHER,
    FORCE_DELETE,
    MANAGE_ENVIRONMENTS,
    # User management and clearing login lockouts, in the Django admin.
    *(f"auth.{verb}_{model}" for model in ("user", "group") for verb in _EVERY_VERB),
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
)
ROLES: dict[str, tuple[str, ...]] = {
    VIEWER: _VIEWER,
    OPERATOR: _OPERATOR,
    PUBLISHER: _PUBLISHER,
    ADMIN: _ADMIN,
}

# What a permission lets its holder do, in words, for refusal messages.
_DESCRIPTIONS = {
    f"accounts.{codename}": name for codename, name in DashboardPermission._meta.permissions
} | {VIEW_AUDIT_LOG: "Read the audit log"}


def least_role(permission: str) -> str:
    """The lowest role granting `permission`."""
    return next(name for name, granted in ROLES.items() if permission in granted)


def describe(permission: str) -> str:
    """A refusal a user can act on: what was refused and which role allows it."""
    role = least_role(permission)
    action = _DESCRIPTIONS[permission][0].lower() + _DESCRIPTIONS[permission][1:]
    return f"Your role does not allow this ({action}). Ask an admin for the {role} role."


def require_permission(permission: str, *, methods: Iterable[str] | None = None) -> Callable:
    """Decorate a view so only users holding `permission` reach it.

    `methods` limits the check to those HTTP methods (e.g. `methods=["POST"]` for a page that
    anyone may read but only some may submit); by default every method needs it.

    Others get a 403: for htmx requests a one-sentence plain-text body, which the page shows in
    its error region (static/js/patchbay.js); otherwise the 403 page with the same sentence.
    The wrapped view carries `required_permission` and `permission_methods` (None: all), so
    tests can check every URL is guarded as the authorisation matrix says.
    """
    if permission not in _DESCRIPTIONS:
        raise ImproperlyConfigured(f"Unknown dashboard permission {permission!r}.")
    guarded_methods = frozenset(method.upper() for method in methods) if methods else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            checked = guarded_methods is None or request.method in guarded_methods
            if not checked or request.user.has_perm(permission):
                return view(request, *args, **kwargs)
            message = describe(permission)
            if request.headers.get("HX-Request") == "true":
                return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
            # Rendered here rather than raised: a refusal is expected, not worth a traceback.
            return render(request, "403.html", {"exception": message}, status=403)

        guarded.required_permission = permission
        guarded.permission_methods = guarded_methods
        return guarded

    return decorator


def sync_roles(**kwargs) -> None:
    """Make the role groups hold exactly the permissions in `ROLES`.

    Runs after every `migrate` (connected to `post_migrate`), so a deploy brings the roles up
    to date with this module and a database emptied by `flush` (as live-server tests do) gets
    its roles back. Migration 0002 created them first.
    """
    for role, granted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(name) for name in granted])


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def assign_role(user: AbstractBaseUser, role: str) -> None:
    """Make `user` hold exactly `role`. Only admins may use the Django admin (`is_staff`)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; the roles are {', '.join(ROLES)}.")
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    is_admin = role == ADMIN
    if user.is_staff != is_admin or (user.is_superuser and not is_admin):
        user.is_staff = is_admin
        user.is_superuser = user.is_superuser and is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    # ModelBackend caches permissions on the instance; drop them so checks see the new role.
    caches = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")
    for cache in (*caches, "_environment_perm_cache", "_environment_role_cache"):
        user.__dict__.pop(cache, None)


DEMO_PASSWORD_VARIABLE = "DEMO_PASSWORD"


def ensure_role_users(stdout: TextIO) -> None:
    """Create one demo user per role, named after it, and print how to log in as each.

    Passwords come from $DEMO_PASSWORD (the same for all, not printed), or are generated per
    user and printed once, when the user is created. Existing users keep their password and
    get their role back.
    """
    shared_password = os.environ.get(DEMO_PASSWORD_VARIABLE, "")
    users = get_user_model().objects
    for role in ROLES:
        user = users.filter(username=role).first()
        if user is None:
            password = shared_password or secrets.token_urlsafe(12)
            user = users.create_user(role, password=password)
            login = f"${DEMO_PASSWORD_VARIABLE}" if shared_password else password
        else:
            login = "(existing user, password unchanged)"
        assign_role(user, role)
        stdout.write(f"  {role:<10} {role} / {login}\n")
