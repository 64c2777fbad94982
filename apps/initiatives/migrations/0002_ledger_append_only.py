"""The matchfunding ledger is append-only in PostgreSQL itself: whatever the code path (admin,
shell, raw SQL from the application's account), an UPDATE or DELETE of a ledger line is refused."""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION initiatives_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the matchfunding ledger is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER initiatives_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON initiatives_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION initiatives_ledgerentry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS initiatives_ledgerentry_append_only ON initiatives_ledgerentry;
DROP FUNCTION IF EXISTS initiatives_ledgerentry_append_only();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The ledger is append-only in PostgreSQL itself, whatever the code path (raw SQL included).
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
