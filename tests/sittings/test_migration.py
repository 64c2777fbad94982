"""The move of workshop sessions and council meetings into sittings (``sittings.0002`` and the
modules' migrations that drop the old tables) loses nothing.

The test migrates back to the state before the move, writes sessions, meetings, documents,
attendance and a decision with the historical models, migrates forward and compares: every
field, the ids that appear in public URLs (meetings, documents), the decision's meeting, the
attendance statuses and the creation dates."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.councils.factories import CouncilFactory, MembershipFactory
from tests.factories import TerritoryFactory, UserFactory
from tests.migrations_kit import latest as _latest
from tests.migrations_kit import migrate as _migrate
from tests.workshops.factories import add_member, make_workshop

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [
    ("sittings", "0001_initial"),
    ("workshops", "0002_upload_random_names"),
    ("councils", "0001_initial"),
]


def test_sessions_and_meetings_move_to_sittings_with_everything() -> None:
    # Workshops, councils and their members do not change: made with today's factories.
    quartier = TerritoryFactory.create()
    workshop = make_workshop("sessions", territory=quartier, answerer=UserFactory.create())
    awa = add_member(workshop, UserFactory.create(), name="Awa Diallo")
    lou = add_member(workshop, name="Lou Martin")
    council = CouncilFactory.create(territory=quartier)
    seat = MembershipFactory.create(council=council)
    other_seat = MembershipFactory.create(council=council)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    created = timezone.now().replace(microsecond=0) - datetime.timedelta(days=40)

    old = _migrate(BEFORE)
    try:
        Meeting = old.get_model("councils", "Meeting")
        CouncilAttendance = old.get_model("councils", "Attendance")
        Decision = old.get_model("councils", "Decision")
        Session = old.get_model("workshops", "Session")
        SessionDocument = old.get_model("workshops", "SessionDocument")
        WorkshopAttendance = old.get_model("workshops", "Attendance")

        # Ids chosen to collide: a meeting and a session share the id 7.
        meetings = [
            Meeting.objects.create(
                pk=pk,
                council_id=council.pk,
                title=f"Plénière {pk}",
                starts_at=start + datetime.timedelta(days=pk),
                place="Maison de quartier",
                agenda="1. Accueil",
                agenda_html="<ol><li>Accueil</li></ol>",
                minutes="*Adopté*" if pk == 7 else "",
                minutes_html="<p><em>Adopté</em></p>" if pk == 7 else "",
                is_published=pk == 7,
            )
            for pk in (7, 9)
        ]
        Meeting.objects.filter(pk=7).update(created_at=created)
        CouncilAttendance.objects.create(meeting=meetings[0], membership_id=seat.pk, status="present")
        CouncilAttendance.objects.create(meeting=meetings[0], membership_id=other_seat.pk, status="excused")
        CouncilAttendance.objects.create(meeting=meetings[1], membership_id=seat.pk, status="absent")
        decision = Decision.objects.create(
            council_id=council.pk, meeting=meetings[0], title="Avis", text="Oui.", decided_on=start.date()
        )
        sessions = [
            Session.objects.create(
                pk=pk,
                workshop_id=workshop.pk,
                title=f"Séance {pk}",
                starts_at=start + datetime.timedelta(days=pk),
                ends_at=start + datetime.timedelta(days=pk, hours=3, minutes=30),
                place="Salle du Solilab",
                agenda="Lecture du mandat",
                experts_heard="Une urbaniste",
                minutes="**Compte rendu**",
                minutes_html="<p><strong>Compte rendu</strong></p>",
                is_published=pk == 7,
            )
            for pk in (7, 8)
        ]
        Session.objects.filter(pk=8).update(created_at=created)
        document = SessionDocument.objects.create(
            pk=41, session=sessions[0], title="Diagnostic", file="workshops/2025/03/diagnostic.pdf"
        )
        WorkshopAttendance.objects.create(session=sessions[0], member_id=awa.pk)
        WorkshopAttendance.objects.create(session=sessions[0], member_id=lou.pk)
        WorkshopAttendance.objects.create(session=sessions[1], member_id=awa.pk)
        old_document_created = SessionDocument.objects.get(pk=41).created_at
    finally:
        new = _migrate(_latest())

    Sitting = new.get_model("sittings", "Sitting")
    Document = new.get_model("sittings", "Document")
    Attendance = new.get_model("sittings", "Attendance")
    ContentType = new.get_model("contenttypes", "ContentType")
    types = {
        (content_type.app_label, content_type.model): content_type.pk for content_type in ContentType.objects.all()
    }
    council_type, workshop_type = types[("councils", "council")], types[("workshops", "workshop")]
    membership_type, member_type = types[("councils", "membership")], types[("workshops", "panelmember")]

    # Meetings keep their ids (public URLs, decisions), and every field.
    council_sittings = Sitting.objects.filter(body_type_id=council_type).order_by("pk")
    assert list(council_sittings.values_list("pk", flat=True)) == [7, 9]
    first = council_sittings.get(pk=7)
    assert (first.body_id, first.title, first.starts_at, first.place) == (
        council.pk,
        "Plénière 7",
        start + datetime.timedelta(days=7),
        "Maison de quartier",
    )
    assert (first.agenda, first.agenda_html, first.minutes, first.minutes_html) == (
        "1. Accueil",
        "<ol><li>Accueil</li></ol>",
        "*Adopté*",
        "<p><em>Adopté</em></p>",
    )
    assert first.is_published and first.ends_at is None and first.created_at == created
    assert not council_sittings.get(pk=9).is_published
    assert new.get_model("councils", "Decision").objects.get(pk=decision.pk).meeting_id == 7
    seats = Attendance.objects.filter(member_type_id=membership_type)
    assert sorted(seats.values_list("sitting_id", "member_id", "status")) == sorted(
        [(7, seat.pk, "present"), (7, other_seat.pk, "excused"), (9, seat.pk, "absent")]
    )

    # Sessions are numbered after the meetings, in their order, with every field.
    workshop_sittings = list(Sitting.objects.filter(body_type_id=workshop_type).order_by("pk"))
    assert [s.title for s in workshop_sittings] == ["Séance 7", "Séance 8"]
    assert all(s.pk > 9 for s in workshop_sittings)
    one, two = workshop_sittings
    assert (one.body_id, one.starts_at, one.ends_at, one.place) == (
        workshop.pk,
        start + datetime.timedelta(days=7),
        start + datetime.timedelta(days=7, hours=3, minutes=30),
        "Salle du Solilab",
    )
    assert (one.agenda, one.experts_heard, one.minutes, one.minutes_html) == (
        "Lecture du mandat",
        "Une urbaniste",
        "**Compte rendu**",
        "<p><strong>Compte rendu</strong></p>",
    )
    assert one.is_published and not two.is_published and two.created_at == created
    moved = Document.objects.get(pk=41)
    assert (moved.sitting_id, moved.title) == (one.pk, "Diagnostic")
    assert moved.file.name == "workshops/2025/03/diagnostic.pdf"
    assert moved.created_at == old_document_created
    panel = Attendance.objects.filter(member_type_id=member_type)
    assert sorted(panel.values_list("sitting_id", "member_id", "status")) == sorted(
        [(one.pk, awa.pk, "present"), (one.pk, lou.pk, "present"), (two.pk, awa.pk, "present")]
    )

    # The old tables are gone and new rows take ids after the copies.
    tables = connection.introspection.table_names()
    gone = {"workshops_session", "workshops_sessiondocument", "workshops_attendance", "councils_meeting"}
    assert not (gone | {"councils_attendance"}) & set(tables)
    from apps.sittings import services

    later = services.sitting_create(body=council, title="Suivante", starts_at=timezone.now(), place="Ici")
    assert later.pk > two.pk
    assert document.pk == 41


def test_going_back_copies_the_sittings_back() -> None:
    quartier = TerritoryFactory.create()
    workshop = make_workshop("sessions", territory=quartier, answerer=UserFactory.create())
    awa = add_member(workshop, UserFactory.create(), name="Awa Diallo")
    council = CouncilFactory.create(territory=quartier)
    seat = MembershipFactory.create(council=council)
    from apps.councils.models import Decision
    from apps.sittings import services
    from apps.sittings.models import Document

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    meeting = services.sitting_create(body=council, title="Plénière", starts_at=start, place="Ici", minutes="*Oui*")
    services.attendance_record(sitting=meeting, member_model=type(seat), statuses={seat.pk: "excused"})
    decision = Decision.objects.create(
        council=council, meeting=meeting, title="Avis", text="Oui.", decided_on=start.date()
    )
    session = services.sitting_create(
        body=workshop,
        title="Séance 1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Là",
        agenda="Mandat",
        experts_heard="Une urbaniste",
        is_published=True,
    )
    services.attendance_record(sitting=session, member_model=type(awa), statuses={awa.pk: "present"})
    document = Document.objects.create(sitting=session, title="Diagnostic", file="sittings/2026/01/d.pdf")
    try:
        old = _migrate(BEFORE)
        Meeting = old.get_model("councils", "Meeting")
        back = Meeting.objects.get(pk=meeting.pk)
        assert (back.council_id, back.title, back.starts_at, back.minutes) == (council.pk, "Plénière", start, "*Oui*")
        assert back.created_at == meeting.created_at
        assert list(
            old.get_model("councils", "Attendance").objects.values_list("meeting_id", "membership_id", "status")
        ) == [(meeting.pk, seat.pk, "excused")]
        assert old.get_model("councils", "Decision").objects.get(pk=decision.pk).meeting_id == meeting.pk
        Session = old.get_model("workshops", "Session")
        back_session = Session.objects.get(pk=session.pk)
        assert (back_session.workshop_id, back_session.ends_at, back_session.experts_heard) == (
            workshop.pk,
            start + datetime.timedelta(hours=3),
            "Une urbaniste",
        )
        back_document = old.get_model("workshops", "SessionDocument").objects.get(pk=document.pk)
        assert (back_document.session_id, back_document.file.name) == (session.pk, "sittings/2026/01/d.pdf")
        assert list(old.get_model("workshops", "Attendance").objects.values_list("session_id", "member_id")) == [
            (session.pk, awa.pk)
        ]
        assert not old.get_model("sittings", "Sitting").objects.exists()
    finally:
        new = _migrate(_latest())
    # And forward again: the same rows, once.
    Sitting = new.get_model("sittings", "Sitting")
    assert Sitting.objects.count() == 2 and Sitting.objects.get(pk=meeting.pk).title == "Plénière"
