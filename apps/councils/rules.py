"""One permission question per action on councils. Views and templates ask; they never decide.

Agents (and administrators) of a council's territory run it; élus of that territory read
its back office (and may sit in a jury college, which is membership, not a role).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.models import Role
from apps.core.roles import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.councils.models import Council, Decision, Membership
    from apps.sittings.models import Sitting

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})


def can_use_councils_backoffice(user: Person) -> bool:
    """The back-office list: agents and élus (of any scope) and administrators."""
    return has_role(user, READERS)


def can_create_council(user: Person) -> bool:
    return has_role(user, AGENTS)


def can_read_council_backoffice(user: Person, council: Council) -> bool:
    return has_role(user, READERS, territory=council.territory)


def can_manage_council(user: Person, council: Council) -> bool:
    return has_role(user, AGENTS, territory=council.territory)


def can_view_council(user: Person, council: Council) -> bool:
    return council.is_published or can_read_council_backoffice(user, council)


def can_view_meeting(user: Person, council: Council, meeting: Sitting) -> bool:
    if not can_view_council(user, council):
        return False
    return (meeting.is_published and council.is_published) or can_read_council_backoffice(user, council)


def can_view_decision(user: Person, decision: Decision) -> bool:
    council = decision.council
    return (decision.is_published and council.is_published) or can_read_council_backoffice(user, council)


def can_download_attestation(user: Person, membership: Membership) -> bool:
    """The member themself, or an agent of the council's territory: never another resident."""
    if not user.is_authenticated or not user.is_active:
        return False
    if membership.user_id is not None and membership.user_id == user.pk:
        return True
    return can_manage_council(user, membership.council)


def can_commit_decision(user: Person, decision: Decision) -> bool:
    """Turning a decision into a commitment of the follow-up: an agent of the council who may
    also edit commitments of the chosen process (checked again by the follow-up service)."""
    return can_manage_council(user, decision.council) and decision.commitment_id is None
