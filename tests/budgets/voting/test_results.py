"""Results: a small example counted by hand, Equal Shares explanations, publication, exports,
and the recount command."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.budgets import counting
from apps.budgets.models import BallotChoice, Budget, Envelope, Project, ProjectStatus, Result
from apps.budgets.voting import ballots, paper, results, services
from apps.core.formatting import number
from apps.core.models import AuditLogEntry, Territory
from tests.budgets.voting.factories import make_vote_budget, move_to
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _vote(envelope: Envelope, make_voter: Callable[..., User], groups: list[tuple[int, list[int]]]) -> None:
    for count, pks in groups:
        for _ in range(count):
            services.ballot_cast(user=make_voter(), envelope=envelope, choices=dict.fromkeys(pks, 1))


@pytest.fixture
def agent_of(quartier: Territory) -> Callable[[Budget], User]:
    def make(budget: Budget) -> User:
        user = UserFactory.create(display_name="Agente du vote")
        RoleFactory.create(user=user, role="agent", process=budget.process)
        return user

    return make


def test_greedy_hand_checked_example(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], agent_of: Callable[[Budget], User]
) -> None:
    # Envelope 80 000 €; A 40k, B 30k, C 20k, D 10k.
    budget = make_vote_budget(city=city, quartier=quartier, city_amount=80_000, slug="bp-main")
    envelope = budget.envelopes.get(territory=None)
    a, b, c, d = (p.pk for p in ballots.ballot_projects(envelope))
    # Votes: A 6, B 8, C 5, D 3.
    _vote(envelope, make_voter, [(5, [a, b]), (3, [b, c]), (2, [c, d]), (1, [a, d])])
    move_to(budget.process, "results")
    budget.process.refresh_from_db()
    agent = agent_of(budget)
    results.results_publish(agent=agent, budget=budget)

    result = Result.objects.get(envelope=envelope)
    # By hand: B (8) fits in 80k → 50k left; A (6) fits → 10k left; C (5, 20k) does not fit;
    # D (3, 10k) fits → 0 left.
    assert result.selected == [b, a, d]
    assert result.spent == 80_000
    assert result.ballot_count == 11
    assert {pid: e["votes"] for pid, e in result.explanations.items()} == {
        str(a): 6,
        str(b): 8,
        str(c): 5,
        str(d): 3,
    }
    blocks = {block.envelope.pk: block for block in results.envelope_results(budget)}
    lines = {line.project.pk: line for line in blocks[envelope.pk].lines}
    assert lines[b].sentence == "Retenu : 8 voix, 30\xa0000 € ; il restait 80\xa0000 € dans l'enveloppe."
    assert lines[a].sentence == "Retenu : 6 voix, 40\xa0000 € ; il restait 50\xa0000 € dans l'enveloppe."
    assert lines[c].sentence == (
        "Non retenu : 5 voix, 20\xa0000 € ; ne rentrait plus dans l'enveloppe (il restait 10\xa0000 €)."
    )
    assert [line.project.pk for line in blocks[envelope.pk].winners] == [b, a, d]
    assert Project.objects.get(pk=c).status == ProjectStatus.NOT_SELECTED
    assert Project.objects.get(pk=b).status == ProjectStatus.SELECTED
    # The quartier envelope had no ballot: nothing selected, no project marked as a winner.
    quartier_result = Result.objects.get(envelope__territory=quartier)
    assert quartier_result.selected == [] and quartier_result.ballot_count == 0
    # Turnout per quartier: 11 voters of Malakoff over its population.
    assert result.turnout[quartier.slug]["voters"] == 11
    assert quartier.population
    assert result.turnout[quartier.slug]["rate"] == round(100 * 11 / quartier.population, 2)
    entry = AuditLogEntry.objects.get(action="budget.results_published")
    assert entry.actor == agent

    # Downloads: the Pabulib file reads back to the same outcome, with anonymous voter ids.
    text = results.pabulib_text(envelope)
    election = counting.read_pabulib(text)
    assert election.num_voters == 11
    assert election.ballots.voter_ids is None or list(election.ballots.voter_ids) == [str(i) for i in range(1, 12)]
    assert [int(pid) for pid in counting.count(election, "greedy").selected] == [b, a, d]
    data = json.loads(results.results_json(budget))
    assert data["envelopes"][0]["selected"] == [b, a, d] or data["envelopes"][1]["selected"] == [b, a, d]
    assert "Non retenu" in results.results_csv(budget)

    # The charts carry the same figures: the whole envelope spent, winners in green by votes.
    block = blocks[envelope.pk]
    spent = block.envelope_chart.bars[0]
    assert [(p.width, p.tone) for p in spent.pieces] == [(100.0, "primary")]
    assert spent.value_text == f"{number(80_000)} € sur {number(80_000)} €"
    projects = block.projects_chart
    assert [bar.value_text for bar in projects.bars] == ["8 voix", "6 voix", "5 voix", "3 voix"]
    assert [bar.pieces[0].tone for bar in projects.bars] == ["ok", "ok", "muted", "ok"]
    assert projects.bars[0].pieces[0].width == 100.0 and projects.bars[3].pieces[0].width == 37.5
    turnout = block.turnout_chart
    assert [bar.label for bar in turnout.bars] == [quartier.name]


def test_equal_shares_explains_the_supporters_budget(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], agent_of: Callable[[Budget], User]
) -> None:
    budget = make_vote_budget(
        city=city,
        quartier=quartier,
        city_amount=100_000,
        costs=(60_000, 40_000, 50_000),
        counting_rule="equal-shares",
        completion="add1-utilitarian",
        slug="bp-mes",
    )
    envelope = budget.envelopes.get(territory=None)
    a, b, c = (p.pk for p in ballots.ballot_projects(envelope))
    # 10 voters, 10 000 € each: six fund A alone, four fund B; C's four supporters are spent.
    _vote(envelope, make_voter, [(6, [a]), (4, [b, c])])
    move_to(budget.process, "results")
    budget.process.refresh_from_db()
    results.results_publish(agent=agent_of(budget), budget=budget)
    result = Result.objects.get(envelope=envelope)
    assert sorted(result.selected) == sorted([a, b])
    explanation = result.explanations[str(c)]
    assert explanation["reason"] == "supporters_budget_exhausted"
    sentence = results.explain(budget, explanation)
    # They could pay 40 000 € together when C was considered, for a cost of 50 000 €.
    assert sentence.startswith(
        "Non retenu : les 4 soutiens n'avaient plus assez de budget : "
        "il leur restait 40\xa0000 € pour un coût de 50\xa0000 €."
    )
    winner = results.explain(budget, result.explanations[str(a)])
    assert winner.startswith("Retenu : 6 voix, 60\xa0000 € ; ses 6 soutiens pouvaient le payer à parts égales")


def test_cumulative_and_ranked_ballots_are_counted(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], agent_of: Callable[[Budget], User]
) -> None:
    budget = make_vote_budget(
        city=city, quartier=quartier, ballot_type="cumulative", points_per_voter=10, max_choices=None, slug="bp-cumul"
    )
    envelope = budget.envelopes.get(territory=None)
    a, b, c, _d = (p.pk for p in ballots.ballot_projects(envelope))
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={a: 7, b: 3})
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={c: 10})
    election, _projects = results.build_election(envelope)
    assert election.vote_type == "cumulative"
    cumulative = [ballot for ballot in election.ballots if isinstance(ballot, counting.Points)]
    assert len(cumulative) == len(election.ballots)
    assert sorted((dict(ballot) for ballot in cumulative), key=len) == [{str(c): 10}, {str(a): 7, str(b): 3}]
    counted = results.count_envelope(envelope)
    assert counted["explanations"][str(c)]["votes"] == 10 and counted["explanations"][str(a)]["votes"] == 7

    ranked = make_vote_budget(city=city, quartier=quartier, ballot_type="ranked", max_choices=3, slug="bp-rang")
    envelope = ranked.envelopes.get(territory=None)
    a, b, c, _d = (p.pk for p in ballots.ballot_projects(envelope))
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={c: 1, a: 2, b: 3})
    assert sorted(BallotChoice.objects.filter(ballot__envelope=envelope).values_list("project_id", "rank")) == sorted(
        [(c, 1), (a, 2), (b, 3)]
    )
    election, _projects = results.build_election(envelope)
    assert election.vote_type == "ordinal"
    assert list(election.ballots) == [(str(c), str(a), str(b))]


def test_publication_waits_for_the_close_and_for_the_paper_sheets(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User], agent_of: Callable[[Budget], User]
) -> None:
    agent = agent_of(budget)
    services.ballot_cast(
        user=make_voter(),
        envelope=city_envelope,
        choices=dict.fromkeys([p.pk for p in ballots.ballot_projects(city_envelope)][:1], 1),
    )
    with pytest.raises(PermissionDenied):
        results.results_publish(agent=agent, budget=budget)  # still open
    first = paper.paper_first_entry(
        agent=agent,
        envelope=city_envelope,
        number="P-1",
        choices={ballots.ballot_projects(city_envelope)[0].pk: 1},
        voter_name="Jeanne Martin",
        voter_birth_date=__import__("datetime").date(1950, 3, 3),
    )
    move_to(budget.process, "results")
    budget.process.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        results.results_publish(agent=agent, budget=budget)
    assert error.value.messages == ["1 bulletin papier attend encore sa seconde saisie ou un arbitrage."]
    paper.paper_void(agent=agent, envelope=city_envelope, number=first.number, reason="Illisible")
    results.results_publish(agent=agent, budget=budget)
    assert Budget.objects.get(pk=budget.pk).results_published_at is not None
    with pytest.raises(PermissionDenied):
        results.results_publish(agent=agent, budget=budget)  # once only


def test_recount_command_agrees_then_detects_a_difference(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], agent_of: Callable[[Budget], User]
) -> None:
    budget = make_vote_budget(city=city, quartier=quartier, city_amount=80_000, slug="bp-recount")
    envelope = budget.envelopes.get(territory=None)
    a, b, c, _d = (p.pk for p in ballots.ballot_projects(envelope))
    _vote(envelope, make_voter, [(3, [a, b]), (2, [c])])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("budget_recount", "bp-recount", stdout=out)  # nothing published yet
    move_to(budget.process, "results")
    budget.process.refresh_from_db()
    results.results_publish(agent=agent_of(budget), budget=budget)

    out = StringIO()
    call_command("budget_recount", "bp-recount", stdout=out)
    text = out.getvalue()
    assert "publié   : 5 bulletins" in text and "recompte : 5 bulletins" in text
    assert "Le recompte est identique aux résultats publiés." in text

    # Someone tampers with the published figures: the recount says so and fails.
    Result.objects.filter(envelope=envelope).update(selected=[c], spent=20_000)
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("budget_recount", "bp-recount", stdout=out)
    assert error.value.returncode == 1
    assert "DIFFÉRENT" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("budget_recount", "absent", stdout=StringIO())
