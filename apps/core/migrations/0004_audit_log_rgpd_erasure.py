"""The append-only audit log lets one UPDATE through besides the actor link set to NULL: the
RGPD pseudonymisation of its labels by an account deletion (``apps.accounts.rgpd.erase``),
when the transaction says so (``SET LOCAL archipel.rgpd_erasure = 'on'``) and nothing but
``actor_label`` and ``target_label`` changes."""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditlogentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.actor_label, NEW.action, NEW.target_type, NEW.target_id,
            NEW.target_label, NEW.details::text, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.actor_label, OLD.action, OLD.target_type, OLD.target_id,
            OLD.target_label, OLD.details::text, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND current_setting('archipel.rgpd_erasure', true) = 'on'
       AND (NEW.id, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id,
            NEW.details::text, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id,
            OLD.details::text, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_log_append_only")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
