"""The sittings primitive on its own: create, change and publish a sitting of any body, add a
document, record attendance, read who attended, and the shared attestation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django import Settings

from apps.core.registry import get_manifest
from apps.councils.models import Council
from apps.sittings import selectors, services
from apps.sittings.attestation import attestation_pdf, hours_label, sitting_lines
from apps.sittings.models import Attendance, Sitting
from apps.workshops.models import Workshop
from tests.councils.factories import CouncilFactory, MembershipFactory
from tests.factories import TerritoryFactory, UserFactory
from tests.security.uploads_samples import pdf_bytes
from tests.workshops.factories import add_member, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> Council:
    return CouncilFactory.create()


@pytest.fixture
def workshop() -> Workshop:
    return make_workshop("sessions", territory=TerritoryFactory.create(), answerer=UserFactory.create())


def _sitting(body: Council | Workshop, **extra: Any) -> Sitting:
    values: dict[str, Any] = {"title": "Plénière", "starts_at": timezone.now(), "place": "Maison de quartier"}
    values.update(extra)
    return services.sitting_create(body=body, **values)


def test_a_sitting_belongs_to_any_body_and_renders_its_texts(council: Council, workshop: Workshop) -> None:
    meeting = _sitting(council, agenda="1. *Accueil*", minutes="**Adopté**")
    session = _sitting(workshop, title="Séance 1")
    assert meeting.body == council and session.body == workshop
    assert meeting.belongs_to(council) and not meeting.belongs_to(workshop)
    assert "<em>Accueil</em>" in meeting.agenda_html and "<strong>Adopté</strong>" in meeting.minutes_html
    assert list(selectors.sittings_of(council)) == [meeting]
    assert list(council.meetings.all()) == [meeting] and list(workshop.sessions.all()) == [session]
    assert meeting.get_absolute_url() == f"/conseils/{council.slug}/reunions/{meeting.pk}/"
    assert session.get_absolute_url() == workshop.get_absolute_url()
    # A URL of one module never reaches another module's sittings.
    assert selectors.sitting_of(type(council), meeting.pk) == meeting
    assert selectors.sitting_of(type(workshop), meeting.pk) is None


def test_the_end_comes_after_the_start_and_fields_are_checked(council: Council) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError):
        _sitting(council, ends_at=now - datetime.timedelta(hours=1), starts_at=now)
    with pytest.raises(ValidationError):
        _sitting(council, title="")
    sitting = _sitting(council, starts_at=now, ends_at=now + datetime.timedelta(hours=2, minutes=30))
    assert sitting.hours == Decimal("2.5")
    assert _sitting(council).hours == 0
    with pytest.raises(TypeError):
        services.sitting_update(sitting=sitting, body_id=3)


def test_publishing_the_minutes(council: Council) -> None:
    sitting = _sitting(council)
    assert list(selectors.published_sittings_of(council)) == []
    services.minutes_publish(sitting=sitting, minutes="  Le conseil a *adopté* son avis. ")
    sitting.refresh_from_db()
    assert sitting.is_published and sitting.minutes == "Le conseil a *adopté* son avis."
    assert "<em>adopté</em>" in sitting.minutes_html
    assert list(selectors.published_sittings_of(council)) == [sitting]


def test_documents_are_real_pdfs(settings: Settings, tmp_path: Path, workshop: Workshop) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    sitting = _sitting(workshop)
    document = services.document_add(
        sitting=sitting, title=" Diagnostic ", file=SimpleUploadedFile("d.pdf", pdf_bytes(), "application/pdf")
    )
    assert document.title == "Diagnostic" and document.file.name.startswith("sittings/")
    assert selectors.document_of(type(workshop), document.pk) == document
    assert selectors.document_of(type(CouncilFactory.create()), document.pk) is None
    with pytest.raises(ValidationError):
        fake = SimpleUploadedFile("x.pdf", b"<html>", "application/pdf")
        services.document_add(sitting=sitting, title="Faux", file=fake)


def test_attendance_is_recorded_per_member_of_any_kind(council: Council, workshop: Workshop) -> None:
    seat, other_seat = MembershipFactory.create(council=council), MembershipFactory.create(council=council)
    panel_member = add_member(workshop, name="Awa Diallo")
    meeting = _sitting(council)
    later = _sitting(council, starts_at=timezone.now() + datetime.timedelta(days=7))
    present = services.attendance_record(
        sitting=meeting, member_model=type(seat), statuses={seat.pk: "present", other_seat.pk: "excused"}
    )
    assert present == 1
    services.attendance_record(sitting=later, member_model=type(seat), statuses={seat.pk: "present"})
    assert selectors.attendance_statuses(meeting, type(seat)) == {seat.pk: "present", other_seat.pk: "excused"}
    assert selectors.attended_sittings(seat) == [meeting, later]
    assert selectors.attended_sittings(other_seat) == []
    assert selectors.attended_sittings(other_seat, statuses=["excused"]) == [meeting]
    counts = selectors.attendance_counts([meeting, later])
    assert counts == {meeting.pk: {"present": 1, "excused": 1}, later.pk: {"present": 1}}
    assert selectors.attendance_pairs([meeting, later], type(seat)) == {(meeting.pk, seat.pk), (later.pk, seat.pk)}
    # An empty status clears the row; members not named keep theirs; ids of one kind of
    # member never match another kind.
    services.attendance_record(sitting=meeting, member_model=type(seat), statuses={other_seat.pk: ""})
    assert selectors.attendance_statuses(meeting, type(seat)) == {seat.pk: "present"}
    session = _sitting(workshop)
    services.attendance_record(sitting=session, member_model=type(panel_member), statuses={panel_member.pk: "present"})
    assert selectors.attendance_statuses(session, type(seat)) == {}
    assert [a.sitting for a in selectors.member_attendances(type(panel_member), [panel_member.pk])] == [session]
    with pytest.raises(ValidationError):
        services.attendance_record(sitting=meeting, member_model=type(seat), statuses={seat.pk: "asleep"})


def test_deleting_a_body_or_a_member_deletes_its_sittings_and_attendance(council: Council) -> None:
    seat = MembershipFactory.create(council=council)
    meeting = _sitting(council)
    services.attendance_record(sitting=meeting, member_model=type(seat), statuses={seat.pk: "present"})
    seat.delete()
    assert not Attendance.objects.filter(sitting=meeting).exists()
    council.delete()
    assert not Sitting.objects.filter(pk=meeting.pk).exists()


def test_the_attestation_lists_the_sittings_with_their_hours(council: Council) -> None:
    start = datetime.datetime(2026, 3, 14, 9, 30, tzinfo=timezone.get_current_timezone())
    end = start + datetime.timedelta(hours=3, minutes=30)
    sitting = _sitting(council, title="Séance 1", starts_at=start, ends_at=end)
    assert sitting_lines([sitting], with_hours=True) == [(datetime.date(2026, 3, 14), "Séance 1 (3,5 h)")]
    assert sitting_lines([sitting]) == [(datetime.date(2026, 3, 14), "Séance 1")]
    assert hours_label(Decimal("3")) == "3"
    pdf = attestation_pdf(
        full_name="Awa Diallo",
        body="a siégé.",
        sessions=sitting_lines([sitting]),
        issued_by="Direction du dialogue citoyen",
        city="Nantes",
    )
    assert pdf.startswith(b"%PDF") and b"Awa Diallo" in pdf and b"Nantes" in pdf


def test_the_manifest_declares_what_it_holds_about_people() -> None:
    manifest = get_manifest("sittings")
    assert manifest is not None and manifest.personal_data is not None
    [holding] = manifest.personal_data.holdings
    assert holding.model == "sittings.Attendance" and holding.why
    for name in holding.fields:
        Attendance._meta.get_field(name)
    assert not manifest.phases and not manifest.actions
