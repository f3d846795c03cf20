from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboard.embedded_api.models import ApiKey


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (the 8 hex characters after 'pbk_')."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        revoked = ApiKey.objects.active().filter(prefix=prefix).update(revoked_at=timezone.now())
        if not revoked:
            raise CommandError(f"No active key with prefix {prefix}.")
        self.stdout.write(f"Revoked key {prefix}.")
