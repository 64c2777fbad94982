"""Reads of the vote for other parts of the site (the profile, through the integrator).

The quartier of a voter is fixed by their first ballot in a budget (``rules`` module
docstring). The profile, where a person changes their home quartier, uses
:func:`quartier_change_notice` to tell them, during an open vote, that their vote stays
attached to the quartier where they first voted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from apps.budgets.models import Budget, VoterRecord
from apps.budgets.voting import rules
from apps.core.models import Territory

if TYPE_CHECKING:
    from apps.accounts.models import User


@dataclass(frozen=True)
class QuartierLock:
    budget: Budget
    quartier: Territory


def quartier_locked_for(user: User) -> list[QuartierLock]:
    """The budgets whose vote is still open (not closed) and in which this person's quartier
    is fixed by a ballot, with that quartier. Two queries whatever the number of budgets."""
    if not user.is_authenticated:
        return []
    records = (
        VoterRecord.objects.filter(user=user, territory__isnull=False, budget__locators_erased_at__isnull=True)
        .order_by()
        .values_list("budget_id", "scope", "territory_id")
    )
    fixed: dict[int, int] = {}
    for budget_id, scope, territory_id in records:
        if scope == VoterRecord.Scope.QUARTIER or budget_id not in fixed:
            fixed[budget_id] = territory_id
    if not fixed:
        return []
    budgets = Budget.objects.filter(pk__in=fixed).select_related("process").prefetch_related("process__phases")
    territories = Territory.objects.defer("boundary").in_bulk(set(fixed.values()))
    return [
        QuartierLock(budget=budget, quartier=territories[fixed[budget.pk]])
        for budget in budgets
        if not rules.vote_is_closed(budget) and fixed[budget.pk] in territories
    ]


def quartier_change_notice(user: User) -> str | None:
    """The French sentence the profile shows next to the home quartier (and after a change)
    while a vote fixes it, or None."""
    locks = quartier_locked_for(user)
    if not locks:
        return None
    names = ", ".join(
        _("« %(budget)s » (quartier %(quartier)s)") % {"budget": lock.budget.process, "quartier": lock.quartier}
        for lock in locks
    )
    return _(
        "Vous avez déjà voté au budget participatif %(budgets)s : jusqu'à la fin de ce vote, votre vote reste "
        "attaché au quartier où vous avez voté la première fois, même si vous changez de quartier ici."
    ) % {"budgets": names}
