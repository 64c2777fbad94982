"""The yearly « cahier de la participation » of a quartier (web page and PDF): who took part and
how, against the population; renewal; the city's answers and the state of its commitments; the
trust barometer; the processes of the year. Generated from the indicators (every count through
:mod:`apps.indicators.privacy`: small cells hidden, others rounded) and the public follow-up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, Table, TableStyle

from apps.core import formatting
from apps.core.models import Process, Territory
from apps.core.pdf import a4_pdf
from apps.core.registry import ServiceDelay
from apps.followup.models import Commitment
from apps.indicators import privacy, selectors
from apps.indicators.barometer import Barometer, barometer


@dataclass
class QuartierCahier:
    territory: Territory
    year: int
    channels: selectors.ChannelTable
    tables: list[selectors.DimensionTable]
    renewal: selectors.Renewal
    over_solicited: int | None
    accountability: selectors.Accountability
    barometer: Barometer
    processes: list[Process]
    commitments: list[Commitment]
    service_delays: list[ServiceDelay]


def quartier_processes(territory: Territory, year: int) -> QuerySet[Process]:
    """The published processes of the quartier that ran during the year (a phase within it)."""
    return (
        Process.objects.published()
        .filter(
            territory_id__in=territory.descendant_ids(),
            phases__starts_at__year__lte=year,
            phases__ends_at__year__gte=year,
        )
        .distinct()
        .order_by("title")
    )


def quartier_commitments(territory: Territory, year: int) -> list[Commitment]:
    """The city's commitments in the quartier planned for the year (public follow-up)."""
    ids = territory.descendant_ids()
    return list(
        Commitment.objects.filter(Q(territory_id__in=ids) | Q(process__territory_id__in=ids))
        .filter(planned_date__year=year, process__is_published=True)
        .select_related("process")
        .order_by("planned_date", "pk")
    )


def cahier_of(territory: Territory, year: int) -> QuartierCahier:
    scope = selectors.Scope(year, territory=territory)
    return QuartierCahier(
        territory=territory,
        year=year,
        channels=selectors.channels(scope),
        tables=selectors.representativeness(scope),
        renewal=selectors.renewal(scope),
        over_solicited=selectors.over_solicited(scope),
        accountability=selectors.accountability(scope),
        barometer=barometer(scope),
        processes=list(quartier_processes(territory, year)[:100]),
        commitments=quartier_commitments(territory, year),
        service_delays=selectors.service_delays(scope),
    )


# --- PDF -------------------------------------------------------------------------------------


