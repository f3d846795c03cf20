from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from dashboard.accounts.roles import ROLES
from dashboard.environments.registry import all_environments, current_environment
from dashboard.environments.roles import role_in


def backend(request):
    """Which environment and Connect API the page shows, for the header and its switcher."""
    environment = getattr(request, "environment", None) or current_environment()
    return {
        "environment": environment,
        "environments": SimpleLazyObject(all_environments),
        "connect_backend": environment.backend,
        "connect_organisation_id": environment.organisation_id,
    }


# (label, URL name, path prefixes that belong to the section besides the link itself, the keys
# that go there: static/js/keys.js binds them, the shortcuts dialog lists them)
NAVIGATION = (
    ("Overview", "home", (), "g o"),
    ("Connectors", "connectors", (), "g c"),
    ("Library", "library", (), "g l"),
    ("Credentials", "credentials", (), "g r"),
    ("Audit", "audit", (), "g a"),
)


def navigation(request):
    """The main navigation, with the section the current page belongs to marked current.
    Paths are compared without the environment's prefix (`path_info`)."""
    path, home = request.path_info, reverse("home")
    items = []
    for label, name, prefixes, keys in NAVIGATION:
        url = reverse(name)
        section = url.removeprefix(home.rstrip("/"))
        current = path == section or (section != "/" and path.startswith(section))
        items.append(
            {
                "label": label,
                "url": url,
                "current": current or path.startswith(prefixes),
                "keys": keys,
            }  # fmt: skip
        )
    return {"nav_items": items}


def role(request):
    """The signed-in user's role, for the header (a user may hold none). Looked up only when
    a template shows it: an htmx fragment has no header, and needs no query for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def held_role() -> str:
        held = {group.name for group in user.groups.all()}
        role = next((name for name in reversed(ROLES) if name in held), None)
        if user.is_superuser:  # every right everywhere, whatever the environment grants
            return role or "superuser"
        environment = getattr(request, "environment", None) or current_environment()
        return role_in(user, environment) or role or "no role"

    return {"user_role": SimpleLazyObject(held_role)}
