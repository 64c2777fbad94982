"""One permission question per action of the workshops module. Views and templates ask;
they never decide. Each question combines the role (scoped), what the current phase of the
process allows (manifest) and the module's own rule (panel membership, opinion state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.models import Role
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident, phase_allows
from apps.workshops.models import CitizenOpinion, PanelMember, Recommendation, Workshop

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

MODULE = "workshops"
AGENTS = frozenset({Role.AGENT})
ANSWERERS = frozenset({Role.AGENT, Role.ELU})
STAFF = frozenset({Role.AGENT, Role.ELU, Role.MODERATOR})


def membership(user: Person, workshop: Workshop) -> PanelMember | None:
    """The person's membership of this workshop's panel (cached per request on the user)."""
    if not is_resident(user):
        return None
    cache: dict[int, PanelMember | None] = getattr(user, "_workshop_memberships", None) or {}
    if workshop.pk not in cache:
        cache[workshop.pk] = PanelMember.objects.filter(workshop=workshop, user_id=int(user.pk or 0)).first()
        user._workshop_memberships = cache  # type: ignore[union-attr]
    return cache[workshop.pk]


def forget_membership(user: Person) -> None:
    if hasattr(user, "_workshop_memberships"):
        del user._workshop_memberships


def is_sitting_member(user: Person, workshop: Workshop) -> bool:
    """A confirmed, non-alternate member with an account: who writes and votes."""
    member = membership(user, workshop)
    return member is not None and member.is_active_member


# --- public side ---------------------------------------------------------------------------


def can_view_workshop(user: Person, workshop: Workshop) -> bool:
    """The public page: a published mandate of a published process; staff of the process
    preview it before publication."""
    if has_role(user, STAFF, process=workshop.process):
        return True
    return workshop.is_mandate_published and can_view_process(user, workshop.process)


def is_panel_member(user: Person, workshop: Workshop) -> bool:
    """A confirmed member of the panel, alternates included (they read what the panel writes)."""
    member = membership(user, workshop)
    return member is not None and member.status == PanelMember.Status.CONFIRMED


def can_read_opinion_draft(user: Person, workshop: Workshop) -> bool:
    """The opinion while the panel writes and adopts it (text, votes, revision history with its
    authors): the panel and the workshop's agents only. Nobody else, not even élus, reads a
    draft: the panel publishes its opinion when it has adopted it."""
    return is_panel_member(user, workshop) or can_manage_workshop(user, workshop)


def can_view_opinion(user: Person, opinion: CitizenOpinion) -> bool:
    """The public reads the opinion once published: its published text, never the drafts."""
    return opinion.is_published or can_read_opinion_draft(user, opinion.workshop)


def can_see_revision_authors(user: Person, workshop: Workshop) -> bool:
    """Who wrote each version is known to the panel and its agents, never published: the
    opinion is the panel's as a whole, and members keep their names off the open web."""
    return can_read_opinion_draft(user, workshop)


def can_apply(user: Person, workshop: Workshop) -> bool:
    return (
        is_resident(user)
        and workshop.is_mandate_published
        and workshop.process.is_published
        and phase_allows(workshop.process, MODULE, "apply")
        and membership(user, workshop) is None
    )


def can_edit_recommendation(user: Person, recommendation: Recommendation) -> bool:
    opinion = recommendation.opinion
    return (
        opinion.state == CitizenOpinion.State.DRAFTING
        and is_sitting_member(user, opinion.workshop)
        and phase_allows(opinion.workshop.process, MODULE, "edit_opinion")
    )


def can_vote(user: Person, opinion: CitizenOpinion) -> bool:
    return (
        opinion.state == CitizenOpinion.State.VOTING
        and is_sitting_member(user, opinion.workshop)
        and phase_allows(opinion.workshop.process, MODULE, "vote_opinion")
    )


def can_download_attestation(user: Person, member: PanelMember) -> bool:
    """The member (own attestation only) and the agents of the process."""
    if is_resident(user) and member.user_id == user.pk:
        return True
    return can_manage_workshop(user, member.workshop)


def can_claim(user: Person) -> bool:
    return is_resident(user)


# --- back office ---------------------------------------------------------------------------


def can_list_workshops_admin(user: Person) -> bool:
    """The back-office list (and its link on the dashboard): agents and élus, who run or answer
    the workshops of their processes."""
    return has_role(user, ANSWERERS)


def can_create_workshop_somewhere(user: Person) -> bool:
    return has_role(user, AGENTS)


def can_see_workshop_backoffice(user: Person, workshop: Workshop) -> bool:
    """Agents run the workshop; élus answer: both see the back-office pages."""
    return has_role(user, ANSWERERS, process=workshop.process)


def can_manage_workshop(user: Person, workshop: Workshop) -> bool:
    """Mandate, panel, sessions, attendance, opinion steps: the agents of the process."""
    return has_role(user, AGENTS, process=workshop.process)


def can_answer(user: Person, workshop: Workshop) -> bool:
    """The élu answers, or an agent on their behalf (signed by the élu of the mandate),
    once the opinion is published."""
    opinion = getattr(workshop, "opinion", None)
    return (
        opinion is not None
        and opinion.state == CitizenOpinion.State.PUBLISHED
        and has_role(user, ANSWERERS, process=workshop.process)
    )


# --- participatory evaluation and its cahier ---------------------------------------------------


def can_view_cahier(user: Person, workshop: Workshop) -> bool:
    """The cahier is public once the citizen opinion is published; the workshop's staff
    preview it before."""
    if opinion_published(workshop) and can_view_workshop(user, workshop):
        return True
    return can_see_workshop_backoffice(user, workshop)


def opinion_published(workshop: Workshop) -> bool:
    opinion = getattr(workshop, "opinion", None)
    return opinion is not None and opinion.is_published


def can_download_evidence(user: Person, workshop: Workshop, *, is_public: bool) -> bool:
    """A public piece of the evaluation file is everyone's once the mandate is published; a
    reserved one is the panel's and the staff's."""
    if is_public and can_view_workshop(user, workshop):
        return True
    return is_panel_member(user, workshop) or can_see_workshop_backoffice(user, workshop)
