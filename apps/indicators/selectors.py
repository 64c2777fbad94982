"""Reads of the indicators: participation, representativeness, renewal, over-solicitation,
answers and commitments, for one process, one quartier or the city, one year at a time.

Every count leaves through :mod:`apps.indicators.privacy` (cells under 11 people hidden,
others rounded); what is shown and what is exported are the same protected tables. The scopes
are an allowlist (a published process, a quartier, the city; a year): no free filter that would
let someone carve a population of one.

Participants are distinct people: events tied to an account count once per person, paper
events without an account count one each. A person whose snapshot changed during the year (a
move, a birthday crossing an age band) counts in each of their snapshots.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.answers.models import Answer
from apps.core.models import Channel, Process, Territory
from apps.core.participation import recording_modules
from apps.core.registry import ServiceDelay, all_manifests
from apps.followup.models import Commitment, CommitmentUpdate
from apps.indicators import privacy, sources, stats
from apps.indicators.models import Dimension, ReferencePopulation, Thresholds
from apps.indicators.scopes import Scope
from apps.indicators.sources import SOLICITED_PROCESSES

__all__ = ["SOLICITED_PROCESSES", "Scope"]

AGE_LABELS = {
    "u18": gettext_lazy("Moins de 18 ans"),
    "18-29": gettext_lazy("18 à 29 ans"),
    "30-44": gettext_lazy("30 à 44 ans"),
    "45-59": gettext_lazy("45 à 59 ans"),
    "60-74": gettext_lazy("60 à 74 ans"),
    "75+": gettext_lazy("75 ans et plus"),
}
GENDER_LABELS = {"f": gettext_lazy("Femmes"), "m": gettext_lazy("Hommes")}
QPV_LABELS = {"qpv": gettext_lazy("Habitent un QPV"), "other": gettext_lazy("Hors QPV")}
DIMENSION_FIELDS = {"age": "age_band", "gender": "gender", "qpv": "priority_area", "quartier": "territory_id"}
DIMENSION_TITLES = {
    "age": gettext_lazy("Âge"),
    "gender": gettext_lazy("Genre"),
    "qpv": gettext_lazy("Quartiers prioritaires (QPV)"),
    "quartier": gettext_lazy("Quartier de résidence"),
}
# Groups never raised as alerts: minors (the platform's processes mostly address adults, the
# table still shows them) and « hors QPV » (the alert is about the QPV being missing).
NOT_ALERTED = frozenset({"u18", "other"})


# --- participants by channel ---------------------------------------------------------------


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    participants: int | None
    acts: int | None


@dataclass(frozen=True)
class ChannelTable:
    rows: list[ChannelRow]
    total_participants: int | None
    # Acts of the modules that report counts only (no events, hence no participants).
    counted_acts: list[ChannelRow] = field(default_factory=list)


def _counted_acts(scope: Scope) -> dict[str, int]:
    """Acts by channel of the modules that declare counts only (their manifest's
    ``participation``), for the city or a quartier (counts know no process)."""
    recording = recording_modules()
    start, end = datetime.date(scope.year, 1, 1), datetime.date(scope.year, 12, 31)
    ids = scope.territory_ids()
    totals: dict[str, int] = defaultdict(int)
    for manifest in all_manifests():
        if manifest.participation is None or manifest.name in recording:
            continue
        for row in manifest.participation(start, end):
            if ids is None or row.territory_id in ids:
                totals[row.channel] += row.count
    return dict(totals)


def channels(scope: Scope) -> ChannelTable:
    source = sources.current()
    participants = privacy.protect(source.people_by(scope, "channel"), "channel_people")
    acts = privacy.protect(source.acts_by_channel(scope), "channel_acts")
    labels = dict(Channel.choices)
    rows = [
        ChannelRow(value, str(labels.get(value, value)), participants.get(value, 0), acts.get(value, 0))
        for value in Channel.values
        if value in participants
    ]
    counted: list[ChannelRow] = []
    if scope.process is None:
        protected = privacy.protect(_counted_acts(scope), "counted_acts")
        counted = [
            ChannelRow(value, str(labels.get(value, value)), None, protected[value])
            for value in Channel.values
            if value in protected
        ]
    return ChannelTable(rows, privacy.protect_one(source.people(scope), "participants"), counted)


# --- representativeness --------------------------------------------------------------------


def reference(scope: Scope) -> tuple[int | None, dict[tuple[str, str], int]]:
    """The reference population of the scope (its quartiers, or the city): the latest year
    imported up to the scope's year (else the earliest after it), summed by category."""
    figures = ReferencePopulation.objects.all()
    ids = scope.reference_territory_ids()
    if ids is not None:
        figures = figures.filter(territory_id__in=ids)
    years = sorted(set(figures.values_list("year", flat=True)))
    if not years:
        return None, {}
    year = max((y for y in years if y <= scope.year), default=years[0])
    totals: dict[tuple[str, str], int] = defaultdict(int)
    quartier_of = quartier_map()
    rows = figures.filter(year=year).values_list("territory_id", "dimension", "value", "count")
    for territory_id, dimension, value, count in rows:
        totals[(dimension, value)] += count
        if dimension == Dimension.TOTAL and territory_id in quartier_of:
            totals[("quartier", str(quartier_of[territory_id]))] += count
    return year, dict(totals)


