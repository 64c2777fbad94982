"""Factories of the vote: a budget process with dated phases, envelopes and projects."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from apps.budgets.models import Budget, Envelope, Project, ProjectStatus
from apps.core.models import Process, Territory
from tests.factories import ProcessFactory

BUDGET_KINDS = ("submission", "analysis", "vote", "results", "realisation")


class BudgetFactory(factory.django.DjangoModelFactory[Budget]):
    class Meta:
        model = Budget

    process = factory.SubFactory(ProcessFactory)
    total_amount = 1_000_000
    ballot_type = "approval"
    max_choices = 3
    counting_rule = "greedy"
    min_age = 16
    residents_only = True


class EnvelopeFactory(factory.django.DjangoModelFactory[Envelope]):
    class Meta:
        model = Envelope

    budget = factory.SubFactory(BudgetFactory)
    territory = None
    amount = 100_000


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    budget = factory.LazyAttribute(lambda o: o.envelope.budget)
    envelope = factory.SubFactory(EnvelopeFactory)
    title = factory.Sequence(lambda n: f"Projet {n} : un jardin partagé")
    description = "Un jardin partagé au pied des immeubles."
    estimated_cost = 20_000
    status = ProjectStatus.FEASIBLE
    ballot_number = factory.Sequence(lambda n: n + 1)


def make_budget_process(
    *, territory: Territory, kind: str = "vote", slug: str | None = None, title: str | None = None
) -> Process:
    """A published process whose budgets ``kind`` phase runs now, the others around it."""
    now = timezone.now()
    extra: dict[str, Any] = {}
    if slug:
        extra["slug"] = slug
    if title:
        extra["title"] = title
    process = ProcessFactory.create(territory=territory, is_published=True, **extra)
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


def make_vote_budget(
    *,
    city: Territory,
    quartier: Territory,
    kind: str = "vote",
    slug: str | None = None,
    city_amount: int = 100_000,
    quartier_amount: int = 50_000,
    costs: tuple[int, ...] = (40_000, 30_000, 20_000, 10_000),
    quartier_costs: tuple[int, ...] = (30_000, 25_000),
    **rules: Any,
) -> Budget:
    """A budget with a city-wide envelope and one for ``quartier``, with feasible projects."""
    process = make_budget_process(territory=city, kind=kind, slug=slug)
    budget = BudgetFactory.create(process=process, **rules)
    city_envelope = EnvelopeFactory.create(budget=budget, territory=None, amount=city_amount)
    quartier_envelope = EnvelopeFactory.create(budget=budget, territory=quartier, amount=quartier_amount)
    for number, cost in enumerate(costs, start=1):
        ProjectFactory.create(
            envelope=city_envelope,
            budget=budget,
            estimated_cost=cost,
            ballot_number=number,
            title=f"Projet ville {number}",
        )
    for number, cost in enumerate(quartier_costs, start=len(costs) + 1):
        ProjectFactory.create(
            envelope=quartier_envelope,
            budget=budget,
            estimated_cost=cost,
            ballot_number=number,
            title=f"Projet quartier {number}",
        )
    return budget


def move_to(process: Process, kind: str) -> None:
    """Shift the phases so that ``kind`` runs now (the others keep their order)."""
    phases = sorted(process.phases.all(), key=lambda p: p.starts_at)
    kinds = [p.kind for p in phases]
    index = kinds.index(kind)
    now = timezone.now()
    for offset, phase in enumerate(phases):
        start = now + datetime.timedelta(days=30 * (offset - index) - 1)
        type(phase).objects.filter(pk=phase.pk).update(starts_at=start, ends_at=start + datetime.timedelta(days=30))
