"""The ``french_unaccent`` text search configuration, for :mod:`apps.core.textsearch`.

The proposals migration ``0004_search_unaccent`` created it first for its own index; any
module may search with it now, so core owns it too. Idempotent on both sides of that history
(``IF NOT EXISTS``); nothing is dropped backwards, since proposals' index may still use them.
SQLite does nothing (accents are folded in Python there).
"""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN "
        "CREATE TEXT SEARCH CONFIGURATION french_unaccent ( COPY = french ); "
        "ALTER TEXT SEARCH CONFIGURATION french_unaccent "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem; "
        "END IF; END $$;"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_log_rgpd_erasure")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
