"""One permission question per action on the agenda. Views, templates and services ask; they
never decide themselves.

Agents (and administrators) of an event's quartier run it; élus of that quartier read its back
office. Residents register, propose and support subjects before the meeting, and comment after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from apps.core.models import Role
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.agenda.models import AgendaItem, Event, Registration

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})


def can_use_agenda_backoffice(user: Person) -> bool:
    return has_role(user, READERS)


def can_create_event(user: Person) -> bool:
    return has_role(user, AGENTS)


def can_read_event_backoffice(user: Person, event: Event) -> bool:
    return has_role(user, READERS, territory=event.territory)


def can_manage_event(user: Person, event: Event) -> bool:
    return has_role(user, AGENTS, territory=event.territory)


def can_view_event(user: Person, event: Event) -> bool:
    return event.is_published or can_read_event_backoffice(user, event)


def _has_started(event: Event) -> bool:
    sitting = event.sitting
    return sitting is None or sitting.starts_at <= timezone.now()


def _open_before(user: Person, event: Event) -> bool:
    """A published, scheduled event that has not started yet, and a signed-in resident."""
    return is_resident(user) and event.is_published and not event.is_cancelled and not _has_started(event)


def can_register(user: Person, event: Event) -> bool:
    return event.registration_enabled and _open_before(user, event)


def can_cancel_registration(user: Person, registration: Registration) -> bool:
    return (
        is_resident(user)
        and registration.user_id == user.pk
        and registration.status != registration.Status.CANCELLED
        and not _has_started(registration.event)
    )


def can_propose_item(user: Person, event: Event) -> bool:
    return event.kind == event.Kind.RENDEZ_VOUS and _open_before(user, event)


def can_support_item(user: Person, item: AgendaItem) -> bool:
    return can_propose_item(user, item.event)


def comments_open(event: Event) -> bool:
    """The thread prolongs the meeting: open once it has started."""
    return event.is_published and not event.is_cancelled and _has_started(event)


def can_comment_event(user: Person, event: Event) -> bool:
    return is_resident(user) and comments_open(event)


def can_moderate_event(user: Person, event: Event) -> bool:
    return has_role(user, frozenset({Role.MODERATOR}), territory=event.territory)
