"""Users in each role, and clients logged in as them."""

import pytest
from django.contrib.auth.models import Group

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import VIEWER, assign_role

PASSWORD = "correct-horse-battery"
# Every role, plus a signed-in user who holds none.
NO_ROLE = "nobody"


@pytest.fixture
def make_user(django_user_model):
    """`make_user(role)` creates a user named after `role` (or `username`) holding it."""

    def make(role: str, username: str | None = None):
        user = django_user_model.objects.create_user(username or role, password=PASSWORD)
        if role != NO_ROLE:
            assign_role(user, role)
        return user

    return make


@pytest.fixture
def client_as(client, make_user):
    """`client_as(role)`: the test client, logged in as a new user in `role`."""

    def login(role: str):
        client.force_login(make_user(role))
        return client

    return login


@pytest.fixture
def placeholders(db) -> dict[str, str]:
    """Values for the placeholders in matrix.py's URL kwargs: objects that exist."""
    entry = AuditEntry.objects.create(
        action="publish_connector", method="PUT", path="o/ORG/connectors/C1", outcome="ok"
    )
    return {"audit_entry": str(entry.pk), "group": str(Group.objects.get(name=VIEWER).pk)}
