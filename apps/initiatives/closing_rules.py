"""Who may do what with the end of a supported project: receipts and the closing report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.initiatives import rules

if TYPE_CHECKING:
    from apps.initiatives.models import ClosingReport, Initiative

CLOSING_STAGES = ("funded", "realised")


def can_see_attachments(user: Any, initiative: Initiative) -> bool:
    """Receipts and report photos are private: the holders and the quartier's agents only (not
    the public, not another resident, not an élu·e reading the back office)."""
    return rules.is_holder(user, initiative) or rules.can_manage(user, initiative.territory)


def can_add_attachment(user: Any, initiative: Initiative) -> bool:
    """Receipts of a supported project, until its report is validated."""
    report = getattr(initiative, "report", None)
    return (
        initiative.stage in CLOSING_STAGES
        and hasattr(initiative, "decision")
        and initiative.decision.amount > 0
        and (report is None or report.state != "validated")
        and can_see_attachments(user, initiative)
    )


def can_remove_attachment(user: Any, initiative: Initiative) -> bool:
    """A wrong file (the wrong invoice, a blurred photo) is taken back by a holder or an agent for
    as long as pieces may be added; once the report is validated, the pieces are its record."""
    return can_add_attachment(user, initiative)


def can_file_report(user: Any, initiative: Initiative) -> bool:
    """A holder files the report of a supported project (again, when the agent sent it back)."""
    report = getattr(initiative, "report", None)
    return (
        rules.is_holder(user, initiative)
        and initiative.stage in CLOSING_STAGES
        and hasattr(initiative, "decision")
        and initiative.decision.amount > 0
        and (report is None or report.state == "returned")
    )


def can_see_report(user: Any, initiative: Initiative) -> bool:
    return can_see_attachments(user, initiative)


def can_review_report(user: Any, report: ClosingReport) -> bool:
    return report.state == "filed" and rules.can_manage(user, report.initiative.territory)
