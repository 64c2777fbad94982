"""Writes of the technical analysis (agents), the ballot numbers and the realisation.

The list of projects on the ballot must not change once the vote has started: every analysis
decision, merge and numbering is refused once the rules are frozen (first ballot cast).
Bulk tools run the single-project service for each project inside one transaction, so a bulk
action is all or nothing and every project gets its own audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.budgets.models import Budget, Project, ProjectStatus, Result
from apps.budgets.projects import rules
from apps.budgets.projects.eligibility import RULE_CODES, WITHIN_ENVELOPE
from apps.core.models import Service, audit
from apps.core.rules_kit import require
from apps.followup.models import Commitment

if TYPE_CHECKING:
    from apps.accounts.models import User

DECISIONS = (ProjectStatus.UNDER_ANALYSIS, ProjectStatus.FEASIBLE, ProjectStatus.NOT_FEASIBLE)


def _not_frozen(budget: Budget) -> None:
    """Refuse once the rules are frozen. The budget row stays locked until the change commits:
    the first ballot's freeze (an UPDATE of that row) waits for it, so the vote's cached
    ballot definition (``apps.budgets.voting.ballots``), read after the freeze, is final."""
    frozen = Budget.objects.select_for_update().filter(pk=budget.pk).values_list("rules_frozen_at", flat=True)
    if any(stamp is not None for stamp in frozen):
        raise ValidationError(_("Le vote a commencé : la liste des projets soumis au vote ne peut plus changer."))


@transaction.atomic
def project_analyse(
    *,
    actor: User,
    project: Project,
    status: str,
    reason: str = "",
    city_cost: int | None = None,
    checks: Iterable[str] | None = None,
    keep_city_cost: bool = False,
) -> Project:
    """Record the services' opinion: under analysis, feasible or not feasible (with a public reason).

    ``checks`` are the eligibility rules the services found met (``eligibility.RULES``); the cost
    rule is computed from the city's estimate. A feasible project meets every rule.
    ``keep_city_cost`` leaves the existing estimate alone (bulk status changes)."""
    require(rules.can_analyse(actor, project.budget))
    _not_frozen(project.budget)
    if project.status not in rules.ANALYSABLE:
        raise ValidationError(
            _("« %(title)s » est %(status)s : son analyse est close.")
            % {"title": project.title, "status": project.get_status_display().lower()}
        )
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choisissez un avis de la liste.")})
    if not keep_city_cost:
        project.city_cost = city_cost
    reason = reason.strip()
    if status == ProjectStatus.NOT_FEASIBLE and not reason:
        raise ValidationError(
            {
                "reason": _("Expliquez publiquement pourquoi « %(title)s » n'est pas réalisable.")
                % {"title": project.title}
            }
        )
    met = set(RULE_CODES if checks is None else checks) & set(RULE_CODES)
    within = project.cost <= project.envelope.amount
    if within:
        met.add(WITHIN_ENVELOPE)
    else:
        met.discard(WITHIN_ENVELOPE)
    if status == ProjectStatus.FEASIBLE:
        if not within:
            raise ValidationError(
                {
                    "city_cost": _("Le coût de « %(title)s » (%(cost)s €) dépasse l'enveloppe (%(amount)s €).")
                    % {"title": project.title, "cost": project.cost, "amount": project.envelope.amount}
                }
            )
        if met != set(RULE_CODES):
            raise ValidationError({"checks": _("Un projet réalisable respecte tous les critères d'éligibilité.")})
    project.status = status
    project.analysis_reason = reason
    project.eligibility = {code: code in met for code in RULE_CODES}
    project.analysed_at = timezone.now() if status != ProjectStatus.UNDER_ANALYSIS else project.analysed_at
    if status != ProjectStatus.FEASIBLE:
        project.ballot_number = None
    project.full_clean()
    project.save()
    audit(actor, "budget_project.analyse", project, status=status, city_cost=project.city_cost, reason=reason)
    return project


BULK_STATUS = "status"
BULK_COST = "cost"


@transaction.atomic
def projects_bulk_analyse(
    *,
    actor: User,
    budget: Budget,
    projects: Sequence[Project],
    status: str | None = None,
    reason: str = "",
    city_cost: int | None = None,
) -> int:
    """One decision for many projects: a status (with a reason for "not feasible"; "feasible"
    ticks every eligibility rule) or a city cost estimate."""
    require(rules.can_analyse(actor, budget))
    if any(project.budget_id != budget.pk for project in projects):
        raise PermissionDenied
    count = 0
    for project in projects:
        if status is None:
            project_analyse(
                actor=actor,
                project=project,
                status=project.status if project.status in DECISIONS else ProjectStatus.UNDER_ANALYSIS,
                reason=project.analysis_reason,
                city_cost=city_cost,
                checks=[code for code, met in project.eligibility.items() if met],
            )
        else:
            project_analyse(
                actor=actor,
                project=project,
                status=status,
                reason=reason or project.analysis_reason,
                checks=None if status == ProjectStatus.FEASIBLE else [k for k, v in project.eligibility.items() if v],
                keep_city_cost=True,
            )
        count += 1
    return count


@transaction.atomic
def project_merge(*, actor: User, project: Project, target: Project) -> Project:
    """Merge ``project`` into ``target``: it is marked merged (its page and comments stay, with a
    link), and its author and co-authors become co-authors of the target."""
    require(rules.can_analyse(actor, project.budget))
    _not_frozen(project.budget)
    if target.budget_id != project.budget_id or target.pk == project.pk:
        raise ValidationError({"target": _("Choisissez un autre projet du même budget.")})
    if target.status in {ProjectStatus.MERGED, ProjectStatus.WITHDRAWN} or project.status not in rules.ANALYSABLE:
        raise ValidationError({"target": _("Ce projet ne peut pas être fusionné (il est déjà fusionné ou retiré).")})
    project.status = ProjectStatus.MERGED
    project.merged_into = target
    project.ballot_number = None
    project.analysed_at = timezone.now()
    project.save()
    people = [p for p in [project.author, *project.coauthors.all()] if p is not None and p.pk != target.author_id]
    target.coauthors.add(*people)
    # Projects merged earlier into this one follow it.
    Project.objects.filter(merged_into=project).update(merged_into=target)
    audit(actor, "budget_project.merge", project, target_id=target.pk, target_title=target.title)
    return project


@transaction.atomic
def ballot_numbers_assign(*, actor: User, budget: Budget) -> int:
    """Number the feasible projects for the ballot. Stable: a project keeps its number; new ones
    follow, by envelope (city-wide first, then quartiers by name) and submission order; projects
    no longer feasible lose theirs. Returns how many projects carry a number."""
    require(rules.can_analyse(actor, budget))
    _not_frozen(budget)
    Project.objects.filter(budget=budget).exclude(status=ProjectStatus.FEASIBLE).update(ballot_number=None)
    feasible = Project.objects.filter(budget=budget, status=ProjectStatus.FEASIBLE)
    last = feasible.aggregate(top=Max("ballot_number"))["top"] or 0
    pending_list = list(feasible.filter(ballot_number__isnull=True).select_related("envelope__territory"))
    pending_list.sort(
        key=lambda p: (
            p.envelope.territory is not None,
            p.envelope.territory.name if p.envelope.territory else "",
            p.created_at,
            p.pk,
        )
    )
    for offset, project in enumerate(pending_list, start=1):
        project.ballot_number = last + offset
        project.save(update_fields=["ballot_number", "updated_at"])
    total = feasible.count()
    audit(actor, "budget.ballot_numbers", budget, numbered=total, new=len(pending_list))
    return total


def commitment_of(project: Project) -> Commitment | None:
    return Commitment.objects.filter(
        source_type=ContentType.objects.get_for_model(Project), source_id=project.pk
    ).first()


@transaction.atomic
def commitments_for_winners(*, actor: User, budget: Budget, service: Service | None) -> int:
    """One follow-up commitment per winning project (idempotent: one per source project).
    Winners are marked "Lauréat", the other projects on the ballot "Non retenu"."""
    require(rules.can_create_commitments(actor, budget))
    from apps.followup.services import commitment_create

    results = list(Result.objects.filter(envelope__budget=budget))
    if not results:
        raise ValidationError(_("Les résultats ne sont pas encore publiés."))
    winners = [pk for result in results for pk in result.selected]
    projects = Project.objects.filter(budget=budget, pk__in=winners).select_related("envelope__territory")
    Project.objects.filter(budget=budget, status=ProjectStatus.FEASIBLE).exclude(pk__in=winners).update(
        status=ProjectStatus.NOT_SELECTED
    )
    done = set(
        Commitment.objects.filter(
            source_type=ContentType.objects.get_for_model(Project), source_id__in=winners
        ).values_list("source_id", flat=True)
    )
    created = 0
    for project in projects:
        if project.status != ProjectStatus.SELECTED:
            project.status = ProjectStatus.SELECTED
            project.save(update_fields=["status", "updated_at"])
        if project.pk in done:
            continue
        commitment_create(
            actor=actor,
            process=budget.process,
            title=project.title,
            description=project.description,
            service=service,
            territory=project.envelope.territory,
            made_with_residents=True,
            source=project,
        )
        created += 1
    audit(actor, "budget.commitments", budget, created=created, service=service.name if service else None)
    return created
