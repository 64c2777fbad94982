"""One permission question per action. Views and templates ask; they never decide.

Each question combines the person's role, what the current phase of the process allows
(from the module manifest) and the module's own rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.answers import rules as answer_rules
from apps.core.models import Process, Role
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident, phase_allows
from apps.proposals.models import Proposal, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

MODULE = "proposals"
AGENTS = frozenset({Role.AGENT})
ANSWERERS = frozenset({Role.AGENT, Role.ELU})
MODERATORS = frozenset({Role.MODERATOR})


def can_view_proposal(user: Person, proposal: Proposal) -> bool:
    return can_view_process(user, proposal.process)


def can_create_proposal(user: Person, process: Process) -> bool:
    return is_resident(user) and process.is_published and phase_allows(process, MODULE, "create")


def can_edit_proposal(user: Person, proposal: Proposal) -> bool:
    return (
        is_resident(user)
        and proposal.author_id == user.pk
        and not proposal.is_withdrawn
        and proposal.status == Status.RECEIVED
        and phase_allows(proposal.process, MODULE, "edit")
    )


def can_withdraw_proposal(user: Person, proposal: Proposal) -> bool:
    return (
        is_resident(user)
        and proposal.author_id == user.pk
        and not proposal.is_withdrawn
        and proposal.status in {Status.RECEIVED, Status.UNDER_STUDY}
    )


def can_support(user: Person, proposal: Proposal) -> bool:
    return (
        is_resident(user)
        and proposal.process.is_published
        and not proposal.is_withdrawn
        and phase_allows(proposal.process, MODULE, "support")
    )


def can_comment(user: Person, proposal: Proposal) -> bool:
    return (
        is_resident(user)
        and proposal.process.is_published
        and not proposal.is_withdrawn
        and phase_allows(proposal.process, MODULE, "comment")
    )


def can_moderate(user: Person, proposal: Proposal) -> bool:
    return has_role(user, MODERATORS, process=proposal.process)


def can_instruct(user: Person, process: Process) -> bool:
    """Assign, annotate, change status, enter paper contributions."""
    return has_role(user, AGENTS, process=process)


def can_answer(user: Person, process: Process) -> bool:
    """Draft a reasoned answer (and submit it for signature). Publishing is signing:
    :func:`can_sign_answer`."""
    return has_role(user, ANSWERERS, process=process)


def signature_for(user: Person, process: Process) -> str | None:
    """The public signature ``user`` gives an answer on ``process`` (:mod:`apps.answers.rules`)."""
    return answer_rules.signature_for(user, process)


def can_sign_answer(user: Person, process: Process) -> bool:
    return answer_rules.can_sign(user, process)


def answer_publication_refusal(process: Process) -> str:
    """Why no answer may be published on ``process`` now (an empty string when it may).

    The rules of the game say the city answers after the collect (« Dépôt ») phase: an
    answer published while proposals are still being written would decide before everyone
    has had their say."""
    now = timezone.now()
    for phase in process.ordered_phases():
        if phase.module == MODULE and phase.kind == "collect" and phase.is_active(now):
            end = formats.date_format(timezone.localtime(phase.ends_at), "j F Y")
            return _(
                "Les réponses ne sont publiées qu'après le dépôt des propositions, qui dure jusqu'au %(date)s : "
                "c'est ce que disent les règles du jeu de la démarche."
            ) % {"date": end}
    return ""


def can_view_internal_notes(user: Person, process: Process) -> bool:
    return has_role(user, ANSWERERS, process=process)


def supports_open(proposal: Proposal) -> bool:
    """Whether anyone with an account could support now (to invite anonymous visitors to sign in)."""
    return (
        proposal.process.is_published
        and not proposal.is_withdrawn
        and phase_allows(proposal.process, MODULE, "support")
    )


def comments_open(proposal: Proposal) -> bool:
    """Whether anyone with an account could comment now (to invite anonymous visitors to sign in)."""
    return (
        proposal.process.is_published
        and not proposal.is_withdrawn
        and phase_allows(proposal.process, MODULE, "comment")
    )


def can_view_instruction(user: Person, process: Process) -> bool:
    """The instruction pages of a process: its agents and élus."""
    return has_role(user, ANSWERERS, process=process)


def can_manage_answer_templates(user: Person) -> bool:
    # Templates are shared by the whole city: any agent (or administrator) maintains them.
    return has_role(user, AGENTS)
