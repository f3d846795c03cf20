"""`{% other_environments as others %}`: the environments a page's connector can be compared
with (all but the one shown), for the connector header's "Compare with" links."""

from django import template

from dashboard.environments.registry import Environment, others_than

register = template.Library()


@register.simple_tag(takes_context=True)
def other_environments(context: template.Context) -> list[Environment]:
    here = getattr(context.get("request"), "environment", None)
    return others_than(here, context.get("environments"))
