"""The audit log is append-only (a PostgreSQL trigger, core migrations 0003 and 0004, refuses
every UPDATE): the RGPD pseudonymisation of its labels is the one change let through, when the
deleting transaction says so and only the labels change. The tests run against the trigger
the migrations installed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from apps.accounts.rgpd import account_delete
from apps.core.models import AuditLogEntry, audit
from tests.factories import ProposalFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def append_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")


def test_deletion_pseudonymises_the_append_only_log(append_only: None) -> None:
    agent = UserFactory.create(display_name="Zoé Qwertz")
    proposal = ProposalFactory.create()
    audit(agent, "proposal.note", proposal)
    account_delete(user=agent)
    labels = set(AuditLogEntry.objects.filter(actor=agent).values_list("actor_label", flat=True))
    assert labels == {f"Participant·e supprimé·e n° {agent.pk}"}
    assert not AuditLogEntry.objects.filter(actor_label__contains="Qwertz").exists()
    assert not AuditLogEntry.objects.filter(target_label__contains="Qwertz").exists()


def test_outside_a_deletion_the_log_stays_append_only(append_only: None) -> None:
    entry = audit(UserFactory.create(), "proposal.note", ProposalFactory.create())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlogentry SET actor_label = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Even during an erasure, nothing but the labels may change.
        cursor.execute("SET LOCAL archipel.rgpd_erasure = 'on'")
        cursor.execute("UPDATE core_auditlogentry SET action = 'x' WHERE id = %s", [entry.pk])
