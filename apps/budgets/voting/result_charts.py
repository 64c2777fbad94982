"""The pictures of a published result, drawn by the shared SVG charts (apps.core.charts): the
envelope spent, each project's votes coloured by whether it is funded, and the turnout per
quartier. The results page prints the same figures in its tables right after each chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from apps.core.charts import BarChart, ChartRow, Segment, StackedBarChart, StackedRow, bar_chart, stacked_bar_chart
from apps.core.formatting import number

if TYPE_CHECKING:
    from apps.budgets.voting.results import EnvelopeResults


def envelope_chart(block: EnvelopeResults) -> StackedBarChart:
    amount = float(block.envelope.amount)
    spent = float(block.result.spent)
    row = StackedRow(
        str(block.envelope),
        [Segment(_("Attribué"), spent, "primary"), Segment(_("Non attribué"), max(amount - spent, 0.0), "muted")],
        _("%(spent)s € sur %(amount)s €") % {"spent": number(spent), "amount": number(amount)},
    )
    return stacked_bar_chart(
        _("Enveloppe attribuée"),
        [row],
        scale=amount,
        caption=_("Part de l'enveloppe attribuée aux projets retenus."),
    )


def projects_chart(block: EnvelopeResults) -> StackedBarChart:
    rows = [
        StackedRow(
            line.project.title,
            [
                Segment(_("Retenu"), float(line.votes), "ok")
                if line.selected
                else Segment(_("Non retenu"), float(line.votes), "muted")
            ],
            line.votes_label,
        )
        for line in block.lines
    ]
    return stacked_bar_chart(
        _("Voix par projet"),
        rows,
        caption=_("Projets du plus voté au moins voté, en vert les projets retenus ; détail dans le tableau."),
    )


def turnout_chart(block: EnvelopeResults) -> BarChart:
    rows = [
        ChartRow(
            str(row["name"]),
            row["rate"],
            "—" if row["rate"] is None else f"{number(row['rate'], 2)} %",
        )
        for row in block.turnout_rows
    ]
    return bar_chart(
        _("Participation par quartier"),
        rows,
        caption=_("Part des habitantes et habitants de chaque quartier qui ont voté ; détail dans le tableau."),
    )
