"""Meetings and their attendance now live in ``apps.sittings`` (copied by ``sittings.0002``,
which kept the meetings' ids): decisions point at the sittings, the old tables go.

Going back copies the council sittings into the recreated tables before decisions point at
them again, so a rollback loses nothing either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models


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
    with _original_dates(apps.get_model("councils", "Meeting")):
        _copy_back(apps, schema_editor)


def _copy_back(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    council_type = ContentType.objects.filter(app_label="councils", model="council").first()
    membership_type = ContentType.objects.filter(app_label="councils", model="membership").first()
    if council_type is None:
        return
    Sitting = apps.get_model("sittings", "Sitting")
    SittingAttendance = apps.get_model("sittings", "Attendance")
    Meeting = apps.get_model("councils", "Meeting")
    Attendance = apps.get_model("councils", "Attendance")
    alias = schema_editor.connection.alias
    sittings = Sitting.objects.using(alias).filter(body_type=council_type).order_by("pk")
    Meeting.objects.using(alias).bulk_create(
        [
            Meeting(
                pk=sitting.pk,
                council_id=sitting.body_id,
                title=sitting.title,
                starts_at=sitting.starts_at,
                place=sitting.place[:200],
                agenda=sitting.agenda,
                agenda_html=sitting.agenda_html,
                minutes=sitting.minutes,
                minutes_html=sitting.minutes_html,
                is_published=sitting.is_published,
                created_at=sitting.created_at,
            )
            for sitting in sittings.iterator()
        ],
        batch_size=500,
    )
    Attendance.objects.using(alias).bulk_create(
        [
            Attendance(meeting_id=row.sitting_id, membership_id=row.member_id, status=row.status)
            for row in SittingAttendance.objects.using(alias)
            .filter(sitting__body_type=council_type, member_type=membership_type)
            .order_by("pk")
            .iterator()
        ],
        batch_size=1000,
    )
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Meeting, Attendance]):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
        ("sittings", "0002_copy_sessions_and_meetings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="decision",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="council_decisions",
                to="sittings.sitting",
                verbose_name="réunion",
            ),
        ),
        # Backwards, this runs after the tables are back and before decisions point at them.
        migrations.RunPython(migrations.RunPython.noop, copy_back),
        migrations.DeleteModel(name="Attendance"),
        migrations.DeleteModel(name="Meeting"),
    ]
