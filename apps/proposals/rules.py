"""One permission question per action. Views and templates ask; they never decide.

Each question combines the person's role, what the current phase of the process allows
(from the module manifest) and the module's own rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.models import Process, Role
from apps.core.phases import allowed_actions, can_view_process
from apps.core.roles import has_role
from apps.proposals.models import Comment, Proposal, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

MODULE = "proposals"
AGENTS = frozenset({Role.AGENT})
ANSWERERS = frozenset({Role.AGENT, Role.ELU})
MODERATORS = frozenset({Role.MODERATOR})


def _is_resident(user: Person) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _phase_allows(process: Process, action: str) -> bool:
    return action in allowed_actions(process, MODULE)


def can_view_proposal(user: Person, proposal: Proposal) -> bool:
    return can_view_process(user, proposal.process)


def can_create_proposal(user: Person, process: Process) -> bool:
    return _is_resident(user) and process.is_published and _phase_allows(process, "create")


def can_edit_proposal(user: Person, proposal: Proposal) -> bool:
    return (
        _is_resident(user)
        and proposal.author_id == user.pk
        and not proposal.is_withdrawn
        and proposal.status == Status.RECEIVED
        and _phase_allows(proposal.process, "edit")
    )


def can_withdraw_proposal(user: Person, proposal: Proposal) -> bool:
    return (
        _is_resident(user)
        and proposal.author_id == user.pk
        and not proposal.is_withdrawn
        and proposal.status in {Status.RECEIVED, Status.UNDER_STUDY}
    )


def can_support(user: Person, proposal: Proposal) -> bool:
    return (
        _is_resident(user)
        and proposal.process.is_published
        and not proposal.is_withdrawn
        and _phase_allows(proposal.process, "support")
    )


def can_comment(user: Person, proposal: Proposal) -> bool:
    return (
        _is_resident(user)
        and proposal.process.is_published
        and not proposal.is_withdrawn
        and _phase_allows(proposal.process, "comment")
    )


def can_report_comment(user: Person, comment: Comment) -> bool:
    return _is_resident(user) and comment.author_id != user.pk and not comment.is_hidden


def can_moderate(user: Person, proposal: Proposal) -> bool:
    return has_role(user, MODERATORS, process=proposal.process)


def can_instruct(user: Person, process: Process) -> bool:
    """Assign, annotate, change status, enter paper contributions."""
    return has_role(user, AGENTS, process=process)


def can_answer(user: Person, process: Process) -> bool:
    """Publish a reasoned answer: agents draft and publish, élus sign."""
    return has_role(user, ANSWERERS, process=process)


def can_view_internal_notes(user: Person, process: Process) -> bool:
    return has_role(user, ANSWERERS, process=process)


def supports_open(proposal: Proposal) -> bool:
    """Whether anyone with an account could support now (to invite anonymous visitors to sign in)."""
    return proposal.process.is_published and not proposal.is_withdrawn and _phase_allows(proposal.process, "support")


def comments_open(proposal: Proposal) -> bool:
    """Whether anyone with an account could comment now (to invite anonymous visitors to sign in)."""
    return proposal.process.is_published and not proposal.is_withdrawn and _phase_allows(proposal.process, "comment")
