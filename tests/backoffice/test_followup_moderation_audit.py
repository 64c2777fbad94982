"""Commitments in the back office, audit log (the moderation queue: tests/discussion)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Territory, audit
from apps.followup.models import Commitment, CommitmentUpdate
from apps.followup.services import commitment_create
from tests.backoffice.conftest import World
from tests.conftest import Personas
from tests.factories import ProcessFactory, ProposalFactory, UserFactory


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("chantier.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_commitment_update_photo_needs_alt_text(
    world: World, personas: Personas, client_for: Callable[[User | None], Client], media: Path
) -> None:
    url = reverse("backoffice:commitment_update", kwargs={"pk": world.commitment.pk})
    client = client_for(personas["agent"])
    data = {"date": "2026-03-01", "body": "Les travaux ont commencé.", "progress": 40, "state": "in_progress"}
    refused = client.post(url, {**data, "photo": _png()})
    assert refused.status_code == 400
    assert "texte alternatif est obligatoire" in refused.content.decode()
    assert not CommitmentUpdate.objects.exists()
    accepted = client.post(url, {**data, "photo": _png(), "photo_alt": "Des ouvriers posent les bancs."})
    assert accepted.status_code == 302
    update = CommitmentUpdate.objects.get()
    assert update.photo and update.photo_alt == "Des ouvriers posent les bancs."
    world.commitment.refresh_from_db()
    assert (world.commitment.progress, world.commitment.state) == (40, "in_progress")
    assert AuditLogEntry.objects.filter(action="commitment.update").exists()


@pytest.mark.django_db
def test_model_clean_refuses_photo_without_alt(world: World) -> None:
    update = CommitmentUpdate(
        commitment=world.commitment, date="2026-03-01", body="x", progress=1, state="planned", photo="a.png"
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "photo_alt" in error.value.message_dict


@pytest.mark.django_db
def test_commitment_edit_and_create_by_hand(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["elu"])
    client.post(
        reverse("backoffice:commitment_edit", kwargs={"pk": world.commitment.pk}),
        {"service": world.service.pk, "planned_date": "2027-01-15", "made_with_residents": "on"},
    )
    world.commitment.refresh_from_db()
    assert world.commitment.service == world.service and str(world.commitment.planned_date) == "2027-01-15"
    assert world.commitment.made_with_residents
    response = client.post(
        reverse("backoffice:commitment_create", kwargs={"pk": world.process.pk}),
        {"title": "Rénover l'aire de jeux", "planned_date": "2027-06-01"},
    )
    assert response.status_code == 302
    created = Commitment.objects.get(title="Rénover l'aire de jeux")
    assert created.source is None and created.process == world.process
    assert AuditLogEntry.objects.filter(action="commitment.create", target_id=str(created.pk)).exists()
    invalid = client.post(reverse("backoffice:commitment_create", kwargs={"pk": world.process.pk}), {"title": ""})
    assert invalid.status_code == 400


@pytest.mark.django_db
def test_commitment_create_service_checks_scope(world: World, personas: Personas) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        commitment_create(actor=personas["admin_elsewhere"], process=world.process, title="Intrus")
    with pytest.raises(PermissionDenied):
        commitment_create(actor=personas["moderator"], process=world.process, title="Intrus")


@pytest.mark.django_db
def test_audit_log_scoped_and_filtered(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    city: Territory,
) -> None:
    elsewhere = ProcessFactory.create(territory=other_quartier, title="Démarche de Bellevue")
    audit(personas["agent"], "process.update", world.process)
    audit(personas["agent"], "proposal.note", world.proposal)
    audit(personas["admin_elsewhere"], "process.update", elsewhere)
    other_proposal = ProposalFactory.create(process=elsewhere, title="Proposition de Bellevue")
    audit(personas["admin_elsewhere"], "proposal.assign", other_proposal)
    url = reverse("backoffice:audit_log")
    admin = client_for(personas["admin_elsewhere"])
    entries = list(admin.get(url).context["page_obj"].object_list)
    assert {e.target_label for e in entries} == {"Démarche de Bellevue", "Proposition de Bellevue"}
    filtered = admin.get(url, {"action": "proposal.assign"}).context["page_obj"].object_list
    assert [e.action for e in filtered] == ["proposal.assign"]
    # A value outside the allowlist is refused and the filter ignored.
    assert len(admin.get(url, {"action": "actor__email"}).context["page_obj"].object_list) == 2
    # A city-wide administrator sees everything.
    from tests.factories import RoleFactory

    city_admin = UserFactory.create()
    RoleFactory.create(user=city_admin, role="admin")
    assert len(client_for(city_admin).get(url).context["page_obj"].object_list) == 4
