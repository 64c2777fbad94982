"""Fixtures of the budgets' projects tests: a budget in its submission phase in ``quartier``'s city."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.budgets.models import Budget, Project
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process


@pytest.fixture
def budget_in(quartier, other_quartier) -> Callable[..., Budget]:  # type: ignore[no-untyped-def]
    def make(kind: str = "submission", **fields) -> Budget:  # type: ignore[no-untyped-def]
        process = make_budget_process(kind, territory=fields.pop("territory", quartier))
        return make_budget(process, **fields)

    return make


@pytest.fixture
def budget(budget_in) -> Budget:  # type: ignore[no-untyped-def]
    return budget_in("submission")


@pytest.fixture
def project(budget, personas, quartier) -> Project:  # type: ignore[no-untyped-def]
    return ProjectFactory(budget=budget, author=personas["resident"], envelope=budget.envelopes.get(territory=quartier))
