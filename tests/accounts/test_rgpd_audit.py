"""The audit log is append-only (a PostgreSQL trigger refuses every UPDATE): the RGPD
pseudonymisation of its labels is the one change let through, when the deleting transaction
says so and only the labels change. ``APPEND_ONLY_WITH_ERASURE`` is the trigger function the
core migration must install (installed here inside the test's transaction, rolled back after)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from apps.accounts.rgpd import account_delete
from apps.core.models import AuditLogEntry, audit
from tests.factories import ProposalFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

APPEND_ONLY_WITH_ERASURE = """
CREATE OR REPLACE FUNCTION core_auditlogentry_append_only() RETURNS trigger AS $$
BEGIN
    -- Django deleting an account row: the actor link goes to NULL, nothing else changes.
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
    -- RGPD deletion (apps.accounts.rgpd.erase): only the labels are pseudonymised.
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

DROP TRIGGER IF EXISTS core_auditlogentry_append_only ON core_auditlogentry;
CREATE TRIGGER core_auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION core_auditlogentry_append_only();
"""


@pytest.fixture
def append_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_WITH_ERASURE)


def test_deletion_pseudonymises_the_append_only_log(append_only: None) -> None:
    agent = UserFactory(display_name="Zoé Qwertz")
    proposal = ProposalFactory()
    audit(agent, "proposal.note", proposal)
    account_delete(user=agent)
    labels = set(AuditLogEntry.objects.filter(actor=agent).values_list("actor_label", flat=True))
    assert labels == {f"Participant·e supprimé·e n° {agent.pk}"}
    assert not AuditLogEntry.objects.filter(actor_label__contains="Qwertz").exists()
    assert not AuditLogEntry.objects.filter(target_label__contains="Qwertz").exists()


def test_outside_a_deletion_the_log_stays_append_only(append_only: None) -> None:
    entry = audit(UserFactory(), "proposal.note", ProposalFactory())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlogentry SET actor_label = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Even during an erasure, nothing but the labels may change.
        cursor.execute("SET LOCAL archipel.rgpd_erasure = 'on'")
        cursor.execute("UPDATE core_auditlogentry SET action = 'x' WHERE id = %s", [entry.pk])
