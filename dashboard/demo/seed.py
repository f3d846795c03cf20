"""Writing the demo data into the embedded API's tables with the API's own building blocks:
its request schemas validate every auth scheme config, the OpenAPI importer and
`create_version_contents` fill versions, `credential_data` validates and encrypts secrets,
the library import copies a public connector, and `recount_connectors` rebuilds the list
counters at the end.

Ids are stable (see `ids`), timestamps relative to the moment of seeding, so an expiry "in
3 days" is three days after the seed. A connector the organisation already has is left
alone, so seeding again changes nothing, and a demo connector deleted by hand comes back.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urljoin

import pydantic
from django.conf import settings
from django.db import transaction

from dashboard.embedded_api.connections import credential_data
from dashboard.embedded_api.connections.serialise import auth_scheme_config
from dashboard.embedded_api.connectors.auth_scheme_configs import add_auth_scheme_configs
from dashboard.embedded_api.connectors.schemas import AuthSchemeConfigIn
from dashboard.embedded_api.models import (
    Action,
    AuthSchemeConfig,
    Connection,
    ConnectionCredential,
    ConnectionSubscription,
    Connector,
    ConnectorCategory,
    ConnectorTag,
    ConnectorVersion,
    Credential,
    Definition,
    Subscription,
    Trigger,
)
from dashboard.embedded_api.models.connectors import recount_connectors
from dashboard.embedded_api.versions.contents import copy_version_contents, create_version_contents
from dashboard.embedded_api.versions.views.library import copy_connector
from dashboard.openapi import ImportResult, import_document

from . import catalogue, specs
from .catalogue import DEFAULT, DRAFT, FATES, SHARED, DemoConnector, DemoWarehouse, Fate
from .credentials import credential_for, fake_secret
from .ids import demo_id, number

_CONFIGS = pydantic.TypeAdapter(list[AuthSchemeConfigIn])

# How a credential is named after its type ("Paystream Production API key").
_LABELS = {
    "none": "no credentials",
    "string": "API key",
    "binary": "webhook signing secret",
    "basic-auth": "login",
    "oauth2-token": "OAuth 2.0 token",
    "oauth2-client": "OAuth 2.0 client",
    "oauth2-password": "OAuth 2.0 login",
    "certificate": "client certificate",
}

GOOGLE_OAUTH2 = {
    "schemeType": "oauth2",
    "description": "Google account",
    "authorizeUrl": "https://accounts.google.com/o/oauth2/v2/auth",
    "tokenUrl": "https://oauth2.googleapis.com/token",
    "scopes": [
        {
            "name": "https://www.googleapis.com/auth/bigquery",
            "description": "View and manage your data in Google BigQuery",
        }
    ],
    "defaultScopes": ["https://www.googleapis.com/auth/bigquery"],
    "grant": {"grantType": "authorization_code"},
}


@dataclass(frozen=True)
class Unit:
    """One demo connector with everything under it, created whole or not at all."""

    connector_id: str
    build: Callable[[], None]


def seed(organisation_id: str, now: datetime) -> int:
    """Create whatever demo connectors `organisation_id` and the library lack; return how many
    were created (0: everything was there, and nothing was written)."""
    seeder = Seeder(organisation_id, now.replace(microsecond=0))
    units = seeder.units()
    present = set(
        Connector.objects.filter(pk__in=[unit.connector_id for unit in units]).values_list(
            "pk", flat=True
        )
    )
    missing = [unit for unit in units if unit.connector_id not in present]
    _follow_public_url([organisation_id, catalogue.LIBRARY_ORGANISATION_ID])
    needs_import = not seeder.has_library_import()
    if not missing and not needs_import:
        return 0
    with transaction.atomic():
        for unit in missing:
            unit.build()
        if needs_import:
            seeder.import_from_library()
        # Tags and categories are written in bulk here, around the per-change bookkeeping.
        recount_connectors()
    return len(missing) + needs_import


class Seeder:
    def __init__(self, organisation_id: str, now: datetime):
        self.organisation_id = organisation_id
        self.now = now

    def units(self) -> list[Unit]:
        """Library first (the oldest), then the organisation's connectors, oldest first."""
        units = []
        plans = [(catalogue.LIBRARY_ORGANISATION_ID, item) for item in catalogue.LIBRARY]
        plans += [(self.organisation_id, item) for item in catalogue.CONNECTORS]
        plans += [(self.organisation_id, item) for item in catalogue.WAREHOUSES]
        for index, (organisation_id, item) in enumerate(plans):
            # Spread over the last ~200 days: the first connector the oldest.
            born = self.now - timedelta(days=200 - index * 200 / (len(plans) + 5), hours=index)
            connector_id = demo_id("connector", organisation_id, item.slug)
            if isinstance(item, DemoWarehouse):
                build = partial(self.warehouse, connector_id, item, born)
            else:
                build = partial(self.http_connector, connector_id, organisation_id, item, born)
            units.append(Unit(connector_id, build))
        return units

    # --- HTTP connectors --------------------------------------------------------------------

    def http_connector(
        self, connector_id: str, organisation_id: str, item: DemoConnector, born: datetime
    ) -> None:
        plan = catalogue.PLANS[item.plan]
        imports = [
            import_document(specs.document(item.api, revision, name))
            for revision, (name, _) in enumerate(plan)
        ]
        first = imports[0].connector
        connector = Connector.objects.create(
            id=connector_id,
            organisation_id=organisation_id,
            name=first.name,
            protocol=Connector.Protocol.HTTP,
            public=item.public,
            base_url=first.base_url,
            documentation_url=first.documentation_url,
            image_url=logo_url(item.slug),
            connection_variables=[{"name": n, "value": v} for n, v in item.variables],
        )
        add_auth_scheme_configs(connector, self._auth_scheme_configs(item, imports[0]))
        _label(connector, item.tags, item.categories)
        last = self._versions(connector, item, imports, born)
        last = max(last, self._connections(connector, item.slug, item.connections, born))
        if item.in_use:
            _subscribe(connector, item.slug)
        self._settle(connector, born, last)

    def _auth_scheme_configs(self, item: DemoConnector, imported: ImportResult) -> list:
        """The document's configs (as the importer made them, with stable ids and readable
        descriptions), plus the webhook-signing config the document cannot express."""
        bodies = []
        for index, config in enumerate(imported.auth_scheme_configs):
            body = {
                **config,
                "id": demo_id("auth-scheme-config", item.slug, str(index)),
                "description": catalogue.AUTH_DESCRIPTIONS.get(
                    config["description"], config["description"]
                ),
            }
            grant = body.get("grant", {})
            if item.oauth2_client and grant.get("grantType") == "authorization_code":
                # The connector's own OAuth 2.0 client: stored as an oauth2-client credential.
                body["grant"] = {
                    **grant,
                    "clientId": f"patchbay-{item.slug}",
                    "clientSecret": fake_secret("client", item.slug),
                }
            bodies.append(body)
        if item.signing:
            algorithm, inputs = item.signing
            bodies.append(
                {
                    "id": demo_id("auth-scheme-config", item.slug, "signing"),
                    "description": "Webhook signature",
                    "schemeType": "hmac",
                    "name": f"X-{item.api.title.split()[0]}-Signature",
                    "in": "header",
                    "algorithm": algorithm,
                    "digestInputs": list(inputs),
                }
            )
        return _CONFIGS.validate_python(bodies)

    def _versions(
        self, connector: Connector, item: DemoConnector, imports: list, born: datetime
    ) -> datetime:
        """Each version of the plan imported from its revision of the document, published as
        planned; returns when the last of them changed."""
        plan = catalogue.PLANS[item.plan]
        span = self.now - born
        last = born
        latest = None
        for revision, ((name, state), result) in enumerate(zip(plan, imports, strict=True)):
            version = ConnectorVersion.objects.create(
                id=demo_id("version", connector.pk, name),
                connector=connector,
                name=name,
                description=f"Imported from the {item.api.title} OpenAPI document, version {name}.",
            )
            create_version_contents(
                version,
                [definition.to_create() for definition in result.definitions],
                result.actions,
                result.triggers,
            )
            created = born + span * (revision + 0.3) / len(plan)
            if state == DRAFT:
                # Last edited somewhere between its creation and now.
                share = 0.5 + number(item.slug) % 50 / 100
                published, updated = None, created + (self.now - created) * share
            else:
                # Publishable as the API checks it: tests/demo asserts no action has errors.
                published = updated = created + timedelta(hours=6)
                latest = version
            ConnectorVersion.objects.filter(pk=version.pk).update(
                created_at=created,
                updated_at=updated,
                published_at=published,
                is_default=state == DEFAULT,
            )
            for model in (Definition, Action, Trigger):
                model.objects.filter(version=version).update(created_at=created, updated_at=created)
            last = max(last, updated)
        if item.in_use and latest is not None:
            Subscription.objects.create(
                version=latest, subscriber="switchboard", reference=f"integrations/{item.slug}"
            )
        return last

    # --- BigQuery connectors ----------------------------------------------------------------

    def warehouse(self, connector_id: str, item: DemoWarehouse, born: datetime) -> None:
        connector = Connector.objects.create(
            id=connector_id,
            organisation_id=self.organisation_id,
            name=item.name,
            protocol=Connector.Protocol.BIGQUERY,
            dataset_id=item.dataset_id,
            documentation_url="https://cloud.google.com/bigquery/docs",
            image_url=logo_url(item.slug),
        )
        config = {**GOOGLE_OAUTH2, "id": demo_id("auth-scheme-config", item.slug, "google")}
        add_auth_scheme_configs(connector, _CONFIGS.validate_python([config]))
        _label(connector, item.tags, item.categories)
        last = self._connections(connector, item.slug, item.connections, born)
        self._settle(connector, born, last)

    # --- connections and credentials --------------------------------------------------------

    def _connections(
        self, connector: Connector, slug: str, names: tuple[str, ...], born: datetime
    ) -> datetime:
        """Connections whose actions use one of the connector's configs (each connection the
        next one) and whose triggers use its webhook-signing config, if any."""
        configs = list(connector.auth_scheme_configs.order_by("position"))
        for_actions = [config for config in configs if config.scheme_type != "hmac"]
        signing = [config for config in configs if config.scheme_type == "hmac"]
        last = born
        for index, name in enumerate(names):
            when = born + timedelta(days=1, hours=5 * index)
            connection = Connection.objects.create(
                id=demo_id("connection", connector.pk, name),
                connector=connector,
                name=name,
                variables=[
                    {"name": v["name"], "value": v["value"] if index == 0 else f"{v['value']}-test"}
                    for v in connector.connection_variables
                ],
                created_at=when,
                updated_at=when,
            )
            links = [("action", for_actions[index % len(for_actions)])]
            links += [("trigger", config) for config in signing]
            for kind, config in links:
                credential = self._credential(connector, config, slug, name, kind, when)
                ConnectionCredential.objects.create(
                    id=demo_id("connection-credential", connection.pk, kind),
                    connection=connection,
                    credential=credential,
                    kind=kind,
                    position=0,
                    auth_scheme_config_id=config.config_id,
                    auth_scheme_config=auth_scheme_config(config),
                )
            last = max(last, when)
        return last

    def _credential(
        self,
        connector: Connector,
        config: AuthSchemeConfig,
        slug: str,
        connection: str,
        kind: str,
        when: datetime,
    ) -> Credential:
        """The credential a link uses: the connection's own (created inline, as
        CreateConnection does), or an organisation credential several connections share."""
        own = f"{slug}/{connection}" if kind == "action" else f"{slug}/{connection}/signing"
        key = (SHARED.get((slug, connection)) if kind == "action" else None) or own
        credential_id = demo_id("credential", self.organisation_id, key)
        existing = Credential.objects.filter(pk=credential_id).first()
        if existing is not None:
            return existing
        fate = FATES.get(key, Fate())
        expires_at = self._expiry(config, key, fate)
        credential_type, data = credential_for(config, key, self.now, expires_at)
        label = _LABELS[credential_type]
        # Validated and encrypted exactly as `connections.credentials.new_credential` does.
        credential_data.check_type(credential_type, "type")
        valid = credential_data.validate(credential_type, data)
        public, secret = credential_data.split(credential_type, valid)
        updated = when
        if fate.rotated is not None:
            updated = max(updated, self.now - timedelta(days=fate.rotated))
        if fate.errors:  # checked (and found failing) within the last day
            updated = max(updated, self.now - timedelta(days=1))
        return Credential.objects.create(
            id=credential_id,
            organisation_id=connector.organisation_id,
            name=fate.name or f"{connector.name} {connection} {label}",
            type=credential_type,
            public_data=public,
            secret_data=secret,
            expires_at=expires_at,
            errors=list(fate.errors),
            inline=key == own,
            created_at=when,
            updated_at=updated,
        )

    def _expiry(self, config: AuthSchemeConfig, key: str, fate: Fate) -> datetime | None:
        """The fate's expiry; otherwise tokens and certificates expire some weeks or months
        ahead, and other secrets never."""
        if fate.expires_in is not None:
            return self.now + timedelta(days=fate.expires_in)
        grant = config.config.get("grant", {}).get("grantType")
        if config.scheme_type == "oauth2" and grant == "authorization_code":
            return self.now + timedelta(days=40 + number(key) % 60)
        if config.scheme_type == "certificate":
            return self.now + timedelta(days=120 + number(key) % 240)
        return None

    # --- the library ------------------------------------------------------------------------

    def _library_source(self) -> str:
        return demo_id(
            "connector", catalogue.LIBRARY_ORGANISATION_ID, catalogue.IMPORTED_FROM_LIBRARY
        )

    def has_library_import(self) -> bool:
        return ConnectorVersion.objects.filter(
            connector__organisation_id=self.organisation_id,
            imported_from__connector_id=self._library_source(),
        ).exists()

    def import_from_library(self) -> None:
        """The organisation's copy of a library connector's latest version, made as
        ImportPublicConnectorVersion makes it."""
        source = Connector.objects.get(pk=self._library_source())
        version = source.versions.filter(published_at__isnull=False).latest("published_at")
        copy = copy_connector(source, self.organisation_id)
        imported = ConnectorVersion.objects.create(
            connector=copy,
            name=version.name,
            description=version.description,
            imported_from=version,
        )
        copy_version_contents(version, imported)
        when = self.now - timedelta(days=4)
        ConnectorVersion.objects.filter(pk=imported.pk).update(created_at=when, updated_at=when)
        for model in (Definition, Action, Trigger):
            model.objects.filter(version=imported).update(created_at=when, updated_at=when)
        Connector.objects.filter(pk=copy.pk).update(created_at=when, updated_at=when)

    # --- timestamps -------------------------------------------------------------------------

    def _settle(self, connector: Connector, born: datetime, last: datetime) -> None:
        """Backdate what the building blocks stamped with the current time."""
        Connector.objects.filter(pk=connector.pk).update(created_at=born, updated_at=last)
        owned = connector.auth_scheme_configs.exclude(owned_credential_id="").values_list(
            "owned_credential_id", flat=True
        )
        Credential.objects.filter(pk__in=list(owned)).update(created_at=born, updated_at=born)


