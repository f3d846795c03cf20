"""Roles per environment, enforced in one place: the authentication backend.

A user's global role (their group, dashboard/accounts/roles.py) applies in every environment,
unless an `EnvironmentRole` sets another there (the user's own grant, else the highest of their
groups'). The backend answers `has_perm` for the environment being shown, so
`@require_permission(...)` and `{% if perms.accounts.publish_versions %}` need no change.
Superusers hold every permission everywhere (Django checks that before any backend).
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from dashboard.accounts.roles import ADMIN, MANAGE_ENVIRONMENTS, ROLES

from .models import EnvironmentRole
from .registry import Environment, current_environment

# What a role grants per environment: the dashboard's own permissions, but for managing the
# environments themselves. The rest (user management in the Django admin) stays global.
PER_ENVIRONMENT = frozenset(
    permission for permission in ROLES[ADMIN] if permission.startswith("accounts.")
) - {MANAGE_ENVIRONMENTS}
_CACHE, _ROLE_CACHE = "_environment_perm_cache", "_environment_role_cache"


def role_in(user, environment: Environment) -> str | None:
    """The role granted to `user` in `environment`, or None: their global role applies
    (cached on the user object, which lives as long as its request)."""
    cache = _cache(user, _ROLE_CACHE)
    if environment.slug not in cache:
        cache[environment.slug] = _granted(user, environment)
    return cache[environment.slug]


def _cache(user, name: str) -> dict:
    # getattr/setattr, not __dict__: `request.user` is a lazy proxy of the user.
    cache = getattr(user, name, None)
    if cache is None:
        cache = {}
        setattr(user, name, cache)
    return cache


def _granted(user, environment: Environment) -> str | None:
    grants = EnvironmentRole.objects.filter(
        Q(user=user) | Q(group__in=user.groups.all()), environment=environment.slug
    ).values_list("user_id", "role")
    own = [role for user_id, role in grants if user_id is not None]
    if own:
        return own[0]
    ranked = list(ROLES)
    return max((role for _, role in grants), key=ranked.index, default=None)


def permissions_in(user, environment: Environment) -> set[str]:
    """Every permission `user` holds in `environment` (cached on the user object, as
    ModelBackend caches its own)."""
    cache = _cache(user, _CACHE)
    if environment.slug not in cache:
        held = ModelBackend().get_all_permissions(user)
        role = role_in(user, environment)
        if role is not None:
            held = (held - PER_ENVIRONMENT) | (set(ROLES[role]) & PER_ENVIRONMENT)
        cache[environment.slug] = held
    return cache[environment.slug]


class EnvironmentRoleBackend(ModelBackend):
    """Django's ModelBackend (login, user and group permissions), with the dashboard's
    permissions those of the user's role in the current environment."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return permissions_in(user_obj, current_environment())
