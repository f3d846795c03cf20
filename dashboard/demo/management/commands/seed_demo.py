"""`manage.py seed_demo`: demo data for the embedded Connect API, and one user per role."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboard.accounts.roles import DEMO_PASSWORD_VARIABLE, ROLES, ensure_role_users
from dashboard.connect import get_client
from dashboard.demo import staging, summary
from dashboard.demo.audit import seed_audit_history
from dashboard.demo.seed import seed
from dashboard.dev_env import save_new_password
from dashboard.environments.registry import get_environment


class Command(BaseCommand):
    help = (
        "Fill the embedded Connect API with demo data for CONNECT_ORGANISATION_ID (connectors, "
        "versions, connections, credentials, and public connectors of another organisation "
        "for the library) and for a second environment, staging, one user per role and an "
        "audit history. Safe to run again: what "
        f"is there is left alone. The users' password is ${DEMO_PASSWORD_VARIABLE}, or a "
        "generated one saved to .env."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--env-file",
            type=Path,
            default=settings.BASE_DIR / ".env",
            help="Where a generated password is saved (default: the project's .env).",
        )

    def handle(self, *args, env_file: Path, **options):
        if settings.CONNECT_API_URL:
            self.stdout.write(
                "CONNECT_API_URL is set, so the dashboard uses a remote Connect API: "
                "no demo data is seeded."
            )
        else:
            started = time.monotonic()
            created = seed(settings.CONNECT_ORGANISATION_ID, timezone.now())
            elapsed = time.monotonic() - started
            if created:
                self.stdout.write(f"Seeded {created} demo connectors in {elapsed:.1f} s:")
            else:
                self.stdout.write(f"Demo data already present (checked in {elapsed:.2f} s):")
            for line in summary.lines(settings.CONNECT_ORGANISATION_ID, timezone.now()):
                self.stdout.write(f"  {line}")
            self._seed_staging()
        self._ensure_password(env_file)
        shared = f"; ${DEMO_PASSWORD_VARIABLE} is in {env_file.name}"
        self.stdout.write(
            "Demo users, one per role (username / password"
            f"{shared if os.environ.get(DEMO_PASSWORD_VARIABLE) else ''}):"
        )
        ensure_role_users(self.stdout)
        if not settings.CONNECT_API_URL:
            written = seed_audit_history(get_client(), timezone.now())
            if written:
                self.stdout.write(
                    f"Audit log: {written} entries, the changes behind the demo data."
                )

    def _seed_staging(self) -> None:
        """The second environment (docs/environments.md): the same demo connectors in another
        organisation, Paystream further along."""
        if staging.ensure_environment():
            self.stdout.write(f"Added the {staging.SLUG!r} environment (/env/{staging.SLUG}/).")
        environment = get_environment(staging.SLUG)
        if environment.base_url:
            return  # a remote staging named in the settings: nothing to seed there
        now = timezone.now()
        created = seed(environment.organisation_id, now)
        staging.keep_private(environment.organisation_id)
        diverged = staging.diverge(environment.organisation_id, now)
        if created or diverged:
            self.stdout.write(f"Seeded {created} demo connectors in {environment.name}.")
        else:
            self.stdout.write(f"{environment.name}'s demo data already present.")

    def _ensure_password(self, env_file: Path) -> None:
        """Like the ops user's: one shared password, generated and saved to .env if unset."""
        if os.environ.get(DEMO_PASSWORD_VARIABLE):
            return
        if get_user_model().objects.filter(username__in=list(ROLES)).exists():
            return  # Users made earlier keep the passwords they were given.
        # ensure_role_users, later in this process, reads it from the environment.
        os.environ[DEMO_PASSWORD_VARIABLE] = save_new_password(env_file, DEMO_PASSWORD_VARIABLE)
        self.stdout.write(f"Saved a new password as {DEMO_PASSWORD_VARIABLE} in {env_file}.")
