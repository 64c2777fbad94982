"""Writes of a participatory evaluation: the agents of the workshop turn it into an evaluation
(policy, questions, criteria) and keep its evidence file. Every upload goes through the
platform's one PDF check (``apps.core.uploads.validate_pdf_upload``) and is stored under a
random name; it is only ever sent back as a download."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from apps.core.models import audit
from apps.core.rules_kit import require
from apps.core.uploads import validate_pdf_upload
from apps.workshops import rules
from apps.workshops.evaluation_models import Evaluation, EvidenceFile

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from apps.accounts.models import User
    from apps.workshops.models import Workshop


@transaction.atomic
def evaluation_save(
    *,
    actor: User,
    workshop: Workshop,
    policy: str,
    questions: str,
    criteria: str,
    contract_action: str = "",
    context: str = "",
) -> Evaluation:
    """Create or update the evaluation of ``workshop`` (which makes the workshop an evaluation)."""
    require(rules.can_manage_workshop(actor, workshop))
    evaluation = Evaluation.objects.select_for_update().filter(workshop=workshop).first() or Evaluation(
        workshop=workshop
    )
    evaluation.policy = policy.strip()
    evaluation.contract_action = contract_action.strip()
    evaluation.context = context.strip()
    evaluation.questions = questions.strip()
    evaluation.criteria = criteria.strip()
    evaluation.full_clean()
    created = evaluation.pk is None
    evaluation.save()
    audit(actor, "workshop.evaluation_save", workshop, created=created, policy=evaluation.policy)
    return evaluation


@transaction.atomic
def evidence_add(
    *, actor: User, evaluation: Evaluation, title: str, file: UploadedFile, origin: str = "", is_public: bool = True
) -> EvidenceFile:
    require(rules.can_manage_workshop(actor, evaluation.workshop))
    validate_pdf_upload(file)
    evidence = EvidenceFile(
        evaluation=evaluation, title=title.strip(), origin=origin.strip(), file=file, is_public=is_public
    )
    evidence.full_clean()
    evidence.save()
    audit(actor, "workshop.evidence_add", evaluation.workshop, evidence=evidence.pk, title=evidence.title)
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: EvidenceFile) -> None:
    """Withdraw a piece from the file; the stored bytes go with it."""
    workshop = evidence.evaluation.workshop
    require(rules.can_manage_workshop(actor, workshop))
    audit(actor, "workshop.evidence_remove", workshop, evidence=evidence.pk, title=evidence.title)
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
