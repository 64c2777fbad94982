"""Reads of the public follow-up: only published processes, a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.answers.models import Answer
from apps.core.models import Process
from apps.followup.models import Commitment, CommitmentUpdate
from apps.proposals.models import Proposal, Status


def public_commitments() -> QuerySet[Commitment]:
    return Commitment.objects.filter(process__is_published=True).select_related("process", "territory", "service")


def overdue_filter(today: datetime.date | None = None) -> Q:
    """The database twin of ``Commitment.is_overdue``."""
    today = today or timezone.localdate()
    return Q(planned_date__lt=today, state__in=[Commitment.State.PLANNED, Commitment.State.IN_PROGRESS])


def with_last_update(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return queryset.prefetch_related(
        Prefetch("updates", queryset=CommitmentUpdate.objects.order_by("-date", "-pk"), to_attr="ordered_updates"),
        "source",
    )


def process_counts(process: Process) -> dict[str, int]:
    proposals = Proposal.objects.filter(process=process, is_withdrawn=False)
    counts = proposals.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(status__in=[Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.DONE])),
    )
    counts["answered"] = proposals.filter(Exists(Answer.objects.filter(proposal=OuterRef("pk")))).count()
    counts["done"] = Commitment.objects.filter(process=process, state=Commitment.State.DONE).count()
    return counts


@dataclass(frozen=True)
class Event:
    """One line of a process's timeline."""

    sort_key: datetime.datetime
    when: datetime.date | datetime.datetime
    kind: str  # phase_start, phase_end, answer, commitment, update
    title: str
    detail: str = ""
    url: str = ""

    @property
    def iso(self) -> str:
        return self.when.isoformat()

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)


def _day_key(day: datetime.date) -> datetime.datetime:
    # A dated update sorts at the end of its day, after the decisions taken that day.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def timeline(process: Process) -> list[Event]:
    """Launch → decisions → realisations, oldest first. A fixed number of queries;
    ``values()`` keeps memory small on processes with thousands of answers."""
    events: list[Event] = []
    for phase in process.phases.all():
        events.append(Event(phase.starts_at, phase.starts_at, "phase_start", phase.title, phase.description))
        events.append(Event(phase.ends_at, phase.ends_at, "phase_end", phase.title))
    proposal_type = ContentType.objects.get_for_model(Proposal)
    status_labels = dict(Status.choices)
    answers = Answer.objects.filter(proposal__process=process).values(
        "created_at", "status", "source_id", "proposal__title"
    )
    for answer in answers:
        events.append(
            Event(
                answer["created_at"],
                answer["created_at"],
                "answer",
                answer["proposal__title"],
                str(status_labels.get(answer["status"], answer["status"])),
                reverse("proposals:detail", kwargs={"pk": answer["source_id"]}),
            )
        )
    commitments = Commitment.objects.filter(process=process).values("pk", "title", "created_at", "source_type_id")
    for commitment in commitments:
        events.append(
            Event(
                commitment["created_at"],
                commitment["created_at"],
                "commitment",
                commitment["title"],
                "proposal" if commitment["source_type_id"] == proposal_type.pk else "",
                reverse("followup:commitment", kwargs={"pk": commitment["pk"]}),
            )
        )
    updates = CommitmentUpdate.objects.filter(commitment__process=process).values(
        "date", "progress", "state", "commitment_id", "commitment__title"
    )
    state_labels = dict(Commitment.State.choices)
    for update in updates:
        events.append(
            Event(
                _day_key(update["date"]),
                update["date"],
                "update",
                update["commitment__title"],
                f"{state_labels.get(update['state'], update['state'])} — {update['progress']} %",
                reverse("followup:commitment", kwargs={"pk": update["commitment_id"]}),
            )
        )
    events.sort(key=lambda event: event.sort_key)
    return events


def source_url(commitment: Commitment) -> Any:
    source = commitment.source
    return source.get_absolute_url() if source is not None and hasattr(source, "get_absolute_url") else ""
