"""Sessions, their documents and attendance now live in ``apps.sittings`` (copied by
``sittings.0002``): the old tables go.

Going back copies the workshop sittings into the recreated tables (a session keeps the id it
had as a sitting, documents keep theirs), so a rollback loses nothing either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import migrations


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


def copy_back(apps: Any, schema_editor: Any) -> None:
    with _original_dates(apps.get_model("workshops", "Session"), apps.get_model("workshops", "SessionDocument")):
        _copy_back(apps, schema_editor)


def _copy_back(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    workshop_type = ContentType.objects.filter(app_label="workshops", model="workshop").first()
    member_type = ContentType.objects.filter(app_label="workshops", model="panelmember").first()
    if workshop_type is None:
        return
    Sitting = apps.get_model("sittings", "Sitting")
    SittingDocument = apps.get_model("sittings", "Document")
    SittingAttendance = apps.get_model("sittings", "Attendance")
    Session = apps.get_model("workshops", "Session")
    SessionDocument = apps.get_model("workshops", "SessionDocument")
    Attendance = apps.get_model("workshops", "Attendance")
    alias = schema_editor.connection.alias
    sittings = Sitting.objects.using(alias).filter(body_type=workshop_type).order_by("pk")
    Session.objects.using(alias).bulk_create(
        [
            Session(
                pk=sitting.pk,
                workshop_id=sitting.body_id,
                title=sitting.title,
                starts_at=sitting.starts_at,
                ends_at=sitting.ends_at,
                place=sitting.place,
                agenda=sitting.agenda,
                experts_heard=sitting.experts_heard,
                minutes=sitting.minutes,
                minutes_html=sitting.minutes_html,
                is_published=sitting.is_published,
                created_at=sitting.created_at,
            )
            for sitting in sittings.iterator()
        ],
        batch_size=500,
    )
    SessionDocument.objects.using(alias).bulk_create(
        [
            SessionDocument(
                pk=document.pk,
                session_id=document.sitting_id,
                title=document.title,
                file=document.file.name,
                created_at=document.created_at,
            )
            for document in SittingDocument.objects.using(alias)
            .filter(sitting__body_type=workshop_type)
            .order_by("pk")
            .iterator()
        ],
        batch_size=500,
    )
    # A panel's attendance only ever records who was present.
    Attendance.objects.using(alias).bulk_create(
        [
            Attendance(session_id=row.sitting_id, member_id=row.member_id)
            for row in SittingAttendance.objects.using(alias)
            .filter(sitting__body_type=workshop_type, member_type=member_type, status="present")
            .order_by("pk")
            .iterator()
        ],
        batch_size=1000,
    )
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(
            no_style(), [Session, SessionDocument, Attendance]
        ):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0002_upload_random_names"),
        ("sittings", "0002_copy_sessions_and_meetings"),
    ]

    operations = [
        # Backwards, this runs last: once the tables are back.
        migrations.RunPython(migrations.RunPython.noop, copy_back),
        migrations.DeleteModel(name="Attendance"),
        migrations.DeleteModel(name="SessionDocument"),
        migrations.DeleteModel(name="Session"),
    ]
