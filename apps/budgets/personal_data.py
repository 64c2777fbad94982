"""What the participatory budget holds about a person (RGPD), declared in its manifest.

Votes: the export says in which envelopes the person voted, never how (ballots hold no link
to anyone); the deletion keeps turnout exact by tying the voter record to a random identity.
Project comments sit in their own block: they move to the shared discussion app."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("budgets.Project", ("author", "coauthors"), "budget_projects", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "budgets.Project",
        ("address",),
        "budget_projects",
        Fate.KEPT,
        "The place a project is about (part of the public contribution).",
    ),
    Holding("budgets.ProjectInvitation", ("user",), "budget_invitations", Fate.DELETED),
    Holding("budgets.ProjectInvitation", ("invited_by",), "budget_invitations", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "budgets.VoterRecord",
        ("user",),
        "budget_votes",
        Fate.UNLINKED,
        "Turnout stays exact: the record is tied to a random identity instead of the account. The export "
        "says in which envelopes the person voted, never how (ballots hold no link to anyone).",
    ),
    Holding(
        "budgets.VoterRecord",
        ("paper_identity",),
        None,
        Fate.KEPT,
        "A keyed digest of a paper voter's identity (no account), or the random identity left by a deletion.",
    ),
    Holding("budgets.PaperSheet", ("first_by", "second_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
)


def _budget_projects(user: User) -> Rows:
    from apps.budgets.models import Project

    queryset = (
        Project.objects.filter(Q(author=user) | Q(coauthors=user))
        .distinct()
        .select_related("budget__process", "envelope__territory")
        .order_by("pk")
    )
    return [
        {
            "id": p.pk,
            "budget": p.budget.process.title,
            "role": "author" if p.author_id == user.pk else "coauthor",
            "collective": p.collective,
            "title": p.title,
            "description": p.description,
            "address": p.address,
            "latitude": str(p.latitude) if p.latitude is not None else None,
            "longitude": str(p.longitude) if p.longitude is not None else None,
            "estimated_cost": p.estimated_cost,
            "status": p.status,
            "created_at": iso(p.created_at),
        }
        for p in queryset
    ]


def _budget_invitations(user: User) -> Rows:
    from apps.budgets.models import ProjectInvitation

    queryset = ProjectInvitation.objects.filter(Q(user=user) | Q(invited_by=user)).select_related("project")
    return [
        {
            "project_id": i.project_id,
            "project": i.project.title,
            "direction": "received" if i.user_id == user.pk else "sent",
            "created_at": iso(i.created_at),
        }
        for i in queryset.order_by("pk")
    ]


def _budget_votes(user: User) -> Rows:
    """That the person voted, in which budget and envelope: never how (ballot secrecy)."""
    from apps.budgets.models import VoterRecord

    queryset = VoterRecord.objects.filter(user=user).select_related("envelope__budget__process", "envelope__territory")
    return [
        {
            "budget": v.envelope.budget.process.title,
            "envelope": str(v.envelope),
            "voted": True,
            "channel": v.channel,
            "voted_on": iso(v.voted_on),
        }
        for v in queryset.order_by("pk")
    ]


def export(user: User) -> dict[str, Rows]:
    return {
        "budget_projects": _budget_projects(user),
        "budget_invitations": _budget_invitations(user),
        "budget_votes": _budget_votes(user),
    }


def anonymise_votes(user: User) -> None:
    """Budget participations stay counted (turnout) but no longer name the account: the
    link is replaced by a random opaque identity, as for a paper voter."""
    from apps.budgets.models import VoterRecord

    for record in VoterRecord.objects.filter(user=user).only("pk"):
        VoterRecord.objects.filter(pk=record.pk).update(user=None, paper_identity=secrets.token_hex(32))


def anonymise(user: User, label: str) -> None:
    anonymise_votes(user)


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    labels={
        "budget_projects": _("Projets de budget participatif (porteur·se ou co-porteur·se)"),
        "budget_invitations": _("Invitations à co-porter un projet"),
        "budget_votes": _("Votes du budget participatif (où vous avez voté, jamais pour quoi)"),
    },
)
