"""Reading a questionnaire's answers from a submitted form (online, paper or a site's entry),
checking them, and the conditions between questions.

One parser for every channel: the same field names (``q<id>``, ``q<id>_<i>`` for a ranking or a
matrix row), the same checks, the same French errors. A conditional question whose condition is
not met is not applicable: its answer is dropped and it is never required, so a form without
JavaScript (which shows every question) cannot record an answer the respondent should not have
given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _

from apps.consultations.questionnaires.models import Question

TEXT_MAX = 2000
Answers = dict[str, Any]


class FormData(Protocol):
    def get(self, key: str, default: Any = None, /) -> Any: ...
    def getlist(self, key: str, default: Any = None, /) -> list[Any]: ...


def applicable(question: Question, answers: Mapping[str, Any]) -> bool:
    """True when the question has no condition, or the earlier answer includes its option."""
    if question.condition_question_id is None:
        return True
    given = answers.get(str(question.condition_question_id))
    if isinstance(given, list):
        return question.condition_option in given
    return given is not None and given == question.condition_option


def _index(raw: Any, size: int) -> int | None:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < size else None


def _single(question: Question, data: FormData) -> tuple[Any, str]:
    raw = (data.get(question.field_name) or "").strip()
    if not raw:
        return None, ""
    index = _index(raw, len(question.options))
    return (index, "") if index is not None else (None, _("Choisissez une des réponses proposées."))


def _multiple(question: Question, data: FormData) -> tuple[Any, str]:
    raws = [raw for raw in data.getlist(question.field_name) if str(raw).strip()]
    indexes = [_index(raw, len(question.options)) for raw in raws]
    if any(index is None for index in indexes):
        return None, _("Choisissez parmi les réponses proposées.")
    chosen = sorted({index for index in indexes if index is not None})
    return (chosen or None), ""


def _scale(question: Question, data: FormData) -> tuple[Any, str]:
    raw = (data.get(question.field_name) or "").strip()
    if not raw:
        return None, ""
    try:
        value = int(raw)
    except ValueError:
        value = question.scale_min - 1
    if not question.scale_min <= value <= question.scale_max:
        return None, _("Choisissez une note entre %(low)s et %(high)s.") % {
            "low": question.scale_min,
            "high": question.scale_max,
        }
    return value, ""


def _ranking(question: Question, data: FormData) -> tuple[Any, str]:
    size = len(question.options)
    raws = [(data.get(f"{question.field_name}_{i}") or "").strip() for i in range(size)]
    if not any(raws):
        return None, ""
    ranks = [_index(raw, size + 1) for raw in raws]
    if any(rank is None or rank == 0 for rank in ranks) or len(set(ranks)) != size:
        return None, _("Donnez à chaque proposition un rang différent, de 1 à %(size)s.") % {"size": size}
    # Stored as the options in the order given: the first is ranked 1.
    return sorted(range(size), key=lambda i: ranks[i] or 0), ""


def _text(question: Question, data: FormData) -> tuple[Any, str]:
    value = " ".join(str(data.get(question.field_name) or "").split())
    if len(value) > TEXT_MAX:
        return None, _("Votre réponse dépasse %(max)s caractères : raccourcissez-la.") % {"max": TEXT_MAX}
    return (value or None), ""


def _matrix(question: Question, data: FormData) -> tuple[Any, str]:
    chosen: dict[str, int] = {}
    for row in range(len(question.rows)):
        raw = (data.get(f"{question.field_name}_{row}") or "").strip()
        if not raw:
            continue
        index = _index(raw, len(question.options))
        if index is None:
            return None, _("Choisissez une des réponses proposées sur chaque ligne.")
        chosen[str(row)] = index
    if chosen and question.required and len(chosen) != len(question.rows):
        return None, _("Répondez sur chaque ligne du tableau.")
    return (chosen or None), ""


_PARSERS = {
    Question.Kind.SINGLE: _single,
    Question.Kind.MULTIPLE: _multiple,
    Question.Kind.SCALE: _scale,
    Question.Kind.RANKING: _ranking,
    Question.Kind.TEXT: _text,
    Question.Kind.MATRIX: _matrix,
}


def parse(questions: Sequence[Question], data: FormData) -> tuple[Answers, dict[str, str]]:
    """The answers (by question id) and the errors (by field name), questions in their order so
    that a condition reads the answers before it."""
    answers: Answers = {}
    errors: dict[str, str] = {}
    for question in questions:
        value, error = _PARSERS[Question.Kind(question.kind)](question, data)
        if not applicable(question, answers):
            continue
        if error:
            errors[question.field_name] = error
        elif value is None:
            if question.required:
                errors[question.field_name] = _("Cette question attend une réponse.")
        else:
            answers[str(question.pk)] = value
    return answers, errors


def as_form_data(questions: Iterable[Question], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The form fields that would give these answers (a paper form typed again, a demo)."""
    data: dict[str, Any] = {}
    for question in questions:
        value = answers.get(str(question.pk))
        if value is None:
            continue
        name = question.field_name
        if question.kind == Question.Kind.RANKING:
            for rank, option in enumerate(value, start=1):
                data[f"{name}_{option}"] = str(rank)
        elif question.kind == Question.Kind.MATRIX:
            for row, column in value.items():
                data[f"{name}_{row}"] = str(column)
        elif question.kind == Question.Kind.MULTIPLE:
            data[name] = [str(option) for option in value]
        else:
            data[name] = str(value)
    return data


def answer_text(question: Question, value: Any) -> str:
    """An answer in words, for the export and the paper forms' review."""
    if value is None:
        return ""
    options = question.options
    if question.kind == Question.Kind.SINGLE:
        return str(options[value]) if 0 <= value < len(options) else ""
    if question.kind in {Question.Kind.MULTIPLE, Question.Kind.RANKING}:
        return " | ".join(str(options[i]) for i in value if 0 <= i < len(options))
    if question.kind == Question.Kind.MATRIX:
        return " | ".join(
            f"{question.rows[int(row)]} : {options[column]}"
            for row, column in sorted(value.items(), key=lambda item: int(item[0]))
            if int(row) < len(question.rows) and column < len(options)
        )
    return str(value)
