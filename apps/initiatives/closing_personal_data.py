"""Personal data of the end of projects and of the sessions (added to the module's declaration)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.personal_data import KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

SECTION = "project_closing"
HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "initiatives.Attachment",
        ("uploaded_by",),
        SECTION,
        Fate.UNLINKED,
        "The receipt stays with the project (it justifies public money to the city's accounts), tied to nobody.",
    ),
    Holding(
        "initiatives.ClosingReport",
        ("filed_by",),
        SECTION,
        Fate.UNLINKED,
        "The closing report stays with the project (it accounts for public money), tied to nobody.",
    ),
    Holding("initiatives.ClosingReport", ("reviewed_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("initiatives.CallSession", ("examined_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
)


def export(user: User) -> Rows:
    from apps.initiatives.models import Attachment, ClosingReport

    rows: Rows = [
        {
            "type": "attachment",
            "initiative": piece.initiative.title,
            "kind": piece.kind,
            "label": piece.label,
            "amount": str(piece.amount) if piece.amount is not None else None,
            "uploaded_at": iso(piece.uploaded_at),
        }
        for piece in Attachment.objects.filter(uploaded_by=user).select_related("initiative").order_by("pk")
    ]
    rows += [
        {
            "type": "closing_report",
            "initiative": report.initiative.title,
            "done": report.done,
            "participants": report.participants,
            "participants_note": report.participants_note,
            "spent": str(report.spent),
            "difference_note": report.difference_note,
            "state": report.state,
            "filed_at": iso(report.filed_at),
        }
        for report in ClosingReport.objects.filter(filed_by=user).select_related("initiative").order_by("pk")
    ]
    return rows
