"""What citizen workshops hold about a person (RGPD), declared in its manifest: panel seats
(with attendance and votes), revisions written, and acts done in a role.

Recommendation answers sit in their own block (they move to the shared answers app);
attendance is read from the shared sittings app, exported here with the seat."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("workshops.Workshop", ("answerer", "created_by"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("workshops.MandateRevision", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "workshops.PanelMember",
        ("user", "full_name", "public_name"),
        "panel_memberships",
        Fate.ERASED,
        "The seat, its status, attendance and votes stay (the panel's composition and the opinion's vote are "
        "public records), tied to nobody and shown as « Participant·e supprimé·e ».",
    ),
    Holding(
        "workshops.RecommendationRevision",
        ("author", "author_label"),
        "recommendation_revisions",
        Fate.ERASED,
        KEPT_CONTRIBUTION + " The revision's author label is replaced.",
    ),
)

# --- recommendation answers (move to the shared answers app) ------------------------------
# Now declared by apps.answers (its manifest).
ANSWER_HOLDINGS: tuple[Holding, ...] = ()
# ------------------------------------------------------------------------------------------


def _panel_memberships(user: User) -> Rows:
    from apps.workshops.models import PanelMember

    queryset = (
        PanelMember.objects.filter(user=user)
        .select_related("workshop")
        .prefetch_related("attendances__sitting", "votes__recommendation")
        .order_by("pk")
    )
    return [
        {
            "workshop": m.workshop.title,
            "full_name": m.full_name,
            "public_name": m.public_name,
            "source": m.source,
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "is_alternate": m.is_alternate,
            "attended": [
                {"session": a.sitting.title, "starts_at": iso(a.sitting.starts_at)} for a in m.attendances.all()
            ],
            "recommendation_votes": [
                {"recommendation": v.recommendation.number, "choice": v.choice} for v in m.votes.all()
            ],
            "created_at": iso(m.created_at),
        }
        for m in queryset
    ]


def _recommendation_revisions(user: User) -> Rows:
    from apps.workshops.models import RecommendationRevision

    queryset = RecommendationRevision.objects.filter(author=user).select_related("recommendation__opinion__workshop")
    return [
        {
            "workshop": r.recommendation.opinion.workshop.title,
            "recommendation": r.recommendation.number,
            "revision": r.number,
            "title": r.title,
            "text": r.text,
            "author_label": r.author_label,
            "created_at": iso(r.created_at),
        }
        for r in queryset.order_by("pk")
    ]


def export(user: User) -> dict[str, Rows]:
    return {
        "panel_memberships": _panel_memberships(user),
        "recommendation_revisions": _recommendation_revisions(user),
    }


def names(user: User) -> Iterable[str]:
    from apps.workshops.models import PanelMember

    for full_name, public_name in PanelMember.objects.filter(user=user).values_list("full_name", "public_name"):
        yield from (full_name, public_name)


def anonymise(user: User, label: str) -> None:
    """Panel seats stay (public composition, attendance, votes of the opinion), tied to
    nobody. Seats reached through a draw the person answered are the person's too."""
    from apps.workshops.models import PanelMember, RecommendationRevision

    PanelMember.objects.filter(Q(user=user) | Q(pool_member__user=user)).update(
        user=None, full_name="", public_name=label
    )
    RecommendationRevision.objects.filter(author=user).update(author_label=label)


PERSONAL_DATA = PersonalData(
    holdings=(*HOLDINGS, *ANSWER_HOLDINGS),
    export=export,
    anonymise=anonymise,
    names=names,
    labels={
        "panel_memberships": _("Panels d'ateliers citoyens (présences et votes compris)"),
        "recommendation_revisions": _("Versions de recommandations rédigées"),
    },
)