def quartier_map() -> dict[int, int]:
    """Territory id → the id of its quartier (itself, or the parent of a micro-quartier)."""
    rows = Territory.objects.exclude(kind=Territory.Kind.CITY).values_list("pk", "kind", "parent_id")
    return {pk: (pk if kind == Territory.Kind.QUARTIER or parent is None else parent) for pk, kind, parent in rows}


def quartier_labels() -> dict[str, Any]:
    return {
        str(pk): name for pk, name in Territory.objects.filter(kind=Territory.Kind.QUARTIER).values_list("pk", "name")
    }


def _reference_shares(dimension: str, figures: dict[tuple[str, str], int]) -> dict[str, float]:
    if dimension == "qpv":
        total = figures.get((Dimension.TOTAL, ""), 0)
        qpv = figures.get((Dimension.QPV, ""), 0)
        return {"qpv": qpv / total, "other": 1 - qpv / total} if total else {}
    if dimension == "quartier":
        values = {value: count for (dim, value), count in figures.items() if dim == "quartier"}
    else:
        values = {value: count for (dim, value), count in figures.items() if dim == dimension}
    total = sum(values.values())
    return {value: count / total for value, count in values.items()} if total else {}


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    participants: int | None
    share: float | None  # percent, 0-100
    ci_low: float | None
    ci_high: float | None
    reference_share: float | None
    ratio: float | None
    under: bool


@dataclass(frozen=True)
class DimensionTable:
    dimension: str
    title: str
    rows: list[GroupRow]
    known: int | None  # participants whose category is known (protected)
    index: float | None  # None when a cell is hidden (the index would give it back)
    reference_year: int | None

    @property
    def under_groups(self) -> list[GroupRow]:
        return [row for row in self.rows if row.under]


def _labels(dimension: str) -> dict[str, Any]:
    if dimension == "quartier":
        return dict(sorted(quartier_labels().items(), key=lambda item: str(item[1])))
    return {"age": AGE_LABELS, "gender": GENDER_LABELS, "qpv": QPV_LABELS}[dimension]


def _counts(scope: Scope, dimension: str, labels: dict[str, Any]) -> dict[str, int]:
    raw = sources.current().people_by(scope, DIMENSION_FIELDS[dimension], residents=True)
    if dimension == "qpv":
        return {"qpv": raw.get(True, 0), "other": raw.get(False, 0)}
    if dimension == "quartier":
        # Counts by micro-quartier add up to their quartier (a person who moved between two
        # micro-quartiers of one quartier during the year counts in both snapshots).
        quartier_of = quartier_map()
        by_quartier: dict[str, int] = defaultdict(int)
        for territory_id, count in raw.items():
            if territory_id in quartier_of:
                by_quartier[str(quartier_of[territory_id])] += count
        return {key: by_quartier.get(key, 0) for key in labels}
    return {key: raw.get(key, 0) for key in labels}


