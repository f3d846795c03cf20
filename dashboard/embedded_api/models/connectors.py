"""Connectors and what hangs directly off them: tags, categories, auth scheme configs, and the
counters behind `totalCount`.

Owned by the connectors area (dashboard/embedded_api/connectors).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .base import Timestamped

# The scope under which public connectors are counted for `GET /connectors` (organisation ids
# are ULIDs, so it cannot collide with one).
PUBLIC_SCOPE = "public"


class Connector(Timestamped):
    """A connector of one organisation."""

    class Protocol(models.TextChoices):
        HTTP = "http"
        BIGQUERY = "bigquery"

    organisation_id = models.CharField(max_length=26)
    name = models.CharField(max_length=200)
    protocol = models.CharField(max_length=20, choices=Protocol.choices)
    public = models.BooleanField(default=False)
    base_url = models.CharField(max_length=2000, blank=True)
    dataset_id = models.CharField(max_length=1024, blank=True)
    documentation_url = models.CharField(max_length=2000, blank=True)
    image_url = models.CharField(max_length=2000, blank=True)
    connection_variables = models.JSONField(default=list)

    class Meta:
        indexes = [
            # Each serves one list ordering without a sort step, so a page costs the same at
            # any table size: the organisation's list, by recency and by name, and the public one.
            models.Index(fields=["organisation_id", "-updated_at", "-id"]),
            models.Index(fields=["organisation_id", "name", "id"]),
            models.Index(fields=["public", "-updated_at", "-id"]),
        ]

    def __str__(self):
        return self.name

    def scopes(self) -> list[str]:
        """The lists this connector appears in: its organisation's and, if public, everyone's."""
        return [self.organisation_id, PUBLIC_SCOPE] if self.public else [self.organisation_id]


class ConnectorTag(models.Model):
    """One tag value of a connector (`value` is "" for a key given without values; real
    values are never empty).

    A row per value, rather than a JSON column, so `tags=key:value` filters are index lookups.
    Rows keep their insertion order (by id), which is the order the API returns them in.
    """

    connector = models.ForeignKey(
        Connector, on_delete=models.CASCADE, related_name="tag_rows", db_index=False
    )
    key = models.CharField(max_length=100)
    value = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["connector", "key", "value"]),
            models.Index(fields=["key", "value", "connector"]),
        ]

    def __str__(self):
        return f"{self.key}:{self.value}" if self.value else self.key


class ConnectorCategory(models.Model):
    connector = models.ForeignKey(
        Connector, on_delete=models.CASCADE, related_name="category_rows", db_index=False
    )
    category = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connector", "category"], name="connector_category_unique"
            )
        ]
        indexes = [models.Index(fields=["category", "connector"])]

    def __str__(self):
        return self.category


class AuthSchemeConfig(models.Model):
    """How a connector uses one auth scheme. `config` holds the scheme-specific fields of the
    contract's AuthSchemeConfig (camelCase, as sent) minus secrets, which live in credentials;
    `validation_messages` are computed whenever the connector's configs change."""

    class SchemeType(models.TextChoices):
        NONE = "none"
        API_KEY = "api-key"
        BASIC_AUTH = "basic-auth"
        OAUTH2 = "oauth2"
        HMAC = "hmac"
        CERTIFICATE = "certificate"

    connector = models.ForeignKey(
        Connector, on_delete=models.CASCADE, related_name="auth_scheme_configs", db_index=False
    )
    config_id = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    scheme_type = models.CharField(max_length=20, choices=SchemeType.choices)
    description = models.CharField(max_length=1000, blank=True)
    config = models.JSONField(default=dict)
    validation_messages = models.JSONField(default=list)
    # The oauth2-client credential this config created for its client secret (deleted with it).
    owned_credential_id = models.CharField(max_length=26, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connector", "config_id"], name="auth_scheme_config_id_unique"
            )
        ]
        indexes = [models.Index(fields=["connector", "position"])]
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.scheme_type} {self.config_id}"


class ConnectorCount(models.Model):
    """How many connectors a list scope holds, in total and per tag, tag key and category.

    `totalCount` for the common list queries (no filter, one tag, one category) is read from
    here instead of counting rows, so it costs one indexed lookup at any table size. Counts
    change in the same transaction as the connectors they count (see `count_changes`), so
    they are exact; `manage.py recount_connectors` rebuilds them after bulk loads.
    """

    scope = models.CharField(max_length=26)
    facet = models.CharField(max_length=320)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "facet"], name="connector_count_unique")
        ]

    def __str__(self):
        return f"{self.scope} {self.facet or '*'}: {self.n}"


