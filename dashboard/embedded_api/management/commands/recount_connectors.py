from django.core.management.base import BaseCommand

from dashboard.embedded_api.models.connectors import recount_connectors


class Command(BaseCommand):
    help = (
        "Rebuild the connector counters behind ListConnectors' totalCount (needed only after "
        "rows were written around the API, e.g. bulk loads or raw SQL)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{recount_connectors()} counters rebuilt.")
