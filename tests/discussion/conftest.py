"""Fixtures of the discussion tests: a proposal in its collect phase and a budget project in
its submission phase, both in ``quartier`` (where the moderator persona moderates)."""

from __future__ import annotations

import pytest

from apps.budgets.models import Project
from apps.proposals.models import Proposal
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process
from tests.factories import ProposalFactory


@pytest.fixture
def proposal(process_in_phase, personas) -> Proposal:  # type: ignore[no-untyped-def]
    return ProposalFactory(process=process_in_phase("collect"), author=personas["resident"])


@pytest.fixture
def project(quartier, personas) -> Project:  # type: ignore[no-untyped-def]
    budget = make_budget(make_budget_process("submission", territory=quartier))
    return ProjectFactory(budget=budget, author=personas["resident"], envelope=budget.envelopes.get(territory=quartier))
