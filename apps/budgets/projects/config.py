"""Writes of the budget configuration: the budget of a process, its rules, its envelopes.

The rules of the vote (ballot type and parameters, counting rule and completion, eligibility)
and the envelope amounts are frozen once the first ballot is cast (``Budget.rules_frozen_at``,
set by the voting part): after that, these services refuse to change them, whatever the form
sends (CONSUL changed rules after voting opened; here the service is the guarantee).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.budgets.envelopes import CriterionWeight, QuartierFigures, split_envelopes
from apps.budgets.models import BallotType, Budget, Completion, CountingRule, Envelope, EnvelopeCriterion
from apps.budgets.projects import rules
from apps.core.models import Process, Territory, audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

# Fields that may not change once the rules are frozen.
FROZEN_FIELDS = (
    "total_amount",
    "city_wide_share",
    "minimum_per_quartier",
    "ballot_type",
    "max_choices",
    "min_spend_share",
    "points_per_voter",
    "max_points_per_project",
    "counting_rule",
    "completion",
    "min_age",
    "residents_only",
    "required_verification",
)
# Fields that change the envelopes (a recomputation follows).
ENVELOPE_FIELDS = ("total_amount", "city_wide_share", "minimum_per_quartier")
EDITABLE_FIELDS = (*FROZEN_FIELDS, "rules_falc")
DEFAULT_CRITERIA = {"population": Decimal(50), "priority_population": Decimal(30), "equal": Decimal(20)}


def quartiers_of(process: Process) -> list[Territory]:
    """The quartiers sharing the budget: those of the process's city (its territory when it is
    the city, else the city above it), by name."""
    territory = process.territory
    while territory.kind != Territory.Kind.CITY and territory.parent is not None:
        territory = territory.parent
    return list(Territory.objects.filter(parent=territory, kind=Territory.Kind.QUARTIER).order_by("name", "pk"))


def _validate_rules(values: dict[str, Any], criteria: dict[str, Decimal], quartier_count: int) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    total = sum(criteria.values(), Decimal(0))
    if any(weight < 0 for weight in criteria.values()):
        add("__all__", _("Les poids des critères ne peuvent pas être négatifs."))
    elif total != 100:
        add(
            "__all__",
            _("Les poids des critères doivent faire 100 %% au total (ils font %(total)s %%).")
            % {"total": f"{total:g}"},
        )
    amount = values["total_amount"]
    share = Decimal(values["city_wide_share"])
    if share < 0 or share > 100:
        add("city_wide_share", _("La part « toute la ville » est comprise entre 0 et 100 %."))
    elif amount and values["minimum_per_quartier"] * quartier_count > amount * (100 - share) / 100:
        add(
            "minimum_per_quartier",
            _(
                "Le minimum par quartier dépasse ce qui reste après l'enveloppe « toute la ville » "
                "(%(count)d quartiers)."
            )
            % {"count": quartier_count},
        )
    ballot = values["ballot_type"]
    if ballot in {BallotType.APPROVAL, BallotType.RANKED} and not values.get("max_choices"):
        add("max_choices", _("Indiquez le nombre maximum de projets qu'une personne peut choisir."))
    if ballot == BallotType.CUMULATIVE and not values.get("points_per_voter"):
        add("points_per_voter", _("Indiquez le nombre de points à répartir par votant·e."))
    if (
        ballot == BallotType.CUMULATIVE
        and values.get("max_points_per_project")
        and values.get("points_per_voter")
        and values["max_points_per_project"] > values["points_per_voter"]
    ):
        add("max_points_per_project", _("Le maximum par projet ne peut pas dépasser les points à répartir."))
    if values.get("min_spend_share", 0) > 100:
        add("min_spend_share", _("La part minimale à dépenser est comprise entre 0 et 100 %."))
    if values.get("completion") and values["counting_rule"] != CountingRule.EQUAL_SHARES:
        add("completion", _("La complétion ne s'applique qu'à la méthode des parts égales."))
    if values["completion"] not in Completion.values:
        add("completion", _("Choisissez une méthode de complétion de la liste."))
    if errors:
        raise ValidationError(errors)


def _save_criteria(budget: Budget, criteria: dict[str, Decimal]) -> None:
    for source, weight in criteria.items():
        EnvelopeCriterion.objects.update_or_create(budget=budget, source=source, defaults={"weight": weight})
    EnvelopeCriterion.objects.filter(budget=budget).exclude(source__in=list(criteria)).delete()


@transaction.atomic
def budget_create(
    *, actor: User, process: Process, criteria: dict[str, Decimal] | None = None, **values: Any
) -> Budget:
    """The budget of a process (one per process), with its criteria and computed envelopes."""
    require(rules.can_configure_budget(actor, process))
    if Budget.objects.filter(process=process).exists():
        raise ValidationError(_("Cette démarche a déjà un budget participatif."))
    criteria = dict(DEFAULT_CRITERIA if criteria is None else criteria)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown budget fields {sorted(unknown)}")
    budget = Budget(process=process, **values)
    fields = {name: getattr(budget, name) for name in EDITABLE_FIELDS}
    _validate_rules(fields, criteria, len(quartiers_of(process)))
    budget.full_clean()
    budget.save()
    _save_criteria(budget, criteria)
    compute_envelopes(budget)
    audit(actor, "budget.create", budget, total_amount=budget.total_amount)
    return budget


@transaction.atomic
def budget_update(*, actor: User, budget: Budget, criteria: dict[str, Decimal], **values: Any) -> Budget:
    """Change the rules. Once frozen, any change to a frozen field (or to the criteria) is refused."""
    require(rules.can_configure_budget(actor, budget.process))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown budget fields {sorted(unknown)}")
    before = {name: getattr(budget, name) for name in EDITABLE_FIELDS}
    old_criteria = {c.source: c.weight for c in budget.criteria.all()}
    changed = [name for name, value in values.items() if before[name] != value]
    criteria_changed = {k: v for k, v in old_criteria.items() if v} != {k: v for k, v in criteria.items() if v}
    if budget.rules_are_frozen:
        frozen = [name for name in changed if name in FROZEN_FIELDS]
        if frozen or criteria_changed:
            message = _("Le vote a commencé : les règles du vote et les enveloppes ne peuvent plus changer.")
            raise ValidationError({name: [message] for name in frozen} or {"__all__": [message]})
    merged = {**before, **values}
    _validate_rules(merged, criteria, len(quartiers_of(budget.process)))
    for name, value in values.items():
        setattr(budget, name, value)
    budget.full_clean()
    budget.save()
    if criteria_changed:
        _save_criteria(budget, criteria)
    if criteria_changed or any(name in ENVELOPE_FIELDS for name in changed):
        compute_envelopes(budget)
    audit(
        actor,
        "budget.update",
        budget,
        changed={name: {"before": str(before[name]), "after": str(values[name])} for name in changed},
        criteria={k: str(v) for k, v in criteria.items()} if criteria_changed else None,
    )
    return budget


def compute_envelopes(budget: Budget) -> list[Envelope]:
    quartiers = quartiers_of(budget.process)
    split = split_envelopes(
        total=budget.total_amount,
        city_wide_share=budget.city_wide_share,
        minimum_per_quartier=budget.minimum_per_quartier,
        criteria=[CriterionWeight(c.source, c.weight) for c in budget.criteria.all()],
        quartiers=[QuartierFigures(q.pk, q.name, q.population or 0, q.priority_population or 0) for q in quartiers],
    )
    formula = split.steps
    wanted: dict[int | None, tuple[int, dict[str, Any]]] = {
        q.pk: (split.amounts[q.pk], {"formula": formula, "row": split.rows[q.pk]}) for q in quartiers
    }
    if budget.city_wide_share > 0 or not quartiers:
        wanted[None] = (split.city_wide, {"formula": formula, "row": formula["city_wide"]})
    envelopes = []
    existing = {envelope.territory_id: envelope for envelope in budget.envelopes.all()}
    for territory_id, (amount, computation) in wanted.items():
        envelope = existing.pop(territory_id, None) or Envelope(budget=budget, territory_id=territory_id)
        envelope.amount = amount
        envelope.computation = computation
        envelope.save()
        envelopes.append(envelope)
    # Envelopes no longer in the formula: gone when empty, kept at zero when projects use them.
    for envelope in existing.values():
        if envelope.projects.exists():
            envelope.amount = 0
            envelope.computation = {"formula": formula, "row": None}
            envelope.save()
        else:
            envelope.delete()
    return envelopes


@transaction.atomic
def envelopes_recompute(*, actor: User, budget: Budget) -> list[Envelope]:
    """Recompute the envelopes (after a change of population figures, say). Refused once frozen."""
    require(rules.can_configure_budget(actor, budget.process))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.rules_are_frozen:
        raise ValidationError(_("Le vote a commencé : les enveloppes ne peuvent plus être recalculées."))
    envelopes = compute_envelopes(budget)
    audit(actor, "budget.envelopes_recompute", budget, amounts={str(e): e.amount for e in envelopes})
    return envelopes
