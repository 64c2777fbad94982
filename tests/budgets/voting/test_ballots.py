"""Validation of each ballot type: French messages, limits, normalisation."""

from __future__ import annotations

import pytest

from apps.budgets.models import Budget, Envelope
from apps.budgets.voting import ballots

pytestmark = pytest.mark.django_db


def _check(budget: Budget, envelope: Envelope, choices: dict[int, int]) -> list[str]:
    return ballots.validate(budget, envelope, list(ballots.ballot_projects(envelope)), choices)


def _pks(envelope: Envelope) -> list[int]:
    return [p.pk for p in ballots.ballot_projects(envelope)]


def test_approval_limits_the_number_of_projects(budget: Budget, city_envelope: Envelope) -> None:
    pks = _pks(city_envelope)
    assert _check(budget, city_envelope, dict.fromkeys(pks[:3], 1)) == []
    errors = _check(budget, city_envelope, dict.fromkeys(pks, 1))
    assert errors == ["Vous pouvez choisir 3 projets au plus ; vous en avez choisi 4."]
    assert _check(budget, city_envelope, {}) == ["Choisissez au moins un projet."]


def test_a_project_of_another_envelope_is_refused(
    budget: Budget, city_envelope: Envelope, quartier_envelope: Envelope
) -> None:
    other = _pks(quartier_envelope)[0]
    assert _check(budget, city_envelope, {other: 1}) == ["Un des projets choisis n'est pas sur ce bulletin."]


def test_knapsack_total_within_the_envelope_and_minimum_share(budget: Budget, city_envelope: Envelope) -> None:
    budget.ballot_type = "knapsack"
    budget.max_choices = None
    budget.min_spend_share = 50
    pks = _pks(city_envelope)  # costs 40k, 30k, 20k, 10k; envelope 100k
    assert _check(budget, city_envelope, dict.fromkeys(pks, 1)) == []  # exactly 100k
    city_envelope.amount = 90_000
    errors = _check(budget, city_envelope, dict.fromkeys(pks, 1))
    assert errors == ["Le total de vos projets (100\xa0000 €) dépasse l'enveloppe de 90\xa0000 € : retirez un projet."]
    errors = _check(budget, city_envelope, {pks[3]: 1})
    assert errors == ["Votre panier doit atteindre au moins 45\xa0000 € (vous êtes à 10\xa0000 €) : ajoutez un projet."]


def test_knapsack_minimum_never_exceeds_what_all_projects_cost(budget: Budget, city_envelope: Envelope) -> None:
    budget.ballot_type = "knapsack"
    budget.min_spend_share = 100
    city_envelope.amount = 500_000
    projects = list(ballots.ballot_projects(city_envelope))
    assert ballots.minimum_spend(budget, city_envelope, projects) == 100_000


def test_cumulative_points(budget: Budget, city_envelope: Envelope) -> None:
    budget.ballot_type = "cumulative"
    budget.points_per_voter = 10
    budget.max_points_per_project = 6
    a, b, c, _d = _pks(city_envelope)
    assert _check(budget, city_envelope, {a: 6, b: 4}) == []
    assert _check(budget, city_envelope, {a: 6, b: 4, c: 1}) == [
        "Vous avez donné 11 points ; vous en avez 10 à répartir."
    ]
    assert _check(budget, city_envelope, {a: 7}) == ["Un projet peut recevoir 6 points au plus."]
    assert ballots.normalise(budget, {a: 6, b: 0}) == {a: 6}


def test_ranked_ballots_start_at_one_without_gaps(budget: Budget, city_envelope: Envelope) -> None:
    budget.ballot_type = "ranked"
    budget.max_choices = 3
    a, b, c, d = _pks(city_envelope)
    assert _check(budget, city_envelope, {a: 1, b: 2}) == []
    assert _check(budget, city_envelope, {a: 1, b: 1}) == [
        "Deux projets ont le même rang : chaque rang ne sert qu'une fois."
    ]
    assert _check(budget, city_envelope, {a: 1, b: 3}) == [
        "Classez vos projets à partir de 1, sans sauter de rang (1, 2, 3…)."
    ]
    assert "Vous pouvez choisir 3 projets au plus ; vous en avez choisi 4." in _check(
        budget, city_envelope, {a: 1, b: 2, c: 3, d: 4}
    )


def test_totals(budget: Budget, city_envelope: Envelope) -> None:
    projects = list(ballots.ballot_projects(city_envelope))
    totals = ballots.totals(budget, city_envelope, projects, {projects[0].pk: 1, projects[3].pk: 1})
    assert (totals.cost, totals.left, totals.count) == (50_000, 50_000, 2)
