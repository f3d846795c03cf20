"""What the demo organisation holds, in a few lines for `seed_demo` to print."""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from dashboard.embedded_api.models import (
    Action,
    Connection,
    Connector,
    ConnectorVersion,
    Credential,
    Trigger,
)


def lines(organisation_id: str, now: datetime) -> list[str]:
    connectors = Connector.objects.filter(organisation_id=organisation_id)
    by_protocol = dict(
        connectors.values_list("protocol").annotate(n=Count("id")).order_by("protocol")
    )
    versions = ConnectorVersion.objects.filter(connector__organisation_id=organisation_id)
    published = versions.filter(published_at__isnull=False).count()
    in_versions = {"version__connector__organisation_id": organisation_id}
    credentials = Credential.objects.filter(organisation_id=organisation_id).aggregate(
        total=Count("id"),
        soon=Count("id", filter=Q(expires_at__gt=now, expires_at__lte=now + timedelta(days=7))),
        expired=Count("id", filter=Q(expires_at__lte=now)),
        failing=Count("id", filter=~Q(errors=[])),
    )
    public = Connector.objects.filter(public=True)
    return [
        f"Organisation {organisation_id}: {sum(by_protocol.values())} connectors ("
        + ", ".join(f"{n} {protocol}" for protocol, n in by_protocol.items())
        + ")",
        f"Versions: {published} published, {versions.count() - published} drafts, with "
        f"{Action.objects.filter(**in_versions).count()} actions and "
        f"{Trigger.objects.filter(**in_versions).count()} triggers",
        f"Connections: {Connection.objects.filter(connector__in=connectors).count()}; "
        f"credentials: {credentials['total']} ({credentials['soon']} expire within 7 days, "
        f"{credentials['expired']} expired, {credentials['failing']} with errors)",
        f"Library: {public.count()} public connectors, "
        f"{public.exclude(organisation_id=organisation_id).count()} of other organisations",
    ]
