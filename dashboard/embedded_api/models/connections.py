"""Connections of a connector and the organisation's credentials they authenticate with.

Owned by the connections area (dashboard/embedded_api/connections). A credential belongs to
the organisation, not to a connection: connections link to credentials through
`ConnectionCredential` rows (action or trigger, in order, each with the connector's auth
scheme config it satisfies), so one credential can serve several connections and is rotated
once for all of them.
"""

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .base import Timestamped, new_id


class Credential(Timestamped):
    """A secret of an organisation. `public_data` holds the non-secret fields of the contract's
    credential data (a username, a client id, granted scopes); the secret fields are in
    `secret_data`, encrypted (see embedded_api.crypto) and never returned by the API."""

    class Type(models.TextChoices):
        NONE = "none"
        STRING = "string"
        BINARY = "binary"
        BASIC_AUTH = "basic-auth"
        OAUTH2_CLIENT = "oauth2-client"
        OAUTH2_TOKEN = "oauth2-token"
        OAUTH2_PASSWORD = "oauth2-password"
        CERTIFICATE = "certificate"

    organisation_id = models.CharField(max_length=26)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=Type.choices)
    public_data = models.JSONField(default=dict)
    secret_data = models.TextField()
    expires_at = models.DateTimeField(null=True, blank=True)
    # Problems found with the credential (a failed re-authorisation); cleared when rotated.
    errors = models.JSONField(default=list)
    # Created inline with a connection: deleted when no connection uses it any more.
    inline = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["organisation_id", "-updated_at", "-id"]),
            models.Index(fields=["organisation_id", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.type})"


class Connection(Timestamped):
    """One instance of a connector's external system (production, staging...): its variables
    and the credentials its actions and triggers authenticate with."""

    connector = models.ForeignKey(
        "embedded_api.Connector", on_delete=models.CASCADE, related_name="connections"
    )
    name = models.CharField(max_length=200)
    variables = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connector", "name"], name="connection_name_unique")
        ]
        indexes = [models.Index(fields=["connector", "-updated_at", "-id"])]

    def __str__(self):
        return self.name


class ConnectionCredential(models.Model):
    """A credential applied to a connection's actions or triggers, in `position` order, through
    one of the connector's auth scheme configs.

    The config is referenced by its client-made id; `auth_scheme_config` keeps a copy of it as
    it was when linked, because the contract lets a config be deleted while connections made
    with it remain."""

    class Kind(models.TextChoices):
        ACTION = "action"
        TRIGGER = "trigger"

    id = models.CharField(primary_key=True, max_length=26, default=new_id, editable=False)
    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="connection_credentials"
    )
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField()
    auth_scheme_config_id = models.CharField(max_length=100)
    auth_scheme_config = models.JSONField()

    class Meta:
        ordering = ["kind", "position"]
        indexes = [models.Index(fields=["connection", "kind", "position"])]

    def __str__(self):
        return f"{self.connection} {self.kind}[{self.position}] {self.credential}"


class ConnectionSubscription(models.Model):
    """Another product's use of a connection (e.g. a live Switchboard integration). The contract
    has no endpoints for these; products register them internally. A connection with
    subscriptions is "in use": it is not deleted without `force`."""

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="subscriptions"
    )
    subscriber = models.CharField(max_length=100)
    reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.subscriber}:{self.reference}"


@receiver(post_delete, sender=ConnectionCredential)
def _drop_orphaned_inline_credential(sender, instance: ConnectionCredential, **kwargs):
    # However the link goes (connection or connector deleted, credential unlinked), a secret
    # that was created for connections and no longer serves one is not kept around.
    Credential.objects.filter(pk=instance.credential_id, inline=True, links__isnull=True).delete()
