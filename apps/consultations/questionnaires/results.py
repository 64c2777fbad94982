"""Results of a questionnaire: counts per question with a bar chart, cross-tabs by quartier and
age band, and, for a multi-site session, the results side by side by site and each site's
participants against its population.

Statistical secrecy: a cell (a group × answer count) under 11 is shown as « < 11 », a group or a
site with fewer than 11 responses shows no figures, and free-text answers are counted, never
quoted here. Drawn from the grouped rows of ``aggregates`` (added up by the database), read
from the snapshot that ``snapshots`` keeps fresh."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from apps.consultations.questionnaires.aggregates import aggregate
from apps.consultations.questionnaires.models import Question, Questionnaire, Site
from apps.core.charts import BarChart, ChartRow, bar_chart
from apps.core.models import Territory
from apps.core.registry import reference_population

MIN_CELL = 11
HIDDEN = "< 11"
AGE_LABELS = {
    "u18": "Moins de 18 ans",
    "18-29": "18 à 29 ans",
    "30-44": "30 à 44 ans",
    "45-59": "45 à 59 ans",
    "60-74": "60 à 74 ans",
    "75+": "75 ans et plus",
}
CROSSABLE = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE}


def cell(count: int) -> str:
    return HIDDEN if 0 < count < MIN_CELL else str(count)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


@dataclass
class Tally:
    """What one pass over the responses gathers for one question."""

    counts: Counter[Any] = field(default_factory=Counter)
    answered: int = 0
    by_group: dict[str, dict[Any, Counter[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    by_site: dict[int | None, Counter[Any]] = field(default_factory=lambda: defaultdict(Counter))
    site_answered: Counter[int | None] = field(default_factory=Counter)
    rank_sum: Counter[int] = field(default_factory=Counter)


def _categories(question: Question) -> list[tuple[Any, str]]:
    if question.kind == Question.Kind.SCALE:
        return [(value, str(value)) for value in range(question.scale_min, question.scale_max + 1)]
    if question.kind == Question.Kind.MATRIX:
        return [
            ((row, column), f"{row_label} : {option}")
            for row, row_label in enumerate(question.rows)
            for column, option in enumerate(question.options)
        ]
    return list(enumerate(question.options))


def _category(question: Question, key: str) -> Any:
    """The category of a grouped row's key (``aggregates``): an option, a value, a matrix cell."""
    if question.kind == Question.Kind.MATRIX:
        row, column = key.split(":")
        return (int(row), int(column))
    return int(key)


def tally(
    questions: Sequence[Question], rows: Iterable[Sequence[Any]], profile_rows: Iterable[Sequence[Any]]
) -> tuple[dict[int, Tally], Counter[Any]]:
    """Add up the grouped rows of ``aggregates`` (a few thousand, whatever the responses)."""
    by_pk = {question.pk: question for question in questions}
    tallies = {question.pk: Tally() for question in questions}
    profile: Counter[Any] = Counter()
    for quartier, age_band, site, n in profile_rows:
        profile[("site", site)] += n
        profile[("quartier", quartier)] += n
        profile[("age", age_band)] += n
        profile[("site_age", site, age_band)] += n
    for question_id, key, quartier, age_band, site, n, rank_sum in rows:
        question = by_pk.get(question_id)
        if question is None:
            continue
        item = tallies[question.pk]
        if key == "":
            item.answered += n
            item.site_answered[site] += n
            continue
        if question.kind == Question.Kind.RANKING:
            item.rank_sum[int(key)] += rank_sum
            continue
        if question.kind == Question.Kind.TEXT:
            continue
        category = _category(question, key)
        item.counts[category] += n
        item.by_site[site][category] += n
        if question.kind in CROSSABLE:
            item.by_group["quartier"][quartier][category] += n
            item.by_group["age"][age_band][category] += n
    return tallies, profile


@dataclass(frozen=True)
class CrossTab:
    title: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    chart: BarChart | None
    table: list[tuple[str, str, str]]  # label, count (protected), share
    crosstabs: list[CrossTab]
    by_site: CrossTab | None


def _chart_and_table(question: Question, item: Tally) -> tuple[BarChart | None, list[tuple[str, str, str]]]:
    if question.kind == Question.Kind.TEXT:
        return None, []
    if question.kind == Question.Kind.RANKING:
        rows = []
        for option, label in enumerate(question.options):
            mean = item.rank_sum[option] / item.answered if item.answered >= MIN_CELL else None
            rows.append((label, mean))
        rows.sort(key=lambda row: row[1] if row[1] is not None else 99)
        chart_rows = [
            ChartRow(
                label,
                (len(question.options) + 1 - mean) if mean is not None else None,
                f"{mean:.1f}" if mean else HIDDEN,
            )
            for label, mean in rows
        ]
        table = [(label, f"{mean:.1f}" if mean is not None else HIDDEN, "") for label, mean in rows]
        return bar_chart(question.text, chart_rows, caption=_("Rang moyen (1 = en tête)")), table
    table = []
    chart_rows = []
    for key, label in _categories(question):
        count = item.counts[key]
        hidden = 0 < count < MIN_CELL
        table.append((label, cell(count), "" if hidden else percent(count, item.answered)))
        chart_rows.append(ChartRow(label, None if hidden else float(count), cell(count)))
    return bar_chart(question.text, chart_rows), table


