"""Writing to a conversation: statements, votes, the stored map. Keyword-only, checked, atomic."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations import rules
from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.core import participation
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

# The map is recomputed at most once a minute, or at once after this many new votes.
RECOMPUTE_EVERY_VOTES = 25
RECOMPUTE_EVERY_SECONDS = 60


def statement_create(*, author: User, conversation: Conversation, text: str) -> Statement:
    require(rules.can_write_statement(author, conversation))
    status = (
        Statement.Status.PENDING
        if conversation.moderation == Conversation.Moderation.BEFORE
        else Statement.Status.PUBLISHED
    )
    statement = Statement(conversation=conversation, author=author, text=" ".join(text.split()), status=status)
    statement.full_clean()
    with transaction.atomic():
        statement.save()
        participation.record(
            module="consultations", kind="consultation_statement", person=author, process=conversation.process
        )
    return statement


def vote_cast(*, participant: User, statement: Statement, value: int) -> Vote:
    """One vote per person and statement (a DB constraint): voting again changes the vote."""
    require(rules.can_vote(participant, statement))
    if value not in Vote.Value.values:
        raise ValidationError(_("Choisissez « D'accord », « Pas d'accord » ou « Je passe »."))
    for _attempt in range(2):
        try:
            with transaction.atomic():
                vote, created = Vote.objects.update_or_create(
                    statement=statement, participant=participant, defaults={"value": value}
                )
                if created:  # one event per vote, none when a vote is changed
                    participation.record(
                        module="consultations",
                        kind="consultation_vote",
                        person=participant,
                        process=statement.conversation.process,
                    )
                transaction.on_commit(lambda: _maybe_recompute(statement.conversation_id))
            return vote
        except IntegrityError:
            # Two requests inserted at once: the loser retries and updates the winner's row.
            continue
    raise ValidationError(_("Votre vote n'a pas pu être enregistré, réessayez."))


def _maybe_recompute(conversation_id: int) -> None:
    from apps.consultations.tasks import recompute_map

    snapshot = (
        OpinionMapSnapshot.objects.filter(conversation_id=conversation_id).only("computed_at", "votes_counted").first()
    )
    if snapshot is not None:
        age = (timezone.now() - snapshot.computed_at).total_seconds()
        new_votes = Vote.objects.filter(statement__conversation_id=conversation_id).count() - snapshot.votes_counted
        if age < RECOMPUTE_EVERY_SECONDS and new_votes < RECOMPUTE_EVERY_VOTES:
            return
    recompute_map(conversation_id)


def statement_hide(*, statement: Statement, reason: str) -> Statement:
    was_on_map = statement.status == Statement.Status.PUBLISHED
    statement.status = Statement.Status.HIDDEN
    statement.moderation_reason = reason.strip()
    statement.moderated_at = timezone.now()
    statement.full_clean()
    with transaction.atomic():
        statement.save(update_fields=["status", "moderation_reason", "moderated_at"])
        if was_on_map:
            refresh_maps_after_hiding([statement.conversation_id])
    return statement


def refresh_maps_after_hiding(conversation_ids: Iterable[int]) -> None:
    """A published statement moderated out leaves the map: its stored groups, representative and
    consensus statements may cite it until the next batch of votes, so the maps already computed
    are recomputed once the hiding commits (a conversation without a map waits for its votes)."""
    for conversation_id in sorted(set(conversation_ids)):
        transaction.on_commit(functools.partial(_recompute_if_mapped, conversation_id))


def _recompute_if_mapped(conversation_id: int) -> None:
    from apps.consultations.tasks import recompute_map

    if OpinionMapSnapshot.objects.filter(conversation_id=conversation_id).exists():
        recompute_map(conversation_id)
