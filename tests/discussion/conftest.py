"""Fixtures of the discussion tests: a proposal in its collect phase and a budget project in
its submission phase, both in ``quartier`` (where the moderator persona moderates)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.budgets.models import Project
from apps.core.models import Process, Territory
from apps.proposals.models import Proposal
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process
from tests.conftest import Personas
from tests.factories import ProposalFactory


@pytest.fixture
def proposal(process_in_phase: Callable[..., Process], personas: Personas) -> Proposal:
    return ProposalFactory.create(process=process_in_phase("collect"), author=personas["resident"])


@pytest.fixture
def project(quartier: Territory, personas: Personas) -> Project:
    budget = make_budget(make_budget_process("submission", territory=quartier))
    return ProjectFactory.create(
        budget=budget, author=personas["resident"], envelope=budget.envelopes.get(territory=quartier)
    )
