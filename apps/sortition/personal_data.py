"""What sortition holds about a person (RGPD), declared in its manifest.

A pool keeps the pseudonym and the answers that make a draw verifiable; the contact data
goes with the deletion, and the link to the account is set to NULL by the generic fates (so
that the seats other modules gave through the draw are found first, whatever the order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

POOL_KEPT = (
    "Link and contact data (name, email, phone) go; the pseudonym, the stratification answers and the "
    "status stay: they are the public pseudonymised record that lets anyone verify the draw."
)

HOLDINGS: tuple[Holding, ...] = (
    Holding("sortition.Draw", ("created_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("sortition.PoolMember", ("personal",), "sortition_pools", Fate.ERASED, POOL_KEPT),
    Holding("sortition.PoolMember", ("user",), "sortition_pools", Fate.UNLINKED, POOL_KEPT),
    Holding("sortition.DrawAttempt", ("actor",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("sortition.VolunteerApplication", ("user", "phone"), "volunteer_applications", Fate.DELETED),
)


def _volunteer_applications(user: User) -> Rows:
    from apps.sortition.models import VolunteerApplication

    queryset = VolunteerApplication.objects.filter(user=user).select_related("draw").order_by("pk")
    return [
        {
            "draw": a.draw.title,
            "answers": a.features,
            "phone": a.phone,
            "consent_at": iso(a.consent_at),
            "created_at": iso(a.created_at),
            "personal_data_deleted_on": iso(a.draw.purge_on),
        }
        for a in queryset
    ]


def _sortition_pools(user: User) -> Rows:
    from apps.sortition.models import PoolMember

    queryset = PoolMember.objects.filter(user=user).select_related("draw").order_by("pk")
    return [
        {
            "draw": m.draw.title,
            "pseudonym": m.pseudonym,
            "answers": m.features,
            "contact": m.personal,
            "probability": m.probability,
            "status": m.status,
            "status_label": str(m.get_status_display()),
        }
        for m in queryset
    ]


def export(user: User) -> dict[str, Rows]:
    return {"volunteer_applications": _volunteer_applications(user), "sortition_pools": _sortition_pools(user)}


def anonymise(user: User, label: str) -> None:
    """The contact data goes (applications to a call for volunteers are deleted, and the link
    unset, by the generic fates)."""
    from apps.sortition.models import PoolMember

    PoolMember.objects.filter(user=user).update(personal={})


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    labels={
        "volunteer_applications": _("Candidatures aux tirages au sort"),
        "sortition_pools": _("Listes de tirage au sort où vous figurez"),
    },
)
