"""The answer is the élue's: agents draft answers and submit them for signature; the person
who signs (an élu·e, or an agent holding a « délégation de signature ») publishes them,
one by one or as a batch, after seeing them exactly as residents will."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.models import audit
from apps.core.rules_kit import require
from apps.proposals import rules
from apps.proposals.models import Answer, AnswerDraft, AnswerTemplate, Proposal
from apps.proposals.services import proposal_answer, validate_answer

if TYPE_CHECKING:
    from apps.accounts.models import User


@transaction.atomic
def answer_draft_save(*, actor: User, proposal: Proposal, status: str, body: str, submit: bool = False) -> AnswerDraft:
    """Save the proposal's pending answer (one per proposal); ``submit`` sends it to the signers."""
    require(rules.can_answer(actor, proposal.process))
    validate_answer(status=status, body=body)
    state = AnswerDraft.State.SUBMITTED if submit else AnswerDraft.State.DRAFT
    draft = AnswerDraft.objects.select_for_update().filter(proposal=proposal).first() or AnswerDraft(proposal=proposal)
    draft.status, draft.body, draft.state, draft.author = status, body.strip(), state, actor
    draft.full_clean()
    draft.save()
    audit(actor, "proposal.answer_draft", proposal, status=status, state=state)
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


def _sign(signer: User, draft: AnswerDraft) -> Answer:
    if draft.state != AnswerDraft.State.SUBMITTED and draft.author_id != signer.pk:
        raise ValidationError(_("Ce projet de réponse n'a pas encore été soumis à la signature."))
    answer = proposal_answer(
        actor=signer, proposal=draft.proposal, status=draft.status, body=draft.body, author=draft.author
    )
    draft.delete()
    return answer


@transaction.atomic
def answer_sign(*, signer: User, draft: AnswerDraft) -> Answer:
    """Sign and publish one pending answer (the signer has seen its preview)."""
    draft = AnswerDraft.objects.select_for_update().select_related("proposal__process").get(pk=draft.pk)
    return _sign(signer, draft)


@transaction.atomic
def answers_sign(*, signer: User, drafts: Sequence[AnswerDraft]) -> int:
    """Sign a reviewed batch: all of it is published, or none of it (one refusal cancels the batch)."""
    locked = list(
        AnswerDraft.objects.select_for_update()
        .select_related("proposal__process")
        .filter(pk__in=[draft.pk for draft in drafts])
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("Cochez au moins une réponse à signer."))
    for draft in locked:
        _sign(signer, draft)
    return len(locked)
