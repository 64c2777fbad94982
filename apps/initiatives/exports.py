"""Open data of the initiatives module: calls with their envelope and what was granted and
paid, and every decision with its amount and published reasons. Never a holder's name or
contact: an idea is named by its title and quartier only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 500

CALL_FIELDS = (
    "id",
    "slug",
    "title",
    "mode",
    "territory",
    "budget",
    "max_amount",
    "committed",
    "paid",
    "match_ratio",
    "donations_received",
    "fund_matched",
    "opens_on",
    "closes_on",
    "decides_on",
    "dossiers",
    "url",
)
DECISION_FIELDS = (
    "id",
    "call",
    "initiative",
    "quartier",
    "category",
    "outcome",
    "amount",
    "paid",
    "conditions",
    "reasons",
    "decided_on",
    "jury_sitting",
)


def call_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from django.db.models import Count, OuterRef, Subquery, Sum

    from apps.initiatives.models import Call, Decision, LedgerEntry

    if process is not None:  # calls belong to no process
        return
    queryset = (
        Call.objects.filter(is_published=True)
        .select_related("territory")
        .annotate(
            # A subquery, not a second join: joining decisions and dossiers would count sums twice.
            paid_total=Subquery(
                Decision.objects.filter(call=OuterRef("pk")).values("call").annotate(total=Sum("paid")).values("total")
            ),
            dossier_count=Count("dossiers"),
            donations=_ledger_total(LedgerEntry.Account.DONORS),
            matched=_ledger_total(LedgerEntry.Account.FUND),
        )
    )
    for call in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": call.pk,
            "slug": call.slug,
            "title": call.title,
            "mode": call.mode,
            "territory": call.territory.slug,
            "budget": str(call.budget),
            "max_amount": str(call.max_amount),
            "committed": str(call.committed),
            "paid": str(call.paid_total or "0.00"),
            "match_ratio": str(call.match_ratio),
            # Ledger lines leave the donors' and the fund's accounts: negative amounts.
            "donations_received": str(-(call.donations or 0) or "0.00"),
            "fund_matched": str(-(call.matched or 0) or "0.00"),
            "opens_on": call.opens_on.isoformat(),
            "closes_on": call.closes_on.isoformat(),
            "decides_on": call.decides_on.isoformat(),
            "dossiers": call.dossier_count,
            "url": call.get_absolute_url(),
        }


def _ledger_total(account: str) -> Any:
    from django.db.models import OuterRef, Subquery, Sum

    from apps.initiatives.models import LedgerEntry

    lines = LedgerEntry.objects.filter(initiative__call=OuterRef("pk"), account=account)
    return Subquery(lines.values("account").annotate(total=Sum("amount")).values("total"))


def decision_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.initiatives.models import Decision

    if process is not None:
        return
    queryset = Decision.objects.filter(call__is_published=True).select_related("call", "initiative__territory")
    for decision in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        initiative = decision.initiative
        yield {
            "id": decision.pk,
            "call": decision.call.slug,
            # A dossier presented to a public call is public by its title, even if its holder
            # keeps the idea off the list of ideas: public money needs a public object.
            "initiative": initiative.title,
            "quartier": initiative.territory.slug,
            "category": initiative.category,
            "outcome": decision.outcome,
            "amount": str(decision.amount),
            "paid": str(decision.paid),
            "conditions": decision.conditions,
            "reasons": decision.reasons,
            "decided_on": decision.decided_at.date().isoformat(),
            "jury_sitting": decision.sitting_id or "",
        }
