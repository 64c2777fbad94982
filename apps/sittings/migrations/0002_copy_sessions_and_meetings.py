"""Copy the workshops' sessions and the councils' meetings, their documents and attendance,
into the shared sittings. Nothing is dropped here: the modules' next migrations delete the old
tables once this has run.

Council meetings keep their primary keys (their public URL is ``/conseils/<slug>/reunions/<pk>/``
and ``councils.Decision.meeting`` keeps pointing at the same ids); session documents keep theirs
(``/ateliers/documents/<pk>/``). Workshop sessions, whose ids only appear in back-office URLs,
are numbered after the meetings, in their former order. Attendance rows are renumbered.

This migration reads the two modules' tables, so it depends on their last state before the
move; it is the one place where the primitive knows them, and only historically.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import migrations


def _content_type(apps: Any, app_label: str, model: str) -> Any:
    content_type_model = apps.get_model("contenttypes", "ContentType")
    return content_type_model.objects.get_or_create(app_label=app_label, model=model)[0]


@contextmanager
def _original_dates(*models: Any) -> Iterator[None]:
    """The historical models would stamp "now" on each copy: the original dates are kept (and
    the shared historical fields are put back as they were afterwards)."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def copy_forward(apps: Any, schema_editor: Any) -> None:
    with _original_dates(apps.get_model("sittings", "Sitting"), apps.get_model("sittings", "Document")):
        _copy_forward(apps, schema_editor)


def _copy_forward(apps: Any, schema_editor: Any) -> None:
    from apps.core.richtext import render_rich_text

    Sitting = apps.get_model("sittings", "Sitting")
    Document = apps.get_model("sittings", "Document")
    Attendance = apps.get_model("sittings", "Attendance")
    Meeting = apps.get_model("councils", "Meeting")
    CouncilAttendance = apps.get_model("councils", "Attendance")
    Session = apps.get_model("workshops", "Session")
    SessionDocument = apps.get_model("workshops", "SessionDocument")
    WorkshopAttendance = apps.get_model("workshops", "Attendance")
    alias = schema_editor.connection.alias

    council_type = _content_type(apps, "councils", "council")
    membership_type = _content_type(apps, "councils", "membership")
    workshop_type = _content_type(apps, "workshops", "workshop")
    member_type = _content_type(apps, "workshops", "panelmember")

    Sitting.objects.using(alias).bulk_create(
        [
            Sitting(
                pk=meeting.pk,
                body_type=council_type,
                body_id=meeting.council_id,
                title=meeting.title,
                starts_at=meeting.starts_at,
                ends_at=None,
                place=meeting.place,
                agenda=meeting.agenda,
                agenda_html=meeting.agenda_html,
                minutes=meeting.minutes,
                minutes_html=meeting.minutes_html,
                is_published=meeting.is_published,
                created_at=meeting.created_at,
            )
            for meeting in Meeting.objects.using(alias).order_by("pk").iterator()
        ],
        batch_size=500,
    )
    Attendance.objects.using(alias).bulk_create(
        [
            Attendance(
                sitting_id=row.meeting_id, member_type=membership_type, member_id=row.membership_id, status=row.status
            )
            for row in CouncilAttendance.objects.using(alias).order_by("pk").iterator()
        ],
        batch_size=1000,
    )

    first = (Sitting.objects.using(alias).order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    session_map: dict[int, int] = {}
    sittings = []
    for offset, session in enumerate(Session.objects.using(alias).order_by("pk").iterator()):
        session_map[session.pk] = first + offset
        sittings.append(
            Sitting(
                pk=first + offset,
                body_type=workshop_type,
                body_id=session.workshop_id,
                title=session.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.place,
                agenda=session.agenda,
                agenda_html=render_rich_text(session.agenda),
                experts_heard=session.experts_heard,
                minutes=session.minutes,
                minutes_html=session.minutes_html,
                is_published=session.is_published,
                created_at=session.created_at,
            )
        )
    Sitting.objects.using(alias).bulk_create(sittings, batch_size=500)
    Document.objects.using(alias).bulk_create(
        [
            Document(
                pk=document.pk,
                sitting_id=session_map[document.session_id],
                title=document.title,
                file=document.file.name,
                created_at=document.created_at,
            )
            for document in SessionDocument.objects.using(alias).order_by("pk").iterator()
        ],
        batch_size=500,
    )
    Attendance.objects.using(alias).bulk_create(
        [
            Attendance(
                sitting_id=session_map[row.session_id],
                member_type=member_type,
                member_id=row.member_id,
                status="present",
            )
            for row in WorkshopAttendance.objects.using(alias).order_by("pk").iterator()
        ],
        batch_size=1000,
    )

    # Rows were inserted with explicit ids: the next ones continue after them.
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Sitting, Document]):
            cursor.execute(statement)


def drop_copies(apps: Any, schema_editor: Any) -> None:
    """Backwards: the modules' migrations have copied their sittings back into their own tables
    (they run before this one when going back); the copies here go, so that migrating forward
    again starts from a clean slate."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Sitting = apps.get_model("sittings", "Sitting")
    types = ContentType.objects.filter(app_label__in=["councils", "workshops"], model__in=["council", "workshop"])
    Sitting.objects.using(schema_editor.connection.alias).filter(body_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sittings", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("councils", "0001_initial"),
        ("workshops", "0002_upload_random_names"),
    ]

    operations = [migrations.RunPython(copy_forward, drop_copies)]
