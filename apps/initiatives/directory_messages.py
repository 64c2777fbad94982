"""Writing to an entry of the directory of actors, and what follows a bad message.

The message reaches the person behind the entry as a notification (no address is shown either
way) and is kept: the person can report it from its page, and an agent of the entry's quartier
then closes the report or stops the sender from writing through the directory for a year. The
messages go with the sender's account, and with the entry (deleted or withdrawn with its
person's account); see ``personal_data``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.backoffice_kit import AGENTS, territories_in_scope
from apps.core.models import audit
from apps.initiatives import rules
from apps.initiatives.models import Actor, ActorMessage
from apps.notifications.models import Notification
from apps.notifications.services import notify

if TYPE_CHECKING:
    from apps.accounts.models import User

# How long a sender an agent stopped cannot write through the directory.
BLOCK = datetime.timedelta(days=365)
# How long a message is kept (announced on the privacy page): long enough to report it.
KEPT = datetime.timedelta(days=365)


def is_blocked(user: User) -> bool:
    since = timezone.now() - BLOCK
    return ActorMessage.objects.filter(
        sender=user, outcome=ActorMessage.Outcome.SENDER_BLOCKED, handled_at__gte=since
    ).exists()


@transaction.atomic
def actor_contact(*, sender: User, actor: Actor, message: str, reply_to: str) -> ActorMessage:
    """Keep the message and tell the person behind the entry, with a link to it."""
    if not rules.can_contact_actor(sender, actor):
        raise ValidationError(_("Vous ne pouvez pas écrire à cette fiche."))
    if is_blocked(sender):
        raise ValidationError(
            _("Un·e agent·e de la Ville a suspendu vos messages par l'annuaire après un signalement.")
        )
    if not message.strip():
        raise ValidationError({"message": _("Écrivez votre message.")})
    assert actor.person_id is not None
    kept = ActorMessage.objects.create(actor=actor, sender=sender, body=message.strip(), reply_to=reply_to.strip())
    lines = [
        _("%(sender)s vous écrit depuis l'annuaire des acteurs :") % {"sender": sender.public_name},
        kept.body,
    ]
    if kept.reply_to:
        lines.append(_("Pour lui répondre : %(reply_to)s") % {"reply_to": kept.reply_to})
    else:
        lines.append(_("Cette personne n'a pas laissé de moyen de la recontacter."))
    notify(
        user_ids=[actor.person_id],
        kind=Notification.Kind.STATUS,
        title=_("Un message pour « %(name)s » (annuaire des acteurs)") % {"name": actor.name},
        url=kept.get_absolute_url(),
        body="\n\n".join(lines),
    )
    return kept


@transaction.atomic
def message_report(*, user: User, message: ActorMessage, reason: str) -> ActorMessage:
    """The person who received the message reports it; reporting twice keeps the first report."""
    locked = ActorMessage.objects.select_for_update().select_related("actor").get(pk=message.pk)
    if not rules.can_read_actor_message(user, locked):
        raise ValidationError(_("Ce message ne vous est pas adressé."))
    if not reason.strip():
        raise ValidationError({"reason": _("Dites en quelques mots ce qui ne va pas.")})
    if locked.reported_at is None:
        locked.reported_at, locked.report_reason = timezone.now(), reason.strip()
        locked.save(update_fields=["reported_at", "report_reason"])
    return locked


@transaction.atomic
def message_handle(*, agent: User, message: ActorMessage, block_sender: bool) -> ActorMessage:
    locked = ActorMessage.objects.select_for_update().select_related("actor__territory").get(pk=message.pk)
    if not rules.can_moderate_actor(agent, locked.actor):
        raise ValidationError(_("Cette fiche n'est pas dans votre périmètre."))
    if locked.reported_at is None or locked.handled_at is not None:
        raise ValidationError(_("Ce signalement est déjà traité."))
    locked.outcome = ActorMessage.Outcome.SENDER_BLOCKED if block_sender else ActorMessage.Outcome.DISMISSED
    locked.handled_at, locked.handled_by = timezone.now(), agent
    locked.save(update_fields=["outcome", "handled_at", "handled_by"])
    audit(agent, f"initiatives.actor_message_{locked.outcome}", locked.actor, message=locked.pk)
    return locked


def messages_purge(now: datetime.datetime | None = None) -> int:
    """Delete the messages older than :data:`KEPT`, except the two kinds still needed: a report
    no agent has handled yet (the agent must be able to read what was reported), and the message
    whose sender was stopped, until the stop ends (it is what :func:`is_blocked` reads)."""
    now = now or timezone.now()
    old = ActorMessage.objects.filter(sent_at__lt=now - KEPT)
    waiting = Q(reported_at__isnull=False, handled_at__isnull=True)
    stopping = Q(outcome=ActorMessage.Outcome.SENDER_BLOCKED, handled_at__gte=now - BLOCK)
    deleted, _details = old.exclude(waiting | stopping).delete()
    return deleted


def reported_messages(agent: User) -> QuerySet[ActorMessage]:
    """Reports waiting in the agent's quartiers, oldest first."""
    return (
        ActorMessage.objects.filter(
            reported_at__isnull=False,
            handled_at__isnull=True,
            actor__territory__in=territories_in_scope(agent, AGENTS),
        )
        .select_related("actor", "sender")
        .order_by("reported_at", "pk")
    )
