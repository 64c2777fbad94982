"""Moderating statements: the queue of a moderator (statements waiting before publication, and
residents' statements published unread when the conversation is moderated « après »), and
accepting or hiding them, one or many at once, with a public reason for hiding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations import rules, services
from apps.consultations.models import Conversation, Statement
from apps.core.backoffice_kit import scope_for
from apps.core.models import audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

WAITING = Q(status=Statement.Status.PENDING) | Q(
    status=Statement.Status.PUBLISHED, moderated_at__isnull=True, author__isnull=False
)


def queue(user: User) -> QuerySet[Statement]:
    """The statements waiting for this person, in the processes of their moderation scope."""
    scope = scope_for(user, rules.MODERATORS)
    if scope.is_empty:
        return Statement.objects.none()
    return (
        Statement.objects.filter(WAITING)
        .filter(scope.process_filter("conversation__process__"))
        .select_related("conversation__process")
        .order_by("-status", "created_at", "pk")  # « pending » (unseen by the public) first
    )


def statements_moderate(*, moderator: User, statement_ids: Sequence[int], accept: bool, reason: str) -> int:
    """Accepts or hides the statements; hiding needs a public reason. Returns how many changed.
    All or nothing: one statement outside the moderator's scope refuses the whole batch."""
    reason = " ".join(reason.split())
    if not accept and not reason:
        raise ValidationError({"reason": _("Donnez le motif public du refus : il sera affiché à la place.")})
    if not statement_ids:
        raise ValidationError(_("Cochez au moins une affirmation."))
    with transaction.atomic():
        statements = list(
            Statement.objects.select_for_update(of=("self",))
            .select_related("conversation__process")
            .filter(pk__in=statement_ids)
        )
        for statement in statements:
            require(rules.can_moderate(moderator, statement.conversation))
        now = timezone.now()
        left_the_map = [s.conversation_id for s in statements if not accept and s.status == Statement.Status.PUBLISHED]
        for statement in statements:
            statement.status = Statement.Status.PUBLISHED if accept else Statement.Status.HIDDEN
            statement.moderation_reason = "" if accept else reason
            statement.moderated_at = now
        Statement.objects.bulk_update(statements, ["status", "moderation_reason", "moderated_at"])
        for statement in statements:
            action = "consultations.statement_accept" if accept else "consultations.statement_hide"
            audit(moderator, action, statement, reason=statement.moderation_reason)
        services.refresh_maps_after_hiding(left_the_map)
    return len(statements)


def conversations_in_scope(user: User) -> QuerySet[Conversation]:
    scope = scope_for(user, rules.MODERATORS)
    if scope.is_empty:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(scope.process_filter("process__"))
        .select_related("process")
        .order_by("-process__pk", "pk")
    )


def moderation_mode_set(*, moderator: User, conversation: Conversation, mode: str) -> Conversation:
    """Before or after publication. Statements already waiting stay in the queue either way."""
    require(rules.can_moderate(moderator, conversation))
    if mode not in Conversation.Moderation.values:
        raise ValidationError({"moderation": _("Choisissez « Avant publication » ou « Après publication ».")})
    with transaction.atomic():
        conversation.moderation = mode
        conversation.save(update_fields=["moderation"])
        audit(moderator, "consultations.moderation_mode", conversation, mode=mode)
    return conversation
