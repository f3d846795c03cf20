"""Template filters for the library: `{% load library %}`."""

from django import template

from dashboard.library.imported import Imported

register = template.Library()


@register.filter
def imports_of(connector_id: str, imported: dict[str, Imported]) -> Imported | None:
    """This organisation's imports of the public connector `connector_id`, if any."""
    return imported.get(connector_id)
