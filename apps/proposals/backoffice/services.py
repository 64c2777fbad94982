"""Writes of the proposals back office that act on several rows or on shared settings: bulk
« À l'étude », answer templates. Keyword-only, validated, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from apps.core.models import audit
from apps.core.rules_kit import require
from apps.proposals import rules
from apps.proposals.models import AnswerTemplate, Proposal
from apps.proposals.services import proposal_set_study

if TYPE_CHECKING:
    from apps.accounts.models import User


@transaction.atomic
def proposals_set_study(*, actor: User, proposals: Iterable[Proposal]) -> int:
    count = 0
    for proposal in proposals:
        proposal_set_study(actor=actor, proposal=proposal)
        count += 1
    return count


@transaction.atomic
def answer_template_save(
    *, actor: User, template: AnswerTemplate | None, title: str, status: str, body: str
) -> AnswerTemplate:
    require(rules.can_manage_answer_templates(actor))
    template = template or AnswerTemplate()
    template.title, template.status, template.body = title.strip(), status, body.strip()
    template.full_clean()
    template.save()
    audit(actor, "answer_template.save", template, status=status)
    return template
