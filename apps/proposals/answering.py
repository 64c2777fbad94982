"""The answer is the élue's: agents draft answers to proposals and submit them for signature;
the person who signs (an élu·e, or an agent holding a « délégation de signature ») publishes
them, one by one or as a batch, after seeing them exactly as residents will.

The flow is the shared one of :mod:`apps.answers`; this module declares what an answer means
for a proposal (:data:`SOURCE`) and keeps the proposal-shaped entry points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from apps.answers import services as answers
from apps.answers.models import Answer
from apps.answers.registry import AnswerSource, register_source
from apps.core.models import audit
from apps.proposals import rules
from apps.proposals.models import AnswerTemplate, Proposal, Status
from apps.proposals.services import answer_published, validate_answer

if TYPE_CHECKING:
    from apps.accounts.models import User


def _validate(status: str, body: str, proposal: Any) -> None:
    validate_answer(status=status, body=body)


SOURCE = register_source(
    AnswerSource(
        model="proposals.Proposal",
        # Labels of every status; ``validate_answer`` allows the decisions and « À l'étude ».
        statuses=Status.choices,
        process_of=lambda proposal: proposal.process,
        can_draft=lambda user, proposal: rules.can_answer(user, proposal.process),
        validate=_validate,
        refusal=lambda proposal: rules.answer_publication_refusal(proposal.process),
        on_publish=answer_published,
        received_by=lambda user: Proposal.objects.filter(author=user),
    )
)


@transaction.atomic
def answer_draft_save(*, actor: User, proposal: Proposal, status: str, body: str, submit: bool = False) -> Answer:
    """Save the proposal's pending answer (one per proposal); ``submit`` sends it to the signers."""
    draft = answers.answer_draft_save(actor=actor, source=proposal, status=status, body=body, submit=submit)
    audit(actor, "proposal.answer_draft", proposal, status=status, state=draft.state)
    return draft


@transaction.atomic
def answer_drafts_from_template(*, actor: User, proposals: Iterable[Proposal], template: AnswerTemplate) -> int:
    """Bulk answers: the same template prepared for each proposal and submitted for signature.
    Nothing is published here; the signer reviews the batch (:func:`answers_sign`)."""
    count = 0
    for proposal in proposals:
        answer_draft_save(actor=actor, proposal=proposal, status=template.status, body=template.body, submit=True)
        count += 1
    return count


def answer_sign(*, signer: User, draft: Answer) -> Answer:
    """Sign and publish one pending answer (the signer has seen its preview)."""
    return answers.answer_sign(signer=signer, answer=draft)


def answers_sign(*, signer: User, drafts: Sequence[Answer]) -> int:
    """Sign a reviewed batch: all of it is published, or none of it."""
    return answers.answers_sign(signer=signer, answers=drafts)
