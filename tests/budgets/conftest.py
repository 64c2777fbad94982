"""Fixtures of the budgets' projects tests: a budget in its submission phase in ``quartier``'s city."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apps.budgets.models import Budget, Project
from apps.core.models import Territory
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process
from tests.conftest import Personas


@pytest.fixture
def budget_in(quartier: Territory, other_quartier: Territory) -> Callable[..., Budget]:
    def make(kind: str = "submission", **fields: Any) -> Budget:
        process = make_budget_process(kind, territory=fields.pop("territory", quartier))
        return make_budget(process, **fields)

    return make


@pytest.fixture
def budget(budget_in: Callable[..., Budget]) -> Budget:
    return budget_in("submission")


@pytest.fixture
def project(budget: Budget, personas: Personas, quartier: Territory) -> Project:
    return ProjectFactory.create(
        budget=budget, author=personas["resident"], envelope=budget.envelopes.get(territory=quartier)
    )