def dimension_table(
    scope: Scope,
    dimension: str,
    figures: tuple[int | None, dict[tuple[str, str], int]],
    thresholds: Thresholds,
) -> DimensionTable:
    labels = _labels(dimension)
    counts = _counts(scope, dimension, labels)
    shown = privacy.protect(counts, dimension)
    known = sum(counts.values())
    ref_year, ref_figures = figures
    ref = _reference_shares(dimension, ref_figures)
    min_ratio = float(thresholds.min_ratio)
    # Shares, intervals, ratios and the index are computed on the published counts when they
    # are noised: computed on the true ones, they would give the true counts back.
    basis = {key: value or 0 for key, value in shown.items()} if privacy.noisy() else counts
    base = sum(basis.values())
    rows: list[GroupRow] = []
    for key, label in labels.items():
        published = shown[key]
        share = ci_low = ci_high = ratio = None
        if published is not None and base:
            low, high = stats.wilson(basis[key], base)
            share, ci_low, ci_high = 100 * basis[key] / base, 100 * low, 100 * high
        reference_share = 100 * ref[key] if key in ref else None
        if reference_share and base:
            # The ratio of a hidden cell is not shown: it would give the count back.
            ratio = (100 * basis[key] / base) / reference_share if published is not None else None
        under = bool(
            key not in NOT_ALERTED
            and reference_share
            and base >= thresholds.min_participants
            and basis[key] / base < min_ratio * reference_share / 100
            and 100 * stats.wilson(basis[key], base)[1] < reference_share
        )
        rows.append(GroupRow(key, str(label), published, share, ci_low, ci_high, reference_share, ratio, under))
    index = None
    if ref and base and all(shown[key] is not None or counts[key] == 0 for key in counts):
        index = stats.representativeness_index({k: v / base for k, v in basis.items()}, ref)
    return DimensionTable(
        dimension,
        str(DIMENSION_TITLES[dimension]),
        rows,
        privacy.protect_one(known, f"{dimension}_known"),
        index,
        ref_year,
    )


def representativeness(scope: Scope, thresholds: Thresholds | None = None) -> list[DimensionTable]:
    thresholds = thresholds or Thresholds.current()
    figures = reference(scope)
    dimensions = [dimension for dimension in DIMENSION_FIELDS if dimension != "quartier" or scope.city_wide]
    with sources.shared_reads():
        return [dimension_table(scope, dimension, figures, thresholds) for dimension in dimensions]


# --- renewal and over-solicitation ---------------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    year: int
    participants: int | None  # with an account
    first_timers: int | None
    returning: int | None  # took part the year before too
    retention: float | None  # percent of the year before's participants back this year


def renewal(scope: Scope) -> Renewal:
    participants, first, previous, returning = sources.current().renewal(scope)
    shown = privacy.protect({"new": first, "returning": returning, "rest": participants - first - returning}, "renewal")
    retention = None
    if shown["returning"] is not None and previous >= privacy.MIN_CELL:
        before = privacy.protect_one(previous, "renewal_previous") if privacy.noisy() else previous
        back = shown["returning"] if privacy.noisy() else returning
        retention = 100 * back / before if before else None
    return Renewal(
        scope.year,
        privacy.protect_one(participants, "renewal_participants"),
        shown["new"],
        shown["returning"],
        retention,
    )


def over_solicited(scope: Scope) -> int | None:
    """People who took part in ``SOLICITED_PROCESSES`` processes or more within one quarter
    of the year (« ne pas sursolliciter »), protected."""
    return privacy.protect_one(sources.current().over_solicited(scope), "over_solicited")


# --- answers and commitments ---------------------------------------------------------------


@dataclass(frozen=True)
class Accountability:
    answers: int
    median_days_to_due: float | None  # negative: answered before the promised date
    answers_late: int
    waiting_past_due: int
    commitments: int
    done_on_time: int
    done_late: int
    overdue: int


def _processes(scope: Scope) -> QuerySet[Process]:
    processes = Process.objects.published()
    if scope.process is not None:
        return processes.filter(pk=scope.process.pk)
    ids = scope.territory_ids()
    return processes.filter(territory_id__in=ids) if ids is not None else processes


