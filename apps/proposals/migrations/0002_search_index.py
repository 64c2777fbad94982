"""French full-text GIN index on proposals, PostgreSQL only.

SQLite has no GIN index nor tsvector: there the migration does nothing and the search
falls back to a word-by-word ``icontains`` (apps.proposals.search). The expression is the
one the search query renders, so the planner can use the index.
"""

from __future__ import annotations

from django.db import migrations

INDEX_NAME = "proposal_fulltext_fr"
INDEX_EXPRESSION = "to_tsvector('french'::regconfig, (title || ' ' || body))"


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON proposals_proposal USING gin ({INDEX_EXPRESSION})"
    )


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
