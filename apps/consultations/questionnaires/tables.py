"""A multi-site session's tables added up by their facilitators: one form per table with the
number of participants and, for each question, how many gave each answer (8 participants: 5
« oui », 3 « non »). Choices, scales and matrices only: a ranking or a free text is entered
person by person (``services.site_entry``).

The totals cannot exceed the table: an answer of a single choice or a scale adds up to at most
the participants; a multiple choice says how many answered and no option has more; each matrix
row adds up to at most the participants; a conditional question counts at most those who gave
the answer it depends on. Typed twice like paper forms (``PaperForm``): the second entry by
another person (a facilitator of the site or an agent) confirms it, or lists what differs for a
third person to settle. Confirmed totals count in the results under their site, channel
« meeting », one participation event per participant (their profile is unknown: they do not
enter the cross-tabs by quartier and age band).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.consultations.questionnaires import editing, rules, services, snapshots
from apps.consultations.questionnaires.answers import FormData
from apps.consultations.questionnaires.models import PaperForm, Question, Site, TableTotals
from apps.core import participation
from apps.core.models import audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

COUNTABLE = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.MATRIX}
MAX_HEADCOUNT = 100


@dataclass(frozen=True)
class Cell:
    key: str  # the key of ``aggregates`` (``"2"``, ``"0:1"``)
    name: str  # the form field
    label: str
    value: str


@dataclass(frozen=True)
class TotalsQuestion:
    question: Question
    number: int
    lines: list[tuple[str, list[Cell]]]  # one line for a choice or a scale, one per matrix row
    respondents: Cell | None  # multiple choice only
    condition: str
    error: str


def _raw(data: FormData | None, name: str) -> str:
    return str((data.get(name) if data is not None else "") or "").strip()


def _lines(question: Question, data: FormData | None) -> list[tuple[str, list[Cell]]]:
    prefix = f"t{question.pk}"
    if question.kind == Question.Kind.MATRIX:
        return [
            (
                str(row_label),
                [
                    Cell(
                        f"{row}:{column}",
                        f"{prefix}_{row}_{column}",
                        str(option),
                        _raw(data, f"{prefix}_{row}_{column}"),
                    )
                    for column, option in enumerate(question.options)
                ],
            )
            for row, row_label in enumerate(question.rows)
        ]
    if question.kind == Question.Kind.SCALE:
        values = [(str(v), str(v)) for v in range(question.scale_min, question.scale_max + 1)]
    else:
        values = [(str(i), str(option)) for i, option in enumerate(question.options)]
    return [("", [Cell(key, f"{prefix}_{key}", label, _raw(data, f"{prefix}_{key}")) for key, label in values])]


def totals_views(
    questions: Sequence[Question], data: FormData | None, errors: Mapping[str, str]
) -> list[TotalsQuestion]:
    numbers = {question.pk: index for index, question in enumerate(questions, start=1)}
    by_pk = {question.pk: question for question in questions}
    views = []
    for question in questions:
        if question.kind not in COUNTABLE:
            continue
        parent = by_pk.get(question.condition_question_id or 0)
        condition = ""
        if (
            parent is not None
            and question.condition_option is not None
            and question.condition_option < len(parent.options)
        ):
            condition = _("Seulement les personnes qui ont répondu « %(option)s » à la question %(number)s.") % {
                "option": parent.options[question.condition_option],
                "number": numbers[parent.pk],
            }
        respondents = None
        if question.kind == Question.Kind.MULTIPLE:
            name = f"t{question.pk}_n"
            respondents = Cell("", name, _("Personnes ayant répondu"), _raw(data, name))
        views.append(
            TotalsQuestion(
                question,
                numbers[question.pk],
                _lines(question, data),
                respondents,
                condition,
                errors.get(f"t{question.pk}", ""),
            )
        )
    return views


def _count(raw: str) -> int | None:
    if not raw:
        return 0
    return int(raw) if raw.isdigit() else None


def read_totals(questions: Sequence[Question], data: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    headcount = _count(_raw(data, "headcount"))
    if headcount is None or not 1 <= headcount <= MAX_HEADCOUNT:
        errors["headcount"] = _("Indiquez le nombre de participant·es de la table (de 1 à %(max)s).") % {
            "max": MAX_HEADCOUNT
        }
        return {}, errors
    counts: dict[str, dict[str, int]] = {}
    for view in totals_views(questions, data, {}):
        question, field = view.question, f"t{view.question.pk}"
        values = {cell.key: _count(cell.value) for _label, cells in view.lines for cell in cells}
        respondents = _count(view.respondents.value) if view.respondents else 0
        if respondents is None or any(value is None for value in values.values()):
            errors[field] = _("Indiquez des nombres entiers, 0 si personne.")
            continue
        numbers = {key: value or 0 for key, value in values.items()}
        limit, limit_text = headcount, _("le nombre de participant·es de la table (%(n)s)")
        parent = question.condition_question
        if parent is not None and question.condition_option is not None:
            given = counts.get(str(parent.pk), {}).get(str(question.condition_option), 0)
            limit, limit_text = min(limit, given), _("le nombre de personnes concernées par la condition (%(n)s)")
        if question.kind == Question.Kind.MATRIX:
            sums = [
                sum(cell_n for key, cell_n in numbers.items() if key.startswith(f"{row}:"))
                for row in range(len(question.rows))
            ]
            answered = max(sums, default=0)
            over = answered > limit
        elif question.kind == Question.Kind.MULTIPLE:
            answered = respondents
            if any(n > respondents for n in numbers.values()):
                errors[field] = _(
                    "Une réponse ne peut pas être choisie par plus de personnes qu'il n'y a de répondant·es (%(n)s)."
                ) % {"n": respondents}
                continue
            if respondents == 0 and any(numbers.values()):
                errors[field] = _("Indiquez combien de personnes ont répondu à cette question.")
                continue
            over = answered > limit
        else:
            answered = sum(numbers.values())
            over = answered > limit
        if over:
            errors[field] = _("Le total des réponses (%(total)s) dépasse %(limit)s.") % {
                "total": answered,
                "limit": limit_text % {"n": limit},
            }
            continue
        if answered:
            counts[str(question.pk)] = {"": answered, **{key: n for key, n in numbers.items() if n}}
    return {"headcount": headcount, "counts": counts}, errors


def _contested(first: Mapping[str, Any], second: Mapping[str, Any]) -> list[str]:
    keys = sorted(set(first["counts"]) | set(second["counts"]))
    differing = ["headcount"] if first["headcount"] != second["headcount"] else []
    return differing + [key for key in keys if first["counts"].get(key) != second["counts"].get(key)]


def _confirm(totals: TableTotals, entry: dict[str, Any], person: User) -> None:
    totals.state = PaperForm.State.CONFIRMED
    totals.second_entry = entry  # the entry that counts
    totals.contested = []
    totals.save()
    site = totals.site
    for _i in range(int(entry["headcount"])):
        participation.record(
            module="consultations",
            kind=services.PARTICIPATION_KIND,
            person=None,
            process=site.questionnaire.process,
            channel="meeting",
            territory=site.territory,
        )
    snapshots.on_commit_answers_changed(site.questionnaire_id)
    audit(person, "consultations.table_confirmed", totals, table=totals.table)


def table_totals_entry(*, person: User, site: Site, data: FormData) -> TableTotals:
    """Enter a table's totals: first entry, confirming second entry, or settling third entry."""
    require(rules.can_enter_for_site(person, site))
    table = " ".join(str(data.get("table") or "").split())[:20]
    if not table:
        raise ValidationError({"table": _("Indiquez le numéro ou le nom de la table.")})
    questionnaire = site.questionnaire
    with transaction.atomic():
        editing.lock_for_answers(questionnaire)
        questions = list(questionnaire.questions.select_related("condition_question"))
        entry, errors = read_totals(questions, data)
        if errors:
            raise ValidationError(errors)
        totals = TableTotals.objects.select_for_update().filter(site=site, table=table).first()
        if totals is None:
            try:
                with transaction.atomic():
                    totals = TableTotals.objects.create(site=site, table=table, first_entry=entry, first_by=person)
            except IntegrityError as error:
                raise ValidationError(
                    {"table": _("Cette table vient d'être saisie par une autre personne : saisissez-la à nouveau.")}
                ) from error
            audit(person, "consultations.table_first_entry", totals, table=table)
            return totals
        services.settle_second_entry(
            totals,
            person,
            field="table",
            counted=_("Les totaux de la table %(table)s sont déjà comptés.") % {"table": table},
            own=_(
                "Vous avez fait la première saisie de cette table : une autre personne (animateur·rice "
                "du site ou agent) doit la confirmer en saisissant la même feuille."
            ),
            contested=_contested(totals.first_entry, entry),
            entry=entry,
            confirm=lambda: _confirm(totals, entry, person),
            disputed_action="consultations.table_disputed",
            table=table,
        )
        return totals