def accountability(scope: Scope) -> Accountability:
    """Answers signed in the year against the date each process promised (``answer_due``),
    answers still unsigned past it, and commitments due in the year: done by their planned
    date, done later, or not done past it. Not about people: not suppressed."""
    processes = _processes(scope)
    today = timezone.localdate()
    signed = list(
        Answer.objects.filter(
            process__in=processes, state=Answer.State.PUBLISHED, signed_at__year=scope.year
        ).values_list("signed_at", "process__answer_due")
    )
    delays = [(timezone.localtime(at).date() - due).days for at, due in signed if at is not None]
    waiting = Answer.objects.filter(process__in=processes, process__answer_due__lt=today).exclude(
        state=Answer.State.PUBLISHED
    )
    commitments = Commitment.objects.filter(process__in=processes, planned_date__year=scope.year).exclude(
        state=Commitment.State.ABANDONED
    )
    done_dates = dict(
        CommitmentUpdate.objects.filter(commitment__in=commitments, state=Commitment.State.DONE)
        .values_list("commitment_id")
        .annotate(first=Min("date"))
        .values_list("commitment_id", "first")
    )
    on_time = late = overdue = 0
    total = 0
    for pk, planned, state in commitments.values_list("pk", "planned_date", "state"):
        total += 1
        done = done_dates.get(pk)
        if state == Commitment.State.DONE:
            if done is None or planned is None or done <= planned:
                on_time += 1
            else:
                late += 1
        elif planned is not None and planned < today:
            overdue += 1
    return Accountability(
        answers=len(delays),
        median_days_to_due=statistics.median(delays) if delays else None,
        answers_late=sum(1 for delay in delays if delay > 0),
        waiting_past_due=waiting.count(),
        commitments=total,
        done_on_time=on_time,
        done_late=late,
        overdue=overdue,
    )


def service_delays(scope: Scope) -> list[ServiceDelay]:
    """The delays of the services modules give residents (their manifest's ``service_delays``)
    for what was filed in the scope's year, in its quartiers or the city; a process has none.
    About a service, not people: not suppressed."""
    if scope.process is not None:
        return []
    start, end = datetime.date(scope.year, 1, 1), datetime.date(scope.year, 12, 31)
    ids = scope.territory_ids()
    return [
        row
        for manifest in all_manifests()
        if manifest.service_delays is not None
        for row in manifest.service_delays(start, end, ids)
    ]


# --- alerts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    process: Process
    group: str
    dimension: str
    reference_share: float
    share: float | None


def alerts(processes: Iterable[Process], year: int | None = None) -> list[Alert]:
    """The under-represented groups of the processes open now (for their agents): age band,
    gender, QPV, against the population of the process's territory."""
    thresholds = Thresholds.current()
    found: list[Alert] = []
    year = year or timezone.localdate().year
    for process in processes:
        if process.state() != "open":
            continue
        for table in representativeness(Scope(year, process), thresholds):
            for row in table.under_groups:
                found.append(Alert(process, row.label, table.title, row.reference_share or 0.0, row.share))
    return found


def years_with_events() -> list[int]:
    return sources.current().years()


def people(scope: Scope) -> int:
    """Distinct participants of the scope (unprotected: the caller protects)."""
    return sources.current().people(scope)


def process_ids(scope: Scope) -> set[int]:
    """The processes with participation in the scope."""
    return sources.current().process_ids(scope)


SUGGESTIONS = (
    gettext_lazy("une saisie papier dans les lieux fréquentés par ce groupe (centre social, marché, collège) ;"),
    gettext_lazy("une session dans la rue ou au pied des immeubles du quartier ;"),
    gettext_lazy("une réunion dans le quartier, à un horaire adapté."),
)


def reference_counts(territory_ids: Sequence[int], dimension: str) -> dict[str, int]:
    """The latest imported reference population of these territories by category of
    ``dimension`` (« age », « gender »), summed: what other modules read through the manifest."""
    figures = ReferencePopulation.objects.filter(territory_id__in=list(territory_ids), dimension=dimension)
    year = figures.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return {}
    totals: dict[str, int] = defaultdict(int)
    for value, count in figures.filter(year=year).values_list("value", "count"):
        totals[value] += count
    return dict(totals)
