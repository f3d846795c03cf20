from django.core.management.base import BaseCommand, CommandError
from ulid import ULID

from dashboard.embedded_api.models import ApiKey


class Command(BaseCommand):
    help = "Mint an API key for one organisation; the key is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="organisation ULID")
        parser.add_argument("--name", default="", help="what the key is for")

    def handle(self, *args, organisation, name, **options):
        try:
            organisation = str(ULID.from_str(organisation))
        except ValueError as exc:
            raise CommandError(f"--organisation must be a ULID: {exc}") from None
        key, raw = ApiKey.mint(organisation, name)
        self.stderr.write(f"Minted key {key.prefix} for organisation {organisation}.")
        self.stdout.write(raw)
