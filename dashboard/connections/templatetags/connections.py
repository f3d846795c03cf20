"""Labels and states for the connections pages: `{% load connections %}`."""

from datetime import datetime

from django import template

from dashboard.connections import identity as identities
from dashboard.connections.auth_scheme_forms import FORMS, GRANTS, SCHEME_TYPES
from dashboard.connections.worklist import CREDENTIAL_TYPES, state_of

register = template.Library()


@register.filter
def scheme_label(scheme_type: str) -> str:
    """`oauth2` → "OAuth 2.0"."""
    return SCHEME_TYPES.get(scheme_type, scheme_type)


@register.filter
def editable(scheme_type: str) -> bool:
    """Whether Patchbay has a form for this scheme type."""
    return scheme_type in FORMS


@register.filter
def grant_label(grant_type: str) -> str:
    return GRANTS.get(grant_type, grant_type)


@register.filter
def credential_type_label(credential_type: str) -> str:
    return CREDENTIAL_TYPES.get(credential_type, credential_type)


@register.filter
def expiry_state(expires_at: datetime | None) -> str:
    """ "expired", "soon" (within 7 days), "ok" or "never"."""
    return state_of(expires_at)


@register.filter
def identity(link) -> str:
    """Which credential a ConnectionCredential is, without its secret ("user alice")."""
    return identities.identity(link.credential, link.auth_scheme_config)


@register.filter
def was_typed(field) -> bool:
    """Whether something was submitted in `field` (a bound field): a secret that was is not
    sent back, so the page asks for it again; an empty one has nothing to re-enter."""
    return bool(field.form.is_bound and field.form.data.get(field.html_name))
