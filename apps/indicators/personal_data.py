"""What the indicators hold about a person (RGPD), declared in their manifest: the structures
whose dashboard the person follows as an agent, and the two rollups of participation events (the
events' snapshot, added up; the person's own events are declared by the core)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import Fate, Holding
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    # Deleting the account deletes the many-to-many rows with it.
    Holding("indicators.Structure", ("agents",), "indicator_structures", Fate.DELETED),
    Holding(
        "indicators.ParticipationRollup",
        ("age_band", "gender"),
        None,
        Fate.KEPT,
        "Sums of the participation events' consented snapshot, maintained by triggers: when the account "
        "is deleted its events are unlinked and the triggers move their counts off the person's key, so "
        "what stays is a count per age band and gender, never shown below 11 people.",
    ),
    Holding(
        "indicators.ParticipantRollup",
        # ``acts_phone`` is a count of acts through the phone channel, not a phone number.
        ("age_band", "gender", "acts_phone"),
        None,
        Fate.KEPT,
        "The same sums without the process (one row per year, module and snapshot of a person), "
        "maintained by the same triggers: an account's deletion moves its counts off the person's key.",
    ),
)


def export(user: User) -> dict[str, Rows]:
    from apps.indicators.models import Structure

    return {
        "indicator_structures": [
            {"structure": structure.name, "kind": structure.kind}
            for structure in Structure.objects.filter(agents=user).order_by("pk")
        ]
    }


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    labels={"indicator_structures": _("Structures dont vous suivez les indicateurs")},
)