def _count(value: int | None) -> str:
    return _("moins de %(n)s") % {"n": privacy.MIN_CELL} if value is None else str(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " / 5"


def _days(value: float | None) -> str:
    return "—" if value is None else _("%(days)s jours") % {"days": f"{value:.1f}".replace(".", ",")}


def _late(row: ServiceDelay) -> str:
    share = row.overdue_share
    if share is None:
        return "—"
    return f"{row.overdue} ({share:.0f} %) — {row.deadline}"


def _date(day: datetime.date | None) -> str:
    return formatting.date_format(day, "j F Y") if day else "—"


def _table(rows: list[list[str]], style: ParagraphStyle) -> Any:
    data = [[Paragraph(escape(cell), style) for cell in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#999999"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def cahier_pdf(cahier: QuartierCahier) -> bytes:
    city = cahier.territory.root().name
    title = _("Cahier de la participation %(year)s — %(quartier)s") % {
        "year": cahier.year,
        "quartier": cahier.territory.name,
    }
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=18)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], spaceBefore=12)
    normal = ParagraphStyle("n", parent=styles["BodyText"], fontSize=9.5, leading=13)
    story: list[Any] = [
        Paragraph(escape(city), styles["Heading4"]),
        Paragraph(escape(title), h1),
        Paragraph(
            escape(
                _(
                    "Secret statistique : un groupe de moins de %(n)s personnes n'est jamais montré ; "
                    "les effectifs sont arrondis à 5 près. Édité le %(date)s."
                )
                % {"n": privacy.MIN_CELL, "date": _date(timezone.localdate())}
            ),
            normal,
        ),
        Paragraph(escape(_("Participants par canal")), h2),
    ]
    rows = [[_("Canal"), _("Participants"), _("Actes")]]
    rows += [[row.label, _count(row.participants), _count(row.acts)] for row in cahier.channels.rows]
    rows.append([_("Total (personnes distinctes)"), _count(cahier.channels.total_participants), ""])
    story.append(_table(rows, normal))
    story.append(Paragraph(escape(_("Qui participe, par rapport à la population")), h2))
    for dimension in cahier.tables:
        story.append(Paragraph(f"<b>{escape(dimension.title)}</b>", normal))
        rows = [[_("Groupe"), _("Participants"), _("Part des participants"), _("Part dans la population")]]
        rows += [
            [
                row.label + (" — " + _("sous-représenté") if row.under else ""),
                _count(row.participants),
                _percent(row.share),
                _percent(row.reference_share),
            ]
            for row in dimension.rows
        ]
        story.append(_table(rows, normal))
    renewal = cahier.renewal
    story.append(Paragraph(escape(_("Renouvellement et sursollicitation")), h2))
    story.append(
        _table(
            [
                [_("Indicateur"), _("Valeur")],
                [_("Participants avec un compte"), _count(renewal.participants)],
                [_("Dont première participation"), _count(renewal.first_timers)],
                [_("Dont déjà venus l'année précédente"), _count(renewal.returning)],
                [_("Personnes très sollicitées"), _count(cahier.over_solicited)],
            ],
            normal,
        )
    )
    acc = cahier.accountability
    story.append(Paragraph(escape(_("Réponses et engagements")), h2))
    story.append(
        _table(
            [
                [_("Indicateur"), _("Valeur")],
                [_("Réponses argumentées publiées"), str(acc.answers)],
                [_("Réponses publiées après la date promise"), str(acc.answers_late)],
                [_("Réponses encore attendues, date dépassée"), str(acc.waiting_past_due)],
                [_("Engagements prévus cette année"), str(acc.commitments)],
                [_("Réalisés à temps"), str(acc.done_on_time)],
                [_("Réalisés en retard"), str(acc.done_late)],
                [_("En retard, pas encore réalisés"), str(acc.overdue)],
            ],
            normal,
        )
    )
    if cahier.commitments:
        rows = [[_("Engagement"), _("Démarche"), _("Prévu le"), _("État")]]
        rows += [
            [
                commitment.title,
                commitment.process.title,
                _date(commitment.planned_date),
                _("En retard") if commitment.is_overdue else commitment.get_state_display(),
            ]
            for commitment in cahier.commitments
        ]
        story.append(_table(rows, normal))
    if cahier.service_delays:
        story.append(Paragraph(escape(_("Délais de réponse aux habitant·es")), h2))
        rows = [[_("Étape"), _("Atteinte"), _("Délai médian"), _("En attente"), _("Hors délai")]]
        rows += [
            [row.label, str(row.reached), _days(row.median_days), str(row.waiting), _late(row)]
            for row in cahier.service_delays
        ]
        story.append(_table(rows, normal))
    story.append(Paragraph(escape(_("Baromètre de confiance")), h2))
    baro = cahier.barometer
    if baro.replies is None or not baro.shown:
        story.append(
            Paragraph(
                escape(_("Moins de %(n)s avis cette année : rien n'est publié.") % {"n": privacy.MIN_CELL}), normal
            )
        )
    else:
        story.append(
            _table(
                [
                    [_("Question"), _("Moyenne"), _("Plutôt oui ou tout à fait")],
                    [_("Vous sentez-vous entendu·e ?"), _mean(baro.heard_mean), _percent(baro.heard_positive)],
                    [_("La réponse est-elle claire ?"), _mean(baro.clear_mean), _percent(baro.clear_positive)],
                    [_("Nombre d'avis"), _count(baro.replies), ""],
                ],
                normal,
            )
        )
    story.append(Paragraph(escape(_("Les démarches de l'année")), h2))
    if cahier.processes:
        story.append(_table([[_("Démarche")]] + [[process.title] for process in cahier.processes], normal))
    else:
        story.append(Paragraph(escape(_("Aucune démarche publiée dans le quartier cette année.")), normal))
    return a4_pdf(story, title=title, author=city)
