"""Factories of the budgets' projects tests: a budget process in a given phase, a budget with
its envelopes computed, projects."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from apps.budgets.models import Budget, EnvelopeCriterion, Project
from apps.budgets.projects.config import DEFAULT_CRITERIA, compute_envelopes
from apps.core.models import Process, Territory
from tests.factories import ProcessFactory

BUDGET_KINDS = ("submission", "analysis", "vote", "results", "realisation")


def make_budget_process(kind: str, *, territory: Territory, **extra: Any) -> Process:
    """A published process whose ``kind`` phase of the budgets module runs now."""
    now = timezone.now()
    extra.setdefault("is_published", True)
    process = ProcessFactory.create(territory=territory, **extra)
    index = BUDGET_KINDS.index(kind)
    for offset, name in enumerate(BUDGET_KINDS):
        start = now + datetime.timedelta(days=30 * (offset - index) - 1)
        process.phases.create(
            module="budgets",
            kind=name,
            title=name.capitalize(),
            starts_at=start,
            ends_at=start + datetime.timedelta(days=30),
        )
    return process


def make_budget(process: Process, criteria: dict[str, Decimal] | None = None, **fields: Any) -> Budget:
    values: dict[str, Any] = {
        "total_amount": 100_000,
        "city_wide_share": Decimal(10),
        "minimum_per_quartier": 10_000,
        "max_choices": 3,
    }
    values.update(fields)
    budget = Budget.objects.create(process=process, **values)
    for source, weight in (criteria or DEFAULT_CRITERIA).items():
        EnvelopeCriterion.objects.create(budget=budget, source=source, weight=weight)
    compute_envelopes(budget)
    return budget


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Projet {n}")
    description = "Un projet pour le quartier, avec les habitants."
    estimated_cost = 5_000
    envelope = factory.LazyAttribute(lambda o: o.budget.envelopes.exclude(territory=None).order_by("pk").first())
