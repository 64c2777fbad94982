"""Accent-insensitive French search on PostgreSQL: "velo" finds "vélo", "ecole" finds "École".

A text search configuration ``french_unaccent`` copies ``french`` and passes every word
through the ``unaccent`` dictionary before the French stemmer, on both sides (the indexed
document and the query). The GIN index is rebuilt on the new configuration; SQLite does
nothing here (apps.proposals.search folds accents in Python there).
"""

from __future__ import annotations

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

OLD_INDEX = "proposal_fulltext_fr"
OLD_EXPRESSION = "to_tsvector('french'::regconfig, (title || ' ' || body))"
NEW_INDEX = "proposal_fulltext_fr_unaccent"
NEW_EXPRESSION = "to_tsvector('french_unaccent'::regconfig, (title || ' ' || body))"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN "
        "CREATE TEXT SEARCH CONFIGURATION french_unaccent ( COPY = french ); "
        "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem; "
        "END IF; END $$;"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON proposals_proposal USING gin ({NEW_EXPRESSION})")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON proposals_proposal USING gin ({OLD_EXPRESSION})")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent")



class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_answer_signature_paper_contact")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
