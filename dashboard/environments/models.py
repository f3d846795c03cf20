"""Environments added in the dashboard, and roles granted per environment."""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from dashboard.accounts.roles import ROLES

# Lower-case letters, digits and hyphens: it is a URL segment (/env/<slug>/) and part of
# settings' variable names (CONNECT_<SLUG>_API_URL).
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
slug_validator = RegexValidator(
    SLUG_PATTERN,
    "Use 1 to 40 lower-case letters, digits and hyphens, starting and ending with a letter or "
    "digit (it becomes part of the address: /env/<slug>/).",
)

# The colours an environment can wear (classes in static/css/environments.css): a fixed set,
# so that the Content-Security-Policy needs no inline style.
COLOURS = [
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("blue", "Blue"),
    ("purple", "Purple"),
    ("grey", "Grey"),
]
ROLE_CHOICES = [(role, role.capitalize()) for role in ROLES]


class AddedEnvironment(models.Model):
    """An environment an admin added in the dashboard (those from settings have no row)."""

    slug = models.CharField(max_length=40, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=10, choices=COLOURS, default="blue")
    # Empty: the embedded Connect API (in process), for another organisation.
    base_url = models.URLField(max_length=300, blank=True)
    organisation_id = models.CharField(max_length=100)
    # Fernet token (secrets.py); never shown back, never logged.
    encrypted_api_key = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class EnvironmentRole(models.Model):
    """A user's (or a group's) role in one environment, instead of their global role there.

    `environment` is a slug rather than a foreign key: environments from settings have no row.
    A user's own grant wins over their groups'; among groups', the highest role.
    """

    environment = models.CharField(max_length=40, validators=[slug_validator])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)

    class Meta:
        ordering = ["environment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="environment_role_user_or_group",
                violation_error_message="Choose a user or a group (one of them).",
            ),
            models.UniqueConstraint(
                fields=["environment", "user"], name="environment_role_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["environment", "group"], name="environment_role_one_per_group"
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.group
        return f"{who}: {self.role} in {self.environment}"
