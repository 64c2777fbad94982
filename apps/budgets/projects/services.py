"""Writes of the residents' side: projects, co-authors, comments (moderated by the discussion primitive)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.budgets.models import Budget, Envelope, Project, ProjectInvitation
from apps.budgets.projects import rules
from apps.core.covers import cover_apply
from apps.core.rules_kit import require
from apps.discussion import services as discussion
from apps.discussion.models import Comment

if TYPE_CHECKING:
    pass


def _validate_envelope(budget: Budget, envelope: Envelope, estimated_cost: int) -> None:
    if envelope.budget_id != budget.pk:
        raise ValidationError({"envelope": _("Choisissez une enveloppe de ce budget.")})
    if estimated_cost <= 0:
        raise ValidationError({"estimated_cost": _("Indiquez un coût estimé supérieur à zéro.")})
    if estimated_cost > envelope.amount:
        raise ValidationError(
            {
                "estimated_cost": _("Le coût estimé dépasse le montant de l'enveloppe choisie (%(amount)s €).")
                % {"amount": f"{envelope.amount:,}".replace(",", "\u202f")}
            }
        )


@transaction.atomic
def project_create(
    *,
    author: User,
    budget: Budget,
    envelope: Envelope,
    title: str,
    description: str,
    estimated_cost: int,
    address: str = "",
    collective: str = "",
    cover: Mapping[str, Any] | None = None,
) -> Project:
    """``cover``: the keyword arguments of ``apps.core.covers.cover_apply`` (the project's picture)."""
    require(rules.can_submit_project(author, budget))
    _validate_envelope(budget, envelope, estimated_cost)
    project = Project(
        budget=budget,
        envelope=envelope,
        author=author,
        title=title.strip(),
        description=description.strip(),
        estimated_cost=estimated_cost,
        address=address.strip(),
        collective=collective.strip(),
    )
    if cover is not None:
        cover_apply(project, **cover)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_update(
    *,
    user: User,
    project: Project,
    envelope: Envelope,
    title: str,
    description: str,
    estimated_cost: int,
    address: str = "",
    collective: str = "",
    cover: Mapping[str, Any] | None = None,
) -> Project:
    require(rules.can_edit_project(user, project))
    _validate_envelope(project.budget, envelope, estimated_cost)
    project.envelope = envelope
    project.title = title.strip()
    project.description = description.strip()
    project.estimated_cost = estimated_cost
    project.address = address.strip()
    project.collective = collective.strip()
    if cover is not None:
        cover_apply(project, **cover)
    project.full_clean()
    project.save()
    return project


def coauthor_invite(*, actor: User, project: Project, email: str) -> ProjectInvitation | None:
    """Invite the account of ``email`` to co-sign. Returns None when there is no such account
    (or it is already an author): the view says the same thing either way, so the form does not
    reveal who has an account."""
    require(rules.can_invite_coauthor(actor, project))
    invited = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if invited is None or invited.pk == project.author_id or project.coauthors.filter(pk=invited.pk).exists():
        return None
    with transaction.atomic():
        invitation, created = ProjectInvitation.objects.get_or_create(
            project=project, user=invited, defaults={"invited_by": actor}
        )
    if created:
        from apps.notifications.services import notify

        url = reverse("budgets:project", kwargs={"pk": project.pk})
        title = _("Invitation à co-porter le projet « %(title)s »") % {"title": project.title}
        transaction.on_commit(lambda: notify(user_ids=[invited.pk], kind="budget_invitation", title=title, url=url))
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: ProjectInvitation) -> Project:
    require(rules.can_answer_invitation(user, invitation))
    project = invitation.project
    project.coauthors.add(user)
    invitation.delete()
    return project


@transaction.atomic
def invitation_decline(*, user: User, invitation: ProjectInvitation) -> None:
    require(rules.can_answer_invitation(user, invitation))
    invitation.delete()


def project_comment_create(*, author: User, project: Project, body: str, parent: Comment | None = None) -> Comment:
    """A comment on the project (counted through :mod:`apps.budgets.projects.discussion`)."""
    return discussion.comment_post(author=author, target=project, body=body, parent=parent)
