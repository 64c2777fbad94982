"""Participation figures of the proposals module (for the indicators), declared in its
manifest: proposals (online or on paper), supports and comments, by day and quartier (the
proposal's, or its process's when it has none)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Case, CharField, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from apps.core.participation import ONLINE, PAPER, counts_by_day, day_of
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.discussion.selectors import comments_on
    from apps.proposals.models import Proposal, Support

    yield from counts_by_day(
        Proposal.objects.all(),
        kind="proposal",
        day=day_of("created_at"),
        territory=Coalesce("territory_id", "process__territory_id"),
        channel=Case(When(is_paper=True, then=Value(PAPER)), default=Value(ONLINE), output_field=CharField()),
        start=start,
        end=end,
    )
    yield from counts_by_day(
        Support.objects.all(),
        kind="support",
        day=day_of("created_at"),
        territory=Coalesce("proposal__territory_id", "proposal__process__territory_id"),
        channel=ONLINE,
        start=start,
        end=end,
    )
    # Comments on proposals (apps.discussion), in the proposal's quartier.
    proposal_territory = Proposal.objects.filter(pk=OuterRef("target_id")).values("territory_id")[:1]
    yield from counts_by_day(
        comments_on(Proposal.objects.all()),
        kind="comment",
        day=day_of("created_at"),
        territory=Coalesce(Subquery(proposal_territory), "process__territory_id", output_field=IntegerField()),
        channel=ONLINE,
        start=start,
        end=end,
    )
