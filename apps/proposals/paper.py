"""Paper contributors get their answer: the contact an agent typed with a paper contribution
(an e-mail address or a postal address, personal data kept apart from the proposal) is used
once the answer is signed: the answer is e-mailed, or listed as a letter to print. The
contact is deleted once the answer has gone out, or after the retention period."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.models import Answer
from apps.core.models import Process, audit
from apps.proposals import rules
from apps.proposals.models import (
    DECISION_STATUSES,
    PAPER_CONTACT_RETENTION_DAYS,
    PaperContact,
    Proposal,
)

if TYPE_CHECKING:
    from apps.accounts.models import User


def paper_contact_save(*, proposal: Proposal, email: str = "", postal_address: str = "") -> PaperContact | None:
    """Called by ``proposal_create`` inside its transaction; nothing is kept when both are empty."""
    email, postal_address = email.strip(), postal_address.strip()
    if not (email or postal_address):
        return None
    if not proposal.is_paper:
        raise ValidationError(_("Seules les contributions papier ont des coordonnées de contact."))
    contact = PaperContact(proposal=proposal, email=email, postal_address=postal_address)
    contact.full_clean()
    contact.save()
    return contact


def answer_paper_contact(answer: Answer) -> None:
    """After an answer is signed: e-mail it to a paper contributor who left an address (the
    task deletes the contact once sent). A postal contact waits in :func:`letters_to_print`."""
    contact = PaperContact.objects.filter(proposal_id=answer.source_id).exclude(email="").first()
    if contact is None:
        return
    from apps.proposals.tasks import send_paper_answer

    transaction.on_commit(lambda: send_paper_answer(answer.pk))


def answer_sent(contact: PaperContact, answer: Answer) -> bool:
    """``answer`` reached the person: a decision ends the use of their contact (deleted, returns
    True); an intermediate answer (« À l'étude ») keeps it for the decision to come."""
    if answer.status in DECISION_STATUSES:
        contact.delete()
        return True
    contact.sent_answer = answer
    contact.save(update_fields=["sent_answer"])
    return False


def letters_to_print(process: Process) -> QuerySet[PaperContact]:
    """Paper contributions of ``process`` with a postal address whose latest answer has not
    been posted yet."""
    latest = (
        Answer.objects.filter(
            source_type=ContentType.objects.get_for_model(Proposal), source_id=OuterRef("proposal_id")
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return (
        PaperContact.objects.filter(proposal__process=process, email="")
        .exclude(postal_address="")
        .annotate(latest_answer=Subquery(latest))
        .filter(latest_answer__isnull=False)
        .filter(Q(sent_answer__isnull=True) | ~Q(sent_answer=F("latest_answer")))
        .select_related("proposal")
        .order_by("proposal__pk")
    )


@transaction.atomic
def paper_letter_sent(*, actor: User, contact: PaperContact) -> bool:
    """The agent posted the letter with the latest answer; True when the contact is deleted."""
    if not rules.can_instruct(actor, contact.proposal.process):
        raise PermissionDenied
    answer = Answer.objects.filter(proposal=contact.proposal_id).order_by("-created_at", "-pk").first()
    if answer is None:
        raise ValidationError(_("Cette proposition n'a pas encore de réponse publiée."))
    audit(actor, "proposal.paper_letter_sent", contact.proposal, answer_id=answer.pk)
    return answer_sent(contact, answer)


def paper_contacts_purge(now: datetime.datetime | None = None) -> int:
    """Delete the contacts kept longer than the announced retention (answer or not)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=PAPER_CONTACT_RETENTION_DAYS)
    deleted, _details = PaperContact.objects.filter(created_at__lt=limit).delete()
    return deleted
