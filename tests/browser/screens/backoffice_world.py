"""Axe screens of the proposals back office and the public follow-up, on the back office's own
fixture world (``tests/backoffice/conftest.py`` plus the answers of ``live_world`` in
``tests/browser/test_axe_backoffice.py``, which runs them). No manifest is named like this file:
discovery leaves it to that test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from tests.browser.screens import Action, Screen, errors, scanned_then, url

if TYPE_CHECKING:
    from tests.security.world import World


def _errors(form: str) -> Action:
    return scanned_then(errors(form=form, shown=".form-error-summary, .field-error"))


def _preview_url(world: World) -> str:
    from apps.answers.models import Answer

    return reverse("proposals_admin:proposal_answer_preview", kwargs={"pk": Answer.pending.get().source_id})


MAIN_FORM = "#contenu form[method=post i]"

SCREENS: list[Screen] = [
    Screen("dashboard", url("backoffice:dashboard"), "agent"),
    Screen("process-create", url("backoffice:process_create"), "agent", action=_errors(MAIN_FORM)),
    Screen("process-edit", url("backoffice:process_edit", pk="process.pk"), "agent"),
    Screen(
        "instruction",
        url("proposals_admin:instruction", pk="process.pk"),
        "agent",
        action=_errors("form[action$='/actions/']"),
    ),
    Screen(
        "proposal",
        url("proposals_admin:proposal", pk="proposal.pk"),
        "elu",
        action=_errors("form[action$='/reponse/']"),
    ),
    Screen("paper", url("proposals_admin:paper_entry", pk="process.pk"), "agent", action=_errors(MAIN_FORM)),
    Screen("answer-preview", _preview_url, "elu", route="proposals_admin:proposal_answer_preview"),
    Screen("answers-to-sign", url("proposals_admin:answers_to_sign", pk="process.pk"), "elu"),
    Screen("paper-letters", url("proposals_admin:paper_letters", pk="process.pk"), "agent"),
    Screen("commitments", url("backoffice:commitments", pk="process.pk"), "agent"),
    Screen(
        "commitment-new",
        url("backoffice:commitment_create", pk="process.pk"),
        "agent",
        action=_errors(MAIN_FORM),
    ),
    Screen(
        "commitment",
        url("backoffice:commitment", pk="commitment.pk"),
        "agent",
        action=_errors("form[action$='/point-etape/']"),
    ),
    Screen("moderation", url("discussion:moderation"), "moderator", action=_errors("form[action$='/masquer/']")),
    Screen("templates", url("proposals_admin:answer_templates"), "agent"),
    Screen("template-new", url("proposals_admin:answer_template_create"), "agent", action=_errors(MAIN_FORM)),
    Screen("audit", url("backoffice:audit_log"), "admin_elsewhere"),
    Screen(
        "signature-delegations",
        url("answers_admin:signature_delegations"),
        "admin_elsewhere",
        action=_errors("#contenu form[method=post i]:not([action])"),
    ),
    Screen("followup-index", url("followup:index"), "anonymous"),
    Screen("followup-process", url("followup:process", slug="process.slug"), "anonymous"),
    Screen("followup-timeline", url("followup:timeline", slug="process.slug"), "anonymous"),
    Screen("followup-commitment", url("followup:commitment", pk="commitment.pk"), "anonymous"),
]
