"""Issue 8, item 6: the audit log is append-only everywhere, and the Django admin cannot
grant or revoke a role behind the services' back (no audit entry, no scope check)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, AuditLogImmutable, Role, RoleAssignment, audit
from tests.conftest import Personas
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root@example.org", "motdepasse-solide-42", display_name="Root")


@pytest.fixture
def entry(personas: Personas) -> AuditLogEntry:
    agent = personas["agent"]
    return audit(agent, "proposal.answer", agent, status="accepted")


def test_the_model_refuses_changes_and_deletions(entry: AuditLogEntry) -> None:
    entry.actor_label = "Quelqu'un d'autre"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditLogEntry.objects.filter(pk=entry.pk).update(actor_label="Quelqu'un d'autre")
    with pytest.raises(AuditLogImmutable):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.actor_label == "Agent"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_raw_updates_and_deletes(entry: AuditLogEntry) -> None:
    for sql in (
        "UPDATE core_auditlogentry SET actor_label = 'Faussaire' WHERE id = %s",
        "UPDATE core_auditlogentry SET actor_id = NULL, action = 'rien' WHERE id = %s",
        "DELETE FROM core_auditlogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert (entry.actor_label, entry.action) == ("Agent", "proposal.answer")


def test_deleting_an_account_row_keeps_its_entries(entry: AuditLogEntry) -> None:
    # The one change let through: the actor link set to NULL by ``on_delete=SET_NULL``.
    actor = entry.actor
    assert actor is not None
    actor.delete()
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.actor_label == "Agent" and entry.action == "proposal.answer"


def test_the_admin_cannot_add_change_or_delete_entries(
    client_for: Callable[[User | None], Client], root: User, entry: AuditLogEntry
) -> None:
    client = client_for(root)
    assert client.get("/django-admin/core/auditlogentry/").status_code == 200
    assert client.get("/django-admin/core/auditlogentry/add/").status_code == 403
    before = AuditLogEntry.objects.count()
    response = client.post(
        "/django-admin/core/auditlogentry/add/",
        {"actor": root.pk, "actor_label": "Une autre personne", "action": "role.grant", "details": "{}"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/django-admin/core/auditlogentry/{entry.pk}/change/", {"actor_label": "Faussaire", "action": "x"}
    )
    assert response.status_code == 403
    assert client.post(f"/django-admin/core/auditlogentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLogEntry.objects.count() == before
    entry.refresh_from_db()
    assert entry.actor_label == "Agent"


def test_the_admin_role_page_is_read_only_and_points_to_the_back_office(
    client_for: Callable[[User | None], Client], root: User, personas: Personas
) -> None:
    client = client_for(root)
    target = UserFactory.create(display_name="Candidate")
    before = RoleAssignment.objects.count()
    assert client.get("/django-admin/core/roleassignment/add/").status_code == 403
    response = client.post("/django-admin/core/roleassignment/add/", {"user": target.pk, "role": Role.ADMIN})
    assert response.status_code == 403
    existing = RoleAssignment.objects.get(user=personas["agent"])
    assert client.post(f"/django-admin/core/roleassignment/{existing.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoleAssignment.objects.count() == before
    listing = client.get("/django-admin/core/roleassignment/").content.decode()
    assert reverse("backoffice:roles") in listing and "lecture seule" in listing
