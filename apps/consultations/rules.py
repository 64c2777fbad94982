"""One permission question per action. Views and templates ask; they never decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.models import Role
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident, phase_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.consultations.models import Conversation, Statement

    Person = User | AnonymousUser

MODULE = "consultations"
# Statements are moderated by the process's agents and by moderators.
MODERATORS = frozenset({Role.AGENT, Role.MODERATOR})


def can_view_conversation(user: Person, conversation: Conversation) -> bool:
    return can_view_process(user, conversation.process)


def can_vote(user: Person, statement: Statement) -> bool:
    from apps.consultations.models import Statement

    process = statement.conversation.process
    return (
        is_resident(user)
        and process.is_published
        and statement.status == Statement.Status.PUBLISHED
        and phase_allows(process, MODULE, "vote")
    )


def can_write_statement(user: Person, conversation: Conversation) -> bool:
    process = conversation.process
    return is_resident(user) and process.is_published and phase_allows(process, MODULE, "write")


def can_vote_in(user: Person, conversation: Conversation) -> bool:
    process = conversation.process
    return is_resident(user) and process.is_published and phase_allows(process, MODULE, "vote")


def can_moderate(user: Person, conversation: Conversation) -> bool:
    return has_role(user, MODERATORS, process=conversation.process)


def can_use_moderation(user: Person) -> bool:
    return has_role(user, MODERATORS)
