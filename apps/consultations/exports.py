"""Open data of consultations: the published statements with their vote counts. Never who
wrote a statement nor who voted what."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

if TYPE_CHECKING:
    from apps.core.models import Process

STATEMENT_FIELDS = (
    "conversation",
    "question",
    "process",
    "statement",
    "text",
    "created_on",
    "agree",
    "disagree",
    "pass",
)


def statement_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.consultations.models import Statement

    queryset = (
        Statement.objects.filter(status=Statement.Status.PUBLISHED, conversation__process__is_published=True)
        .select_related("conversation__process")
        .annotate(
            n_agree=Count("votes", filter=Q(votes__value=1)),
            n_disagree=Count("votes", filter=Q(votes__value=-1)),
            n_pass=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("conversation_id", "pk")
    )
    if process is not None:
        queryset = queryset.filter(conversation__process=process)
    for s in queryset:
        yield {
            "conversation": s.conversation_id,
            "question": s.conversation.question,
            "process": s.conversation.process.slug,
            "statement": s.pk,
            "text": s.text,
            "created_on": s.created_at.date().isoformat(),
            "agree": s.n_agree,
            "disagree": s.n_disagree,
            "pass": s.n_pass,
        }
