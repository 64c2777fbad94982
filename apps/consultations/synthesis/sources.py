"""The free-text contributions of a process, read for the synthesis: its conversations' published
statements and the free-text answers to its questionnaires, each with the quartier it comes from
(the author's home quartier for a statement, the response's for an answer)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from apps.consultations.models import Statement
from apps.consultations.questionnaires.models import Question, Response
from apps.core.models import Process


@dataclass(frozen=True)
class Contribution:
    text: str
    territory_id: int | None
    statement_id: int | None = None
    response_id: int | None = None
    question_id: int | None = None


def contributions(process: Process) -> Iterator[Contribution]:
    statements = Statement.objects.filter(conversation__process=process, status=Statement.Status.PUBLISHED).order_by(
        "pk"
    )
    for pk, text, territory_id in statements.values_list("pk", "text", "author__home_territory_id"):
        yield Contribution(text, territory_id, statement_id=pk)
    questions: dict[int, list[int]] = {}
    for question_pk, questionnaire_pk in Question.objects.filter(
        questionnaire__process=process, kind=Question.Kind.TEXT
    ).values_list("pk", "questionnaire_id"):
        questions.setdefault(questionnaire_pk, []).append(question_pk)
    if not questions:
        return
    responses = Response.objects.filter(questionnaire_id__in=questions).order_by("pk")
    rows = responses.values_list("pk", "questionnaire_id", "answers", "territory_id")
    for pk, questionnaire_pk, answers, territory_id in rows.iterator(chunk_size=2000):
        for question_pk in questions[questionnaire_pk]:
            value = answers.get(str(question_pk))
            if isinstance(value, str) and value.strip():
                yield Contribution(value.strip(), territory_id, response_id=pk, question_id=question_pk)
