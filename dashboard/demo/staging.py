"""The demo's second environment: "staging", another organisation of the embedded API.

It holds the same demo connectors as production, and Paystream further along, as a team
testing a release would have it: version 1.2.0 published there (the 1.2.0 beta finished, one
action dropped: a breaking change) and a 1.3.0 beta drafted, a `stage` tag and a sandbox API key
config production lacks. Its connectors are private, so the library lists production's only.
So comparing and promoting Paystream has something to show.
"""

from datetime import datetime, timedelta

from django.db import transaction

from dashboard.embedded_api.connectors.auth_scheme_configs import add_auth_scheme_configs
from dashboard.embedded_api.models import (
    AuthSchemeConfig,
    Connector,
    ConnectorTag,
    ConnectorVersion,
)
from dashboard.embedded_api.models.connectors import keeping_counts
from dashboard.embedded_api.versions.contents import copy_version_contents
from dashboard.environments.models import AddedEnvironment
from dashboard.environments.registry import settings_environments

from .ids import demo_id
from .seed import _CONFIGS

SLUG = "staging"
ORGANISATION_ID = "01JQ0PATCHBAYSTAG1NGDEM0RG"
CONNECTOR = "paystream"
RELEASED, DRAFTED, BETA = "1.2.0", "1.3.0-beta.1", "1.2.0-beta.1"
DROPPED_ACTION_INDEX = -1  # the last action of the beta does not make the release


def ensure_environment() -> bool:
    """The staging environment, as an admin would add it (unless the settings name one);
    True when it was added now."""
    if any(environment.slug == SLUG for environment in settings_environments()):
        return False
    _, created = AddedEnvironment.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Staging", "colour": "amber", "organisation_id": ORGANISATION_ID},
    )
    return created


def keep_private(organisation_id: str) -> None:
    """Staging's copies of public demo connectors stay private: the library (every
    organisation's public connectors) shows production's once, not each twice."""
    for connector in Connector.objects.filter(organisation_id=organisation_id, public=True):
        with transaction.atomic(), keeping_counts(connector):  # out of the public counts
            connector.public = False
            Connector.objects.filter(pk=connector.pk).update(public=False)


def diverge(organisation_id: str, now: datetime) -> bool:
    """Move staging's Paystream ahead of production's, once; True when it was done now."""
    connector = Connector.objects.filter(
        pk=demo_id("connector", organisation_id, CONNECTOR)
    ).first()
    if connector is None or connector.versions.filter(name=RELEASED).exists():
        return False
    with transaction.atomic():
        beta = connector.versions.get(name=BETA)
        released = _copy(beta, RELEASED, published=now - timedelta(days=2))
        dropped = list(released.actions.all())[DROPPED_ACTION_INDEX]
        dropped.delete()
        _copy(released, DRAFTED, published=None)
        with keeping_counts(connector):
            ConnectorTag.objects.create(connector=connector, key="stage", value="candidate")
        last = connector.auth_scheme_configs.count()
        sandbox = {
            "id": demo_id("auth-scheme-config", CONNECTOR, "sandbox"),
            "description": "Sandbox API key",
            "schemeType": "api-key",
            "name": "X-Sandbox-Key",
            "in": "header",
        }
        add_auth_scheme_configs(connector, _CONFIGS.validate_python([sandbox]))
        AuthSchemeConfig.objects.filter(connector=connector, config_id=sandbox["id"]).update(
            position=last + 1
        )
        Connector.objects.filter(pk=connector.pk).update(updated_at=now)
    return True


def _copy(source: ConnectorVersion, name: str, published: datetime | None) -> ConnectorVersion:
    version = ConnectorVersion.objects.create(
        id=demo_id("version", source.connector_id, name),
        connector_id=source.connector_id,
        name=name,
        description=f"{source.description} Tested in staging as {name}.",
    )
    copy_version_contents(source, version)
    if published is not None:
        ConnectorVersion.objects.filter(pk=version.pk).update(
            published_at=published, updated_at=published
        )
    return version
