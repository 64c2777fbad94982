"""Reading conversations, with a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote

if TYPE_CHECKING:
    from apps.core.models import Process


def conversation(pk: int) -> Conversation | None:
    return Conversation.objects.select_related("process", "process__territory").filter(pk=pk).first()


def snapshot(conversation: Conversation) -> OpinionMapSnapshot | None:
    return OpinionMapSnapshot.objects.filter(conversation=conversation).defer("state").first()


def published_statements(conversation: Conversation) -> dict[int, Statement]:
    queryset = Statement.objects.filter(conversation=conversation, status=Statement.Status.PUBLISHED).order_by("pk")
    return {statement.pk: statement for statement in queryset}


def hidden_statements(conversation: Conversation) -> list[Statement]:
    return list(Statement.objects.filter(conversation=conversation, status=Statement.Status.HIDDEN).order_by("pk"))


def votes_of(conversation: Conversation, user_pk: int) -> dict[int, int]:
    rows = Vote.objects.filter(statement__conversation=conversation, participant_id=user_pk)
    return dict(rows.values_list("statement_id", "value"))


def conversations_of(process: Process) -> list[Conversation]:
    return list(Conversation.objects.filter(process=process).order_by("pk"))