def _crosstab(title: str, question: Question, groups: dict[Any, Counter[Any]], labels: dict[Any, str]) -> CrossTab:
    categories = _categories(question)
    rows = []
    for key, label in labels.items():
        counts = groups.get(key, Counter())
        total = sum(counts.values())
        if total < MIN_CELL:
            rows.append((label, [HIDDEN if total else "0"] * len(categories)))
        else:
            rows.append((label, [cell(counts[category]) for category, _label in categories]))
    return CrossTab(title, [label for _key, label in categories], rows)


def _site_table(question: Question, item: Tally, sites: Sequence[Site]) -> CrossTab:
    """Shares by site, then overall: a site with fewer than 11 answers shows none."""
    columns: list[tuple[str, Counter[Any], int]] = [
        (site.name, item.by_site.get(site.pk, Counter()), item.site_answered[site.pk]) for site in sites
    ]
    columns.append((_("Ensemble"), item.counts, item.answered))
    rows = []
    for key, label in _categories(question):
        values = []
        for _name, counts, answered in columns:
            values.append(percent(counts[key], answered) if answered >= MIN_CELL else HIDDEN if answered else "–")
        rows.append((label, values))
    rows.append((_("Nombre de réponses"), [cell(answered) for _name, _counts, answered in columns]))
    return CrossTab(question.text, [name for name, _c, _a in columns], rows)


def questionnaire_results(questionnaire: Questionnaire, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The results drawn from ``data`` (a snapshot's, see ``snapshots``), else computed now."""
    if data is None:
        data = aggregate(questionnaire.pk)
    questions = list(questionnaire.questions.all())
    sites = list(questionnaire.sites.select_related("territory"))
    tallies, profile = tally(questions, data["answers"], data["profile"])
    quartiers = dict(Territory.objects.filter(kind=Territory.Kind.QUARTIER).values_list("pk", "name"))
    quartier_labels: dict[Any, str] = {**quartiers, None: _("Quartier non renseigné")}
    age_labels: dict[Any, str] = {**AGE_LABELS, "": _("Âge non renseigné")}
    results = []
    for question in questions:
        item = tallies[question.pk]
        chart, table = _chart_and_table(question, item)
        crosstabs = []
        if question.kind in CROSSABLE:
            crosstabs = [
                _crosstab(_("Par quartier"), question, item.by_group["quartier"], quartier_labels),
                _crosstab(_("Par tranche d'âge"), question, item.by_group["age"], age_labels),
            ]
        by_site = _site_table(question, item, sites) if sites and question.kind in CROSSABLE else None
        results.append(QuestionResult(question, item.answered, chart, table, crosstabs, by_site))
    total = sum(count for key, count in profile.items() if key[0] == "site")
    return {
        "total": total,
        "total_text": cell(total),
        "results": results,
        "sites": [_site_profile(site, profile) for site in sites],
    }


@dataclass(frozen=True)
class SiteProfile:
    site: Site
    participants: str
    chart: BarChart | None
    rows: list[tuple[str, str, str]]  # age band, participants' share, population's share


def _site_profile(site: Site, profile: Counter[Any]) -> SiteProfile:
    """The site's participants by age band against the reference population of its quartier."""
    counts = {band: profile[("site_age", site.pk, band)] for band in AGE_LABELS}
    known = sum(counts.values())
    total = profile[("site", site.pk)]
    reference = reference_population([site.territory_id], "age") if site.territory_id else {}
    population = sum(reference.get(band, 0) for band in AGE_LABELS)
    if known < MIN_CELL:
        return SiteProfile(site, cell(total), None, [])
    rows = []
    chart_rows = []
    for band, label in AGE_LABELS.items():
        hidden = 0 < counts[band] < MIN_CELL
        share = None if hidden else 100 * counts[band] / known
        ref = 100 * reference.get(band, 0) / population if population else None
        rows.append((label, HIDDEN if hidden else f"{share:.0f} %", f"{ref:.0f} %" if ref is not None else "–"))
        chart_rows.append(
            ChartRow(
                label,
                share,
                HIDDEN if hidden else f"{share:.0f} %",
                reference=ref,
                reference_text=f"{ref:.0f} %" if ref is not None else "",
            )
        )
    title = _("Âge des participant·es : %(site)s") % {"site": site.name}
    caption = _("Barre grise : part dans la population du quartier") if population else ""
    return SiteProfile(site, cell(total), bar_chart(title, chart_rows, caption=caption), rows)
