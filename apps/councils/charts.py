"""Attendance of a council's meetings, as a picture: per meeting with recorded attendance, the
members present, excused and absent laid end to end. The meetings table of the page carries the
same counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.charts import Segment, StackedBarChart, StackedRow, stacked_bar_chart
from apps.sittings.models import Attendance, Sitting

LAST_MEETINGS = 12  # enough to see a trend, short enough to read on a phone


def attendance_chart(meetings: Sequence[Sitting], counts: Mapping[int, Mapping[str, int]]) -> StackedBarChart | None:
    """``meetings`` newest first (as the table); the chart reads oldest to newest. None when no
    attendance was recorded yet."""
    recorded = [meeting for meeting in meetings if counts.get(meeting.pk)][:LAST_MEETINGS]
    if not recorded:
        return None
    rows = []
    for meeting in reversed(recorded):
        by_status = counts[meeting.pk]
        present = by_status.get(Attendance.Status.PRESENT, 0)
        excused = by_status.get(Attendance.Status.EXCUSED, 0)
        absent = by_status.get(Attendance.Status.ABSENT, 0)
        rows.append(
            StackedRow(
                date_format(meeting.starts_at, "j M Y"),
                [
                    Segment(_("Présent·es"), present, "ok"),
                    Segment(_("Excusé·es"), excused, "muted"),
                    Segment(_("Absent·es"), absent, "alert"),
                ],
                _("%(present)s sur %(total)s") % {"present": present, "total": present + excused + absent},
            )
        )
    return stacked_bar_chart(
        _("Présence aux réunions"),
        rows,
        caption=_(
            "Membres présents, excusés et absents à chaque réunion ; les chiffres sont dans le tableau des réunions."
        ),
    )
