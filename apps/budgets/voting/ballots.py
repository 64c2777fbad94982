"""The content of a ballot and its validation, the same for online and paper ballots.

A ballot's content is a mapping ``project pk -> value``: 1 for an approval or a knapsack
ballot, the points given for a cumulative ballot, the rank (1 = first choice) for a ranked
ballot. Validation returns French messages; both the form and the service use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.budgets.models import BallotType, Budget, Envelope, Project, ProjectStatus

Choices = dict[int, int]

# Statuses of the projects that appear on the ballot (and, after the count, in the results).
ON_BALLOT = (ProjectStatus.FEASIBLE, ProjectStatus.SELECTED, ProjectStatus.NOT_SELECTED)


def ballot_projects(envelope: Envelope) -> QuerySet[Project]:
    return Project.objects.filter(envelope=envelope, status__in=ON_BALLOT).order_by("ballot_number", "pk")


def euros(amount: int) -> str:
    return _("%(amount)s €") % {"amount": number_format(amount, decimal_pos=0, force_grouping=True)}


@dataclass(frozen=True)
class Totals:
    """What the running total shows: money chosen and left, points given and left."""

    cost: int
    left: int
    count: int
    points: int
    points_left: int | None


def totals(budget: Budget, envelope: Envelope, projects: Iterable[Project], choices: Mapping[int, int]) -> Totals:
    cost = sum(p.cost for p in projects if choices.get(p.pk))
    points = sum(v for v in choices.values() if v > 0)
    points_left = (budget.points_per_voter or 0) - points if budget.ballot_type == BallotType.CUMULATIVE else None
    return Totals(
        cost=cost,
        left=envelope.amount - cost,
        count=sum(1 for v in choices.values() if v > 0),
        points=points,
        points_left=points_left,
    )


def minimum_spend(budget: Budget, envelope: Envelope, projects: Iterable[Project]) -> int:
    """The least a knapsack ballot must spend: the budget's share of the envelope, but
    never more than all the projects together cost (else nobody could comply)."""
    if budget.ballot_type != BallotType.KNAPSACK or not budget.min_spend_share:
        return 0
    wanted = envelope.amount * budget.min_spend_share // 100
    return min(wanted, sum(p.cost for p in projects))


def validate(budget: Budget, envelope: Envelope, projects: list[Project], choices: Mapping[int, int]) -> list[str]:
    """French messages of everything wrong with ``choices`` (empty when the ballot is valid)."""
    by_pk = {p.pk: p for p in projects}
    errors: list[str] = []
    if any(pk not in by_pk for pk in choices):
        errors.append(_("Un des projets choisis n'est pas sur ce bulletin."))
        return errors
    chosen = {pk: value for pk, value in choices.items() if value > 0}
    if any(value < 0 for value in choices.values()):
        errors.append(_("Les nombres doivent être positifs."))
    if not chosen:
        errors.append(_("Choisissez au moins un projet."))
        return errors
    kind = budget.ballot_type
    limited = kind in (BallotType.APPROVAL, BallotType.KNAPSACK, BallotType.RANKED) and budget.max_choices
    if limited and len(chosen) > (budget.max_choices or 0):
        errors.append(
            ngettext(
                "Vous pouvez choisir %(max)s projet au plus ; vous en avez choisi %(count)s.",
                "Vous pouvez choisir %(max)s projets au plus ; vous en avez choisi %(count)s.",
                budget.max_choices or 0,
            )
            % {"max": budget.max_choices, "count": len(chosen)}
        )
    if kind == BallotType.KNAPSACK:
        cost = sum(by_pk[pk].cost for pk in chosen)
        if cost > envelope.amount:
            errors.append(
                _("Le total de vos projets (%(cost)s) dépasse l'enveloppe de %(amount)s : retirez un projet.")
                % {"cost": euros(cost), "amount": euros(envelope.amount)}
            )
        least = minimum_spend(budget, envelope, projects)
        if cost < least:
            errors.append(
                _("Votre panier doit atteindre au moins %(least)s (vous êtes à %(cost)s) : ajoutez un projet.")
                % {"least": euros(least), "cost": euros(cost)}
            )
    elif kind == BallotType.CUMULATIVE:
        total = sum(chosen.values())
        allowed = budget.points_per_voter or 0
        if total > allowed:
            errors.append(
                _("Vous avez donné %(total)s points ; vous en avez %(allowed)s à répartir.")
                % {"total": total, "allowed": allowed}
            )
        cap = budget.max_points_per_project
        if cap and any(value > cap for value in chosen.values()):
            errors.append(_("Un projet peut recevoir %(cap)s points au plus.") % {"cap": cap})
    elif kind == BallotType.RANKED:
        ranks = sorted(chosen.values())
        if len(set(ranks)) != len(ranks):
            errors.append(_("Deux projets ont le même rang : chaque rang ne sert qu'une fois."))
        elif ranks != list(range(1, len(ranks) + 1)):
            errors.append(_("Classez vos projets à partir de 1, sans sauter de rang (1, 2, 3…)."))
    return errors


def normalise(budget: Budget, choices: Mapping[int, int]) -> Choices:
    """Keep the chosen projects only, with the value the ballot type stores."""
    chosen = {pk: value for pk, value in choices.items() if value > 0}
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        return dict.fromkeys(sorted(chosen), 1)
    return dict(sorted(chosen.items()))
