"""What the answering form shows for each question, with the values typed so far (an error never
loses them) and, for a conditional question, the « if you answered X » label that lets a form
without JavaScript show every question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from apps.consultations.questionnaires.models import Question


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool
    field_id: str


@dataclass(frozen=True)
class Line:
    """A ranked item or a matrix row: its own field name and options."""

    name: str
    label: str
    field_id: str
    options: list[Option]


@dataclass(frozen=True)
class QuestionView:
    question: Question
    number: int
    name: str
    options: list[Option]
    lines: list[Line]
    text_value: str
    condition: str
    error: str


def _values(data: Any, name: str) -> list[str]:
    if data is None:
        return []
    if hasattr(data, "getlist"):
        return [str(value) for value in data.getlist(name)]
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _options(name: str, labels: Sequence[tuple[str, str]], chosen: list[str]) -> list[Option]:
    return [Option(value, label, value in chosen, f"id_{name}_{value}") for value, label in labels]


def question_views(questions: Sequence[Question], data: Any, errors: Mapping[str, str]) -> list[QuestionView]:
    numbers = {question.pk: index for index, question in enumerate(questions, start=1)}
    by_pk = {question.pk: question for question in questions}
    views = []
    for question in questions:
        name = question.field_name
        chosen = _values(data, name)
        indexed = [(str(i), str(option)) for i, option in enumerate(question.options)]
        options: list[Option] = []
        lines: list[Line] = []
        if question.kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
            options = _options(name, indexed, chosen)
        elif question.kind == Question.Kind.SCALE:
            scale = [(str(v), str(v)) for v in range(question.scale_min, question.scale_max + 1)]
            options = _options(name, scale, chosen)
        elif question.kind == Question.Kind.RANKING:
            ranks = [(str(r), str(r)) for r in range(1, len(question.options) + 1)]
            lines = [
                Line(
                    f"{name}_{i}",
                    str(label),
                    f"id_{name}_{i}",
                    _options(f"{name}_{i}", ranks, _values(data, f"{name}_{i}")),
                )
                for i, label in enumerate(question.options)
            ]
        elif question.kind == Question.Kind.MATRIX:
            lines = [
                Line(
                    f"{name}_{row}",
                    str(label),
                    f"id_{name}_{row}",
                    _options(f"{name}_{row}", indexed, _values(data, f"{name}_{row}")),
                )
                for row, label in enumerate(question.rows)
            ]
        condition = ""
        parent = by_pk.get(question.condition_question_id) if question.condition_question_id else None
        if (
            parent is not None
            and question.condition_option is not None
            and question.condition_option < len(parent.options)
        ):
            condition = _("Seulement si vous avez répondu « %(option)s » à la question %(number)s.") % {
                "option": parent.options[question.condition_option],
                "number": numbers[parent.pk],
            }
        views.append(
            QuestionView(
                question=question,
                number=numbers[question.pk],
                name=name,
                options=options,
                lines=lines,
                text_value=chosen[0] if chosen and question.kind == Question.Kind.TEXT else "",
                condition=condition,
                error=errors.get(name, ""),
            )
        )
    return views
