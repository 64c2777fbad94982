"""Where the commitments stand, as a picture: one bar per state and the overdue ones in the alert
colour (drawn by apps.core.charts), with the table that carries the same counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from apps.core.charts import Segment, StackedBarChart, StackedRow, Tone, stacked_bar_chart
from apps.followup.models import Commitment
from apps.followup.selectors import overdue_filter

TONES: dict[str, Tone] = {
    Commitment.State.PLANNED: "muted",
    Commitment.State.IN_PROGRESS: "primary",
    Commitment.State.DONE: "ok",
    Commitment.State.ABANDONED: "secondary",
}


@dataclass(frozen=True)
class StateCount:
    label: str
    count: int
    overdue: bool = False


@dataclass(frozen=True)
class StateFigures:
    rows: list[StateCount]
    chart: StackedBarChart


def state_figures(commitments: QuerySet[Commitment]) -> StateFigures | None:
    """Two queries whatever the number of commitments; None when there is none."""
    counts = dict(commitments.order_by().values_list("state").annotate(n=Count("pk")))
    if not counts:
        return None
    overdue = commitments.filter(overdue_filter()).count()
    rows = [StateCount(str(label), counts.get(state, 0)) for state, label in Commitment.State.choices]
    rows.append(StateCount(_("Dont en retard"), overdue, overdue=True))
    tones = [TONES[state] for state, _label in Commitment.State.choices] + ["alert"]
    chart = stacked_bar_chart(
        _("Engagements par état"),
        [
            StackedRow(row.label, [Segment(row.label, float(row.count), tone)], str(row.count))
            for row, tone in zip(rows, tones, strict=True)
        ],
        caption=_("Nombre d'engagements par état ; les chiffres sont dans le tableau ci-dessous."),
        legend=False,
    )
    return StateFigures(rows, chart)