ALL = ""


def tag_facet(key: str, value: str | None = None) -> str:
    return f"tag:{key}" if value is None else f"tag:{key}:{value}"


def category_facet(category: str) -> str:
    return f"category:{category}"


def counted_facets(connector: Connector) -> set[tuple[str, str]]:
    """The (scope, facet) counters this connector adds one to, read from the database."""
    facets = {ALL}
    for key, value in ConnectorTag.objects.filter(connector=connector).values_list("key", "value"):
        facets.add(tag_facet(key))
        if value:
            facets.add(tag_facet(key, value))
    for category in ConnectorCategory.objects.filter(connector=connector).values_list(
        "category", flat=True
    ):
        facets.add(category_facet(category))
    return {(scope, facet) for scope in connector.scopes() for facet in facets}


@contextmanager
def keeping_counts(connector: Connector) -> Iterator[None]:
    """Around a change to a connector's visibility, tags or categories: move its counts."""
    before = counted_facets(connector)
    yield
    count_changes(before, counted_facets(connector))


def count_changes(before: set[tuple[str, str]], after: set[tuple[str, str]]) -> None:
    """Move the counters from a connector's old facets to its new ones.

    The counter rows are created and locked in one fixed (sorted) order before they change,
    so concurrent writers queue on them instead of deadlocking."""
    added, removed = after - before, before - after
    if not added and not removed:
        return
    keys = sorted(added | removed)
    with transaction.atomic():
        ConnectorCount.objects.bulk_create(
            [ConnectorCount(scope=scope, facet=facet) for scope, facet in keys],
            ignore_conflicts=True,
        )
        counters = ConnectorCount.objects.filter(_matching(keys))
        list(counters.order_by("scope", "facet").select_for_update().values_list("pk"))
        for changed, delta in ((added, 1), (removed, -1)):
            if changed:
                counters.filter(_matching(changed)).update(n=F("n") + delta)


def _matching(keys: Iterable[tuple[str, str]]) -> Q:
    match = Q(pk__in=[])
    for scope, facet in keys:
        match |= Q(scope=scope, facet=facet)
    return match


@receiver(post_save, sender=Connector)
def _count_new_connector(sender, instance: Connector, created: bool, raw: bool, **kwargs):
    # Connectors created anywhere (the library import, fixtures) are counted; a new connector
    # has no tags or categories yet, those are counted where they are set.
    if created and not raw:
        count_changes(set(), {(scope, ALL) for scope in instance.scopes()})


@receiver(pre_delete, sender=Connector)
def _uncount_deleted_connector(sender, instance: Connector, **kwargs):
    # Before the cascade removes the tag and category rows the counters are derived from.
    count_changes(counted_facets(instance), set())


def recount_connectors() -> int:
    """Rebuild every counter from the rows with a few grouped queries (after a bulk load or a
    raw SQL change, which bypass the bookkeeping). Returns the number of counters."""
    rows: list[tuple[str, str, int]] = []
    for scope, public_only in (("organisation_id", {}), (None, {"public": True})):
        # Organisation counters group by organisation; the public ones form a single group.
        own = F(scope) if scope else Value(PUBLIC_SCOPE)
        of_connector = F(f"connector__{scope}") if scope else Value(PUBLIC_SCOPE)
        via = {f"connector__{name}": value for name, value in public_only.items()}
        connectors = Connector.objects.filter(**public_only).annotate(scope=own)
        tags = ConnectorTag.objects.filter(**via).annotate(scope=of_connector)
        categories = ConnectorCategory.objects.filter(**via).annotate(scope=of_connector)
        grouped = (
            (connectors.values_list("scope"), Count("id"), lambda: ALL),
            (tags.exclude(value="").values_list("scope", "key", "value"), Count("id"), tag_facet),
            (tags.values_list("scope", "key"), Count("connector", distinct=True), tag_facet),
            (categories.values_list("scope", "category"), Count("id"), category_facet),
        )
        for queryset, count, facet in grouped:
            for group_scope, *group, n in queryset.annotate(n=count).order_by():
                rows.append((group_scope, facet(*group), n))
    with transaction.atomic():
        ConnectorCount.objects.all().delete()
        ConnectorCount.objects.bulk_create(
            [ConnectorCount(scope=scope, facet=facet, n=n) for scope, facet, n in rows],
            batch_size=1000,
        )
    return len(rows)
