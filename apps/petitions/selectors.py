"""Reads of petitions and agoras, in a fixed number of queries. Signatures are only ever read as
counts: no page, export or API lists who signed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.selectors import current_answer
from apps.core.textsearch import search_text
from apps.petitions.models import Agora, CommitteeMember, Petition, PetitionRule, Signature

if TYPE_CHECKING:
    from apps.answers.models import Answer

PUBLIC_STATES = (Petition.State.COLLECTING, Petition.State.CLOSED, Petition.State.REJECTED)
SIMILAR_LIMIT = 5


def public_petitions(state: str = "") -> QuerySet[Petition]:
    queryset = Petition.objects.filter(state__in=PUBLIC_STATES).select_related("territory")
    now = timezone.now()
    if state == "collecting":
        queryset = queryset.filter(state=Petition.State.COLLECTING, closes_at__gt=now)
    elif state == "answer_due":
        queryset = queryset.filter(reached_at__isnull=False, route="")
    elif state == "answered":
        queryset = queryset.exclude(route="")
    elif state == "rejected":
        queryset = queryset.filter(state=Petition.State.REJECTED)
    return queryset.order_by("-published_at", "-pk")


def similar_petitions(title: str, body: str = "") -> list[Petition]:
    """Public petitions whose text matches the title's words (accents ignored): suggested at
    filing so that residents sign an existing petition rather than split the signatures."""
    text = " ".join(title.split()[:6])
    if not text.strip():
        return []
    queryset = Petition.objects.filter(state__in=(Petition.State.COLLECTING, Petition.State.CLOSED))
    matches = search_text(queryset, text, ("title", "body"))
    if not matches.exists() and len(title.split()) > 1:
        # Every word must match; retry with the longest words only ("vélo" in "pistes vélo Doulon").
        longest = sorted(title.split(), key=len, reverse=True)[:2]
        matches = search_text(queryset, " ".join(longest), ("title", "body"))
    return list(matches.select_related("territory").order_by("-published_at")[:SIMILAR_LIMIT])


@dataclass(frozen=True)
class QuartierCount:
    territory: str
    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


# A quartier with fewer signatures than this is shown within « other quartiers » on the public
# page (signing says what a person thinks); the back office sees every quartier.
MIN_CELL = 11


def public_counts_by_quartier(petition: Petition) -> list[QuartierCount]:
    shown: list[QuartierCount] = []
    online = paper = 0
    for row in counts_by_quartier(petition):
        if row.total >= MIN_CELL:
            shown.append(row)
        else:
            online, paper = online + row.online, paper + row.paper
    if online or paper:
        shown.append(QuartierCount(str(_("Autres quartiers (moins de 11 signatures chacun)")), online, paper))
    return shown


def counts_by_quartier(petition: Petition) -> list[QuartierCount]:
    """Signatures per quartier and channel: one query, counts only."""
    rows = (
        Signature.objects.filter(petition=petition)
        .values("territory__name")
        .annotate(
            online=Count("pk", filter=Q(channel=Signature.Channel.ONLINE)),
            paper=Count("pk", filter=Q(channel=Signature.Channel.PAPER)),
        )
        .order_by("territory__name")
    )
    return [QuartierCount(row["territory__name"] or "", row["online"], row["paper"]) for row in rows]


def named_committee(petition: Petition) -> list[str]:
    """The names of the committee members who agreed to be named (the others are counted)."""
    return [
        member.public_name
        for member in CommitteeMember.objects.filter(petition=petition, user__isnull=False).order_by("joined_at", "pk")
        if member.agrees_to_be_named and member.public_name
    ]


def committee_size(petition: Petition) -> int:
    return CommitteeMember.objects.filter(petition=petition).count()


def has_signed(petition: Petition, user: Any) -> bool:
    return bool(user.is_authenticated) and Signature.objects.filter(petition=petition, user_id=user.pk).exists()


def answer_of(petition: Petition) -> Answer | None:
    return current_answer(petition)


def is_overdue(petition: Petition) -> bool:
    return petition.answer_due is not None and not petition.route and petition.answer_due < timezone.localdate()


def petitions_for_staff(territory_ids: frozenset[int] | None) -> QuerySet[Petition]:
    """``None``: the whole city."""
    queryset = Petition.objects.select_related("territory", "author")
    if territory_ids is not None:
        queryset = queryset.filter(territory_id__in=territory_ids)
    return queryset.order_by("state", "-created_at", "-pk")


def public_agoras() -> QuerySet[Agora]:
    return Agora.objects.filter(is_published=True).select_related("territory", "petition").order_by("-created_at")


def agora_detail(agora: Agora) -> dict[str, Any]:
    return {
        "stakeholders": list(agora.stakeholders.all()),
        "sittings": list(agora.sittings.order_by("starts_at", "pk")),
        "actions": list(agora.actions.select_related("service", "commitment")),
    }


def my_petitions(user: Any) -> QuerySet[Petition]:
    return Petition.objects.filter(author=user).order_by("-created_at", "-pk")


def signature_totals(petition: Petition) -> dict[str, int]:
    counts = Signature.objects.filter(petition=petition).aggregate(
        online=Count("pk", filter=Q(channel=Signature.Channel.ONLINE)),
        paper=Count("pk", filter=Q(channel=Signature.Channel.PAPER)),
    )
    return {"online": counts["online"] or 0, "paper": counts["paper"] or 0}


def annotate_overdue(petitions: list[Petition]) -> list[Petition]:
    for petition in petitions:
        petition.overdue = is_overdue(petition)  # type: ignore[attr-defined]
    return petitions


def rules_of_the_game() -> list[PetitionRule]:
    """Shown before anyone files: what each kind of request needs at each level."""
    return list(PetitionRule.objects.order_by("kind", "level"))
