"""The annual review of the initiatives fund, generated for the conseil de quartier: for a year,
the ideas received by channel, how fast the city answered (median days to a referent, a first
contact, a decision — the delays the seed's residents complained of), the decisions by outcome,
the money granted, paid and matched, the time residents gave, the projects realised. Figures
only: no holder, no donor, no helper is named."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from apps.initiatives.models import (
    ZERO,
    Call,
    Channel,
    Decision,
    Initiative,
    LedgerEntry,
    TimeGiven,
)


@dataclass(frozen=True)
class Delay:
    label: str
    median_days: float | None
    count: int


@dataclass(frozen=True)
class CallLine:
    call: Call
    dossiers: int
    outcomes: dict[str, int]
    granted: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Review:
    year: int
    ideas: int
    by_channel: list[tuple[str, int]]
    no_box: int
    delays: list[Delay]
    calls: list[CallLine]
    granted: Decimal
    paid: Decimal
    donations: Decimal
    matched: Decimal
    hours: Decimal
    helpers: int
    realised: int
    stories: int


def _median_days(pairs: list[tuple[datetime.datetime, datetime.datetime | None]]) -> tuple[float | None, int]:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if end is not None]
    return (round(statistics.median(days), 1) if days else None), len(days)


def annual_review(year: int) -> Review:
    ideas = Initiative.objects.filter(created_at__year=year)
    channels = dict(ideas.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    moments = list(ideas.values_list("created_at", "referent_assigned_at", "first_reply_at", "decision_at"))
    delays = []
    for label, index in (("referent", 1), ("first_contact", 2), ("decision", 3)):
        median, count = _median_days([(row[0], row[index]) for row in moments])
        delays.append(Delay(label, median, count))
    decisions = Decision.objects.filter(decided_at__year=year)
    lines = []
    for call in Call.objects.filter(is_published=True, decisions__in=decisions).distinct().order_by("opens_on", "pk"):
        mine = decisions.filter(call=call)
        outcomes = dict(mine.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
        sums = mine.aggregate(granted=Sum("amount"), paid=Sum("paid"))
        lines.append(CallLine(call, mine.count(), outcomes, sums["granted"] or ZERO, sums["paid"] or ZERO))
    money = decisions.aggregate(granted=Sum("amount"), paid=Sum("paid"))
    ledger = LedgerEntry.objects.filter(created_at__year=year).aggregate(
        donations=Sum("amount", filter=Q(account=LedgerEntry.Account.DONORS)),
        matched=Sum("amount", filter=Q(account=LedgerEntry.Account.FUND)),
    )
    time = TimeGiven.objects.filter(day__year=year).aggregate(hours=Sum("hours"), people=Count("person", distinct=True))
    realised = Initiative.objects.filter(stage=Initiative.Stage.REALISED, steps__kind="realised", steps__at__year=year)
    return Review(
        year=year,
        ideas=ideas.count(),
        by_channel=[(str(label), channels.get(value, 0)) for value, label in Channel.choices],
        no_box=ideas.filter(category="no_box").count(),
        delays=delays,
        calls=lines,
        granted=money["granted"] or ZERO,
        paid=money["paid"] or ZERO,
        # Ledger lines leave the donors' and the fund's accounts: negative amounts.
        donations=-(ledger["donations"] or ZERO),
        matched=-(ledger["matched"] or ZERO),
        hours=time["hours"] or ZERO,
        helpers=time["people"] or 0,
        realised=realised.distinct().count(),
        stories=realised.exclude(story="").distinct().count(),
    )
