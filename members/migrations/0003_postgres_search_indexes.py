"""PostgreSQL-only indexes for the member list at scale: trigram search on the folded name and
prefix matching on the organization path. SQLite (the embedded default) does without them."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS members_member_search_name_trgm ON members_member "
    "USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS organizations_organization_path_prefix ON organizations_organization "
    "(path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS members_member_search_name_trgm",
    "DROP INDEX IF EXISTS organizations_organization_path_prefix",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
