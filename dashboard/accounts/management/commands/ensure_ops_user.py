"""`manage.py ensure_ops_user`: make sure the `ops` user exists, so a fresh checkout can log in."""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from dashboard.accounts.roles import ADMIN, assign_role
from dashboard.dev_env import save_new_password

USERNAME = "ops"
PASSWORD_VARIABLE = "OPS_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create the {USERNAME!r} user if it is missing. Its password is ${PASSWORD_VARIABLE}, "
        "or a generated one saved to .env. Safe to run again: an existing user keeps its "
        f"password unless ${PASSWORD_VARIABLE} says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--env-file",
            type=Path,
            default=settings.BASE_DIR / ".env",
            help="Where a generated password is saved (default: the project's .env).",
        )

    def handle(self, *args, env_file: Path, **options):
        # settings.py loads .env into os.environ, so a password saved there is seen here too.
        password = os.environ.get(PASSWORD_VARIABLE, "")
        user_model = get_user_model()
        user = user_model.objects.filter(username=USERNAME).first()
        if user is None:
            if not password:
                password = save_new_password(env_file, PASSWORD_VARIABLE)
                self.stdout.write(f"Saved a new password as {PASSWORD_VARIABLE} in {env_file}.")
            user = user_model.objects.create_superuser(USERNAME, email="", password=password)
            self.stdout.write(self.style.SUCCESS(f"Created the user {USERNAME!r}."))
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Set the password of {USERNAME!r} from ${PASSWORD_VARIABLE}.")
        # In the admin group too, so `ops` shows as an admin wherever roles are listed, and
        # keeps its permissions should its superuser flag ever be cleared.
        assign_role(user, ADMIN)
        if not password:
            self.stdout.write(
                f"The user {USERNAME!r} exists; its password was left alone "
                f"(set ${PASSWORD_VARIABLE} and run this again to reset it)."
            )
            return
        # Point at the password rather than print it: terminal output ends up in logs.
        self.stdout.write(f"Log in as {USERNAME!r} with the password in ${PASSWORD_VARIABLE}.")
