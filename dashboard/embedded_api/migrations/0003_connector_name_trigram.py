"""PostgreSQL only: a trigram index for ListConnectors' `name` filter (name contains, any case).

Django's `icontains` on PostgreSQL is `UPPER(name::text) LIKE UPPER('%term%')`; a GIN trigram
index on that expression answers it without scanning the table. SQLite has no such index and
keeps scanning (this migration does nothing there).
"""

from django.db import migrations

INDEX = "embedded_api_connector_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # The operator class by its schema: the extension may live outside the search path.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
            )
            (schema,) = cursor.fetchone()
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON embedded_api_connector "
            f"USING gin ((UPPER(name::text)) {schema}.gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("embedded_api", "0002_upload")]

    operations = [migrations.RunPython(create, drop)]