def _label(connector: Connector, tags: dict[str, list[str]], categories) -> None:
    ConnectorTag.objects.bulk_create(
        ConnectorTag(connector=connector, key=key, value=value)
        for key, values in tags.items()
        for value in (values or [""])
    )
    ConnectorCategory.objects.bulk_create(
        ConnectorCategory(connector=connector, category=category) for category in categories
    )


def _subscribe(connector: Connector, slug: str) -> None:
    """Another product (a live integration) uses the connector's first connection."""
    connection = connector.connections.order_by("created_at", "id").first()
    if connection is not None:
        ConnectionSubscription.objects.create(
            connection=connection, subscriber="switchboard", reference=f"integrations/{slug}"
        )


def _follow_public_url(organisation_ids: list[str]) -> None:
    """Point the demo logos at today's EMBEDDED_API_PUBLIC_URL: it follows HOST and PORT, so
    `make run PORT=8100` after a run on 8000 must not keep handing out port-8000 logos."""
    logos = Connector.objects.filter(
        organisation_id__in=organisation_ids, image_url__contains="/demo/logos/"
    )
    for connector_id, image_url in logos.values_list("pk", "image_url"):
        current = logo_url(image_url.rsplit("/", 1)[1].removesuffix(".svg"))
        if image_url != current:
            Connector.objects.filter(pk=connector_id).update(image_url=current)


def logo_url(slug: str) -> str:
    """The demo logo served with the dashboard's static files, as an absolute URL (the API's
    `imageURL` is a URL, and the Content-Security-Policy only allows this site's images)."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    return urljoin(settings.EMBEDDED_API_PUBLIC_URL, f"{static}demo/logos/{slug}.svg")
