"""Writes of answers: agents draft and submit, signers publish (one by one or as a reviewed
batch). What publication changes for the source is the source module's ``on_publish``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers import rules
from apps.answers.models import Answer
from apps.answers.registry import source_for
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User


def validate(*, source: Any, status: str, body: str) -> None:
    declared = source_for(source)
    if status not in dict(declared.statuses):
        raise ValidationError({"status": _("Choisissez une décision.")})
    if declared.validate is not None:
        declared.validate(status, body, source)
    elif not body.strip():
        raise ValidationError({"body": _("Une réponse argumentée explique la décision.")})


def _pending(source: Any) -> Answer | None:
    return (
        Answer.pending.select_for_update()
        .filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .first()
    )


@transaction.atomic
def answer_draft_save(
    *, actor: User, source: Any, status: str, body: str, submit: bool = False, audit_action: str = ""
) -> Answer:
    """Save the source's pending answer (one per source); ``submit`` sends it to the signers."""
    require(rules.can_draft(actor, source))
    validate(source=source, status=status, body=body)
    answer = _pending(source) or Answer(source=source, process=source_for(source).process_of(source))
    answer.status, answer.body, answer.author = status, body.strip(), actor
    answer.state = Answer.State.SUBMITTED if submit else Answer.State.DRAFT
    answer.full_clean()
    answer.save()
    return answer


def _publish(signer: User, answer: Answer, signature: str) -> Answer:
    source: Any = answer.source
    refusal = rules.publication_refusal(source)
    if refusal:
        raise ValidationError(refusal)
    validate(source=source, status=answer.status, body=answer.body)
    now = timezone.now()
    answer.state = Answer.State.PUBLISHED
    answer.signer, answer.signed_by, answer.signed_at, answer.created_at = signer, signature, now, now
    answer.full_clean()
    answer.save()
    source_for(source).on_publish(signer, answer)
    return answer


def _sign(signer: User, answer: Answer) -> Answer:
    signature = rules.signature_for(signer, answer.process)
    require(signature is not None)
    if answer.state == Answer.State.PUBLISHED:
        raise ValidationError(_("Cette réponse est déjà publiée."))
    if answer.state != Answer.State.SUBMITTED and answer.author_id != signer.pk:
        raise ValidationError(_("Ce projet de réponse n'a pas encore été soumis à la signature."))
    return _publish(signer, answer, signature or "")


@transaction.atomic
def answer_sign(*, signer: User, answer: Answer) -> Answer:
    """Sign and publish one pending answer (the signer has seen its preview)."""
    locked = Answer.pending.select_for_update().select_related("process__territory").get(pk=answer.pk)
    return _sign(signer, locked)


@transaction.atomic
def answers_sign(*, signer: User, answers: Sequence[Answer]) -> int:
    """Sign a reviewed batch: all of it is published, or none of it (one refusal cancels the batch)."""
    locked = list(
        Answer.pending.select_for_update()
        .select_related("process__territory")
        .filter(pk__in=[answer.pk for answer in answers])
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("Cochez au moins une réponse à signer."))
    for answer in locked:
        _sign(signer, answer)
    return len(locked)


@transaction.atomic
def answer_publish(*, signer: User, source: Any, status: str, body: str, author: User | None = None) -> Answer:
    """Publish an answer the signer writes and signs at once (``author`` drafted it, the signer
    by default). Only a signer publishes; the signature is computed, never typed."""
    process = source_for(source).process_of(source)
    signature = rules.signature_for(signer, process)
    require(signature is not None)
    answer = Answer(source=source, process=process, status=status, body=body.strip(), author=author or signer)
    return _publish(signer, answer, signature or "")
