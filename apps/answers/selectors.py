"""Reads of answers: a source's current and pending answer, what waits for a signature."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from apps.answers.models import Answer
from apps.core import sql
from apps.core.models import Process


def _of(source: Any) -> dict[str, Any]:
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def answers_of(source: Any) -> QuerySet[Answer]:
    """Published answers, the current one first."""
    return Answer.objects.filter(**_of(source)).order_by("-created_at", "-pk")


def published_answers(source: Any) -> list[Answer]:
    """:func:`answers_of` as a list, read by a fixed statement: a cached page block that shows
    them reads them on every miss, and the ORM would compile the same query each time."""
    found = sql.instances(Answer, state=Answer.State.PUBLISHED, **_of(source))
    found.sort(key=lambda answer: (answer.created_at, answer.pk), reverse=True)
    return found


def current_answer(source: Any) -> Answer | None:
    return answers_of(source).first()


def pending_answer(source: Any) -> Answer | None:
    return Answer.pending.filter(**_of(source)).select_related("author").first()


def answers_to_sign(process: Process, model: type[Any]) -> QuerySet[Answer]:
    """The submitted answers to sources of ``model`` on the process, oldest sources first."""
    return (
        Answer.pending.filter(
            process=process,
            state=Answer.State.SUBMITTED,
            source_type=ContentType.objects.get_for_model(model),
        )
        .select_related("author", "process")
        .prefetch_related("source")
        .order_by("source_id", "pk")
    )
