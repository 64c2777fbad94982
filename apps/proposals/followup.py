"""What the proposals module adds to the public follow-up of a process, through its manifest:
its figures (received, answered, accepted) and the reasoned answers on the timeline.

The answers' events sit apart: answers move to the shared answers app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.registry import Figure, TimelineEvent

if TYPE_CHECKING:
    from apps.core.models import Process


def figures(process: Process) -> list[Figure]:
    from apps.answers.models import Answer
    from apps.proposals.models import Proposal, Status

    proposals = Proposal.objects.filter(process=process, is_withdrawn=False)
    counts = proposals.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(status__in=[Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.DONE])),
    )
    answered = proposals.filter(Exists(Answer.objects.filter(proposal=OuterRef("pk")))).count()
    return [
        Figure("received", _("Propositions reçues"), counts["received"], order=10),
        Figure("answered", _("Propositions ayant reçu une réponse"), answered, order=20),
        Figure("accepted", _("Propositions retenues"), counts["accepted"], order=30),
    ]


# --- answers (move to the shared answers app) ---------------------------------------------
def timeline(process: Process) -> Iterator[TimelineEvent]:
    """One event per published answer; ``values()`` keeps memory small on processes with
    thousands of answers."""
    from apps.answers.models import Answer
    from apps.proposals.models import Status

    status_labels = dict(Status.choices)
    answers = Answer.objects.filter(proposal__process=process).values(
        "created_at", "status", "source_id", "proposal__title"
    )
    for answer in answers:
        yield TimelineEvent(
            answer["created_at"],
            answer["created_at"],
            "answer",
            answer["proposal__title"],
            str(status_labels.get(answer["status"], answer["status"])),
            reverse("proposals:detail", kwargs={"pk": answer["source_id"]}),
        )
