"""Reads of the public follow-up: only published processes, a bounded number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import registry
from apps.core.models import Process
from apps.core.registry import Figure, TimelineEvent
from apps.followup.models import Commitment, CommitmentUpdate


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
    """The figures of the follow-up page by key: the modules' (proposals received,
    answered…) and the follow-up's own."""
    return {figure.key: figure.value for figure in process_figures(process)}


def process_figures(process: Process) -> list[Figure]:
    return registry.process_figures(process)


def followup_figures(process: Process) -> list[Figure]:
    """The follow-up's own figure (declared in its manifest): commitments done."""
    done = Commitment.objects.filter(process=process, state=Commitment.State.DONE).count()
    return [Figure("done", _("Engagements réalisés"), done, order=900)]


# One line of a process's timeline (the type every manifest's ``timeline`` yields).
Event = TimelineEvent


def _day_key(day: datetime.date) -> datetime.datetime:
    # A dated update sorts at the end of its day, after the decisions taken that day.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def timeline(process: Process) -> list[Event]:
    """Launch → decisions → realisations, oldest first: the phases and the commitments from
    here, the decisions (answers…) from every module's manifest. A fixed number of queries;
    ``values()`` keeps memory small on processes with thousands of events."""
    events: list[Event] = []
    for phase in process.phases.all():
        events.append(Event(phase.starts_at, phase.starts_at, "phase_start", phase.title, phase.description))
        events.append(Event(phase.ends_at, phase.ends_at, "phase_end", phase.title))
    events.extend(registry.timeline_events(process))
    commitments = Commitment.objects.filter(process=process).values("pk", "title", "created_at", "source_type__model")
    for commitment in commitments:
        events.append(
            Event(
                commitment["created_at"],
                commitment["created_at"],
                "commitment",
                commitment["title"],
                # The kind of source (« proposal »…), for « issu d'une proposition ».
                commitment["source_type__model"] or "",
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
