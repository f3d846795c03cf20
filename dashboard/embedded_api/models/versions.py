"""Connector versions and everything versioned: definitions, actions, triggers.

Owned by the versions area (embedded_api/versions). A version is a draft until `published_at`
is set; published versions are immutable (the views enforce it). Names are unique by database
constraint, so concurrent writers get a clean conflict instead of duplicates.
"""

from django.db import models

from .base import Timestamped


class ConnectorVersion(Timestamped):
    """One version of a connector: the set of definitions, actions and triggers."""

    connector = models.ForeignKey(
        "embedded_api.Connector", on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set by the user on a published version; without one, `default` means `latest`.
    is_default = models.BooleanField(default=False)
    # The public version this draft was imported from (library import), to import further
    # versions of the same connector into the same copy.
    imported_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connector", "name"], name="version_name_unique"),
            models.UniqueConstraint(
                fields=["connector"],
                condition=models.Q(is_default=True),
                name="one_default_version_per_connector",
            ),
        ]
        indexes = [
            models.Index(fields=["connector", "-updated_at", "-id"]),
            models.Index(fields=["connector", "-published_at", "-id"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Definition(Timestamped):
    """A schema (JSON Schema, or XML Schema kept verbatim) used by actions and triggers.

    `schema` holds a JSON Schema whose references to other definitions of the version are
    stored as `urn:patchbay:definition:<id>`, so they survive renames and copies; they are
    rendered as public URLs when served. `references` mirrors those references for
    `referencedBy` and delete checks.
    """

    version = models.ForeignKey(
        ConnectorVersion, on_delete=models.CASCADE, related_name="definitions"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    accept = models.JSONField(default=list)
    content_type = models.CharField(max_length=200)
    schema = models.JSONField(null=True, blank=True)
    source = models.TextField(blank=True)
    references = models.ManyToManyField(
        "self", symmetrical=False, related_name="referenced_by", blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="definition_name_unique")
        ]
        indexes = [models.Index(fields=["version", "-updated_at", "-id"])]

    def __str__(self):
        return self.name


class Endpoint(Timestamped):
    """What actions and triggers share. `spec` holds the protocol fields (method, path,
    parameters, requestBody, responses) with definition links as `{"id", "definition": <id>}`;
    `definitions` mirrors the linked definitions for `referencedBy` and delete checks."""

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, default="http")
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    spec = models.JSONField(default=dict)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Action(Endpoint):
    version = models.ForeignKey(ConnectorVersion, on_delete=models.CASCADE, related_name="actions")
    definitions = models.ManyToManyField(Definition, related_name="actions", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="action_name_unique")
        ]
        indexes = [models.Index(fields=["version", "-updated_at", "-id"])]


class Trigger(Endpoint):
    version = models.ForeignKey(ConnectorVersion, on_delete=models.CASCADE, related_name="triggers")
    definitions = models.ManyToManyField(Definition, related_name="triggers", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="trigger_name_unique")
        ]
        indexes = [models.Index(fields=["version", "-updated_at", "-id"])]


class Subscription(models.Model):
    """Another product's use of a published version (e.g. a live Switchboard integration).

    The contract has no endpoints for these yet; products register them internally. A version
    with subscriptions cannot be unpublished, nor deleted without `force`.
    """

    version = models.ForeignKey(
        ConnectorVersion, on_delete=models.CASCADE, related_name="subscriptions"
    )
    subscriber = models.CharField(max_length=100)
    reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.subscriber}:{self.reference}"
