"""The consultations rows of the RGPD completeness test's person (tests/accounts): a statement
she wrote, a vote, and her place on a stored map. Imported by that test only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.core.models import Process, Territory


def build(person: Any) -> None:
    process = Process.objects.create(
        title="Conversation RGPD",
        slug="conversation-rgpd",
        is_published=True,
        territory=Territory.objects.order_by("pk")[0],
        answer_due=timezone.localdate() + datetime.timedelta(days=60),
    )
    conversation = Conversation.objects.create(process=process, question="Que pensez-vous de la place ?")
    statement = Statement.objects.create(conversation=conversation, author=person, text="Plus de bancs, merci.")
    Vote.objects.create(statement=statement, participant=person, value=Vote.Value.AGREE)
    OpinionMapSnapshot.objects.create(
        conversation=conversation, data={"groups": [], "positions": {str(person.pk): [0.1, 0.2, 0]}}
    )
