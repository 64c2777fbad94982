"""Fixtures of the vote tests: a budget in its vote phase, eligible voters."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from apps.accounts.models import User
from apps.budgets.models import Budget, Envelope
from apps.core.models import Territory
from tests.budgets.voting.factories import make_vote_budget
from tests.factories import UserFactory


@pytest.fixture
def budget(city: Territory, quartier: Territory) -> Budget:
    return make_vote_budget(city=city, quartier=quartier, slug="budget-vote")


@pytest.fixture
def city_envelope(budget: Budget) -> Envelope:
    return budget.envelopes.get(territory__isnull=True)


@pytest.fixture
def quartier_envelope(budget: Budget) -> Envelope:
    return budget.envelopes.get(territory__isnull=False)


@pytest.fixture
def voter(quartier: Territory) -> User:
    return UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 5, 1))


@pytest.fixture
def make_voter(quartier: Territory) -> Callable[..., User]:
    def make(**extra: Any) -> User:
        extra.setdefault("home_territory", quartier)
        extra.setdefault("birth_date", datetime.date(1985, 1, 1))
        return UserFactory.create(**extra)

    return make
