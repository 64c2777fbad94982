"""Writes of the proposals module. Keyword-only, validated, atomic; side effects on commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.answers.models import Answer
from apps.answers.services import answer_publish
from apps.core import participation
from apps.core.models import Process, Service, Territory, Theme, audit
from apps.core.rules_kit import require
from apps.core.uploads import reencode_image
from apps.discussion import services as discussion
from apps.discussion.models import Comment
from apps.proposals import fragments, rules, support_sql
from apps.proposals.models import (
    COMMITTING_STATUSES,
    DECISION_STATUSES,
    InternalNote,
    Proposal,
    ProposalImage,
    Status,
    Support,
)
from apps.proposals.placement import placed_territory

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.followup.models import Commitment

ImageUpload = tuple[UploadedFile, str]


def _add_images(proposal: Proposal, images: Sequence[ImageUpload]) -> None:
    for upload, alt_text in images:
        image = ProposalImage(proposal=proposal, image=reencode_image(upload), alt_text=alt_text.strip())
        image.full_clean()
        image.save()


@transaction.atomic
def proposal_create(
    *,
    author: User,
    process: Process,
    title: str,
    body: str,
    theme: Theme | None = None,
    territory: Territory | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    images: Sequence[ImageUpload] = (),
    paper_author_name: str = "",
    paper_email: str = "",
    paper_postal_address: str = "",
) -> Proposal:
    """Create a proposal. With ``paper_author_name`` an agent enters a paper contribution,
    with the optional contact its author gave to receive the answer (kept apart, see
    :mod:`apps.proposals.paper`)."""
    is_paper = bool(paper_author_name)
    if is_paper:
        require(rules.can_instruct(author, process))
    else:
        require(rules.can_create_proposal(author, process))
    territory = placed_territory(process, territory=territory, latitude=latitude, longitude=longitude)
    proposal = Proposal(
        process=process,
        author=None if is_paper else author,
        title=title.strip(),
        body=body,
        theme=theme,
        territory=territory or (process.territory if process.territory.kind != "city" else None),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        is_paper=is_paper,
        paper_author_name=paper_author_name.strip(),
        entered_by=author if is_paper else None,
    )
    proposal.full_clean()
    proposal.save()
    _add_images(proposal, images)
    fragments.bump_list(process.pk, proposal.pk)
    participation.record(
        module="proposals",
        kind="proposal",
        person=None if is_paper else author,
        process=process,
        channel=participation.PAPER if is_paper else participation.ONLINE,
        territory=proposal.territory,
    )
    if is_paper:
        from apps.proposals.paper import paper_contact_save

        contact = paper_contact_save(proposal=proposal, email=paper_email, postal_address=paper_postal_address)
        # The audit says a contact was left, never the contact itself (it is deleted later).
        audit(author, "proposal.paper_entry", proposal, paper_author=proposal.paper_author_name, contact=bool(contact))
    else:
        from apps.notifications.services import follow

        follow(user=author, target=proposal)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    user: User,
    proposal: Proposal,
    title: str,
    body: str,
    theme: Theme | None,
    territory: Territory | None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    images: Sequence[ImageUpload] = (),
) -> Proposal:
    require(rules.can_edit_proposal(user, proposal))
    proposal.title = title.strip()
    proposal.body = body
    proposal.theme = theme
    proposal.territory = placed_territory(proposal.process, territory=territory, latitude=latitude, longitude=longitude)
    proposal.address = address.strip()
    proposal.latitude = latitude
    proposal.longitude = longitude
    proposal.full_clean()
    proposal.save()
    _add_images(proposal, images)
    fragments.bump_list(proposal.process_id, proposal.pk)
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: Proposal) -> Proposal:
    require(rules.can_withdraw_proposal(user, proposal))
    proposal.is_withdrawn = True
    proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["is_withdrawn", "withdrawn_at", "updated_at"])
    fragments.bump_list(proposal.process_id, proposal.pk)
    return proposal


def support_add(*, user: User, proposal: Proposal) -> bool:
    """Support a proposal; idempotent. Returns True when a support was created.

    The unique constraint (proposal, user) is the guarantee: of many parallel requests
    from one account exactly one insert succeeds; the others change nothing, so the counter
    and the participation event follow once (one statement, :mod:`apps.proposals.support_sql`).
    """
    require(rules.can_support(user, proposal))
    if connections[router.db_for_write(Support)].vendor == "postgresql":
        return support_sql.insert_support(user=user, proposal=proposal)
    # The demo's SQLite has no data-modifying WITH: the same three writes in one transaction.
    try:
        with transaction.atomic():
            Support.objects.create(user=user, proposal=proposal)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            participation.record(module="proposals", kind="support", person=user, process=proposal.process)
    except IntegrityError:
        return False
    return True


def support_remove(*, user: User, proposal: Proposal) -> bool:
    require(rules.can_support(user, proposal))
    with transaction.atomic():
        deleted, _details = Support.objects.filter(user=user, proposal=proposal).delete()
        if deleted:
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


def comment_create(
    *, author: User, proposal: Proposal, body: str, stance: str = Comment.Stance.NEUTRAL, parent: Comment | None = None
) -> Comment:
    """A comment on the proposal (its counter, cache and notifications follow through
    :mod:`apps.proposals.discussion`)."""
    return discussion.comment_post(author=author, target=proposal, body=body, stance=stance, parent=parent)


@transaction.atomic
def proposals_assign(*, actor: User, proposals: Iterable[Proposal], service: Service | None) -> int:
    count = 0
    for proposal in proposals:
        require(rules.can_instruct(actor, proposal.process))
        proposal.assigned_service = service
        proposal.save(update_fields=["assigned_service", "updated_at"])
        audit(actor, "proposal.assign", proposal, service=service.name if service else None)
        count += 1
    return count


@transaction.atomic
def proposal_set_study(*, actor: User, proposal: Proposal) -> Proposal:
    """Mark as under study; decisions go through :func:`proposal_answer`."""
    require(rules.can_instruct(actor, proposal.process))
    proposal.status = Status.UNDER_STUDY
    proposal.save(update_fields=["status", "updated_at"])
    fragments.bump_list(proposal.process_id, proposal.pk)
    audit(actor, "proposal.status", proposal, status=proposal.status)
    from apps.proposals.news import notify_status

    transaction.on_commit(lambda: notify_status(proposal))
    return proposal


def validate_answer(*, status: str, body: str) -> None:
    if status not in DECISION_STATUSES and status != Status.UNDER_STUDY:
        raise ValidationError({"status": _("Choisissez une décision.")})
    if len(body.strip()) < 20:
        raise ValidationError({"body": _("Une réponse argumentée explique la décision (20 caractères au moins).")})


def commitment_from_proposal(*, actor: User, proposal: Proposal) -> Commitment:
    """The commitment born of an accepted proposal in the follow-up (one per proposal)."""
    from apps.followup.services import commitment_from_source

    return commitment_from_source(
        actor=actor,
        source=proposal,
        process=proposal.process,
        territory=proposal.territory,
        title=proposal.title,
        description=proposal.body,
        service=proposal.assigned_service,
    )


@transaction.atomic
def proposal_answer(*, actor: User, proposal: Proposal, status: str, body: str, author: User | None = None) -> Answer:
    """Publish a reasoned answer signed by ``actor`` and set the decision it carries.

    Only a signer publishes (:func:`apps.answers.rules.signature_for`); the signature shown is
    computed from their account and role, never typed. ``author`` is the agent who drafted it
    (``actor`` by default). Refused while the rules of the game say it is too early
    (:func:`rules.answer_publication_refusal`). What publication changes on the proposal is
    :func:`answer_published`.
    """
    return answer_publish(signer=actor, source=proposal, status=status, body=body, author=author)


def answer_published(actor: User, answer: Answer) -> None:
    """Called by ``apps.answers`` in the signing transaction: the proposal takes the decision;
    an accepted (or partly accepted) proposal becomes a commitment in the follow-up; followers
    are told and a paper contributor gets the answer."""
    proposal: Proposal = answer.source  # type: ignore[assignment]  # answers to proposals
    proposal.status = answer.status
    proposal.save(update_fields=["status", "updated_at"])
    fragments.bump_list(proposal.process_id, proposal.pk)
    audit(actor, "proposal.answer", proposal, status=answer.status, answer_id=answer.pk, signed_by=answer.signed_by)
    if answer.status in COMMITTING_STATUSES:
        commitment_from_proposal(actor=actor, proposal=proposal)
    from apps.proposals.news import notify_answer

    transaction.on_commit(lambda: notify_answer(answer))
    from apps.proposals.paper import answer_paper_contact

    answer_paper_contact(answer)


@transaction.atomic
def internal_note_add(*, actor: User, proposal: Proposal, body: str) -> InternalNote:
    require(rules.can_view_internal_notes(actor, proposal.process))
    note = InternalNote(proposal=proposal, author=actor, body=body.strip())
    note.full_clean()
    note.save()
    audit(actor, "proposal.note", proposal, note_id=note.pk)
    return note
