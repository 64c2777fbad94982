"""The vote of the budgets module in the security fixture world and the permission matrix.

Included by :mod:`tests.security.modules.budgets` (``VOTING_ROUTES``, ``extend_world_voting``,
``voting_fingerprint``). Three budgets, all held on ``quartier``:

- ``open``: the vote runs; ``other_resident`` has voted in the city-wide envelope; a paper
  sheet waits for its second entry and another is disputed (both first typed by a second
  agent, so that the ``agent`` persona may continue them);
- ``closed``: the vote ended and was closed (locators erased), results not yet published;
- ``published``: the vote ended and its results are published.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from apps.budgets.models import Ballot, BallotChoice, Budget, PaperSheet, Project, Result, VoterRecord
from apps.budgets.voting import ballots, paper, results, services
from apps.core.models import Process
from tests.budgets.voting.factories import make_vote_budget, move_to
from tests.factories import RoleFactory, UserFactory
from tests.security.matrix_base import AGENT_ONLY, PUBLIC, Route, per
from tests.security.world import World

BORN = datetime.date(1955, 6, 1)


def _on_quartier(budget: Budget, world: World) -> None:
    Process.objects.filter(pk=budget.process_id).update(territory=world.quartier)
    budget.process.refresh_from_db()


def extend_world_voting(world: World) -> None:
    """Add the vote's objects to ``world.extra["budgets_voting"]``."""
    other_resident = world.people["other_resident"]
    assert other_resident is not None
    open_budget = make_vote_budget(city=world.city, quartier=world.quartier, slug="bp-vote-ouvert")
    _on_quartier(open_budget, world)
    city_envelope = open_budget.envelopes.get(territory__isnull=True)
    quartier_envelope = open_budget.envelopes.get(territory=world.quartier)
    first_project = ballots.ballot_projects(city_envelope)[0]
    type(other_resident).objects.filter(pk=other_resident.pk).update(birth_date=datetime.date(1970, 1, 1))
    other_resident.birth_date = datetime.date(1970, 1, 1)
    services.ballot_cast(user=other_resident, envelope=city_envelope, choices={first_project.pk: 1})

    second_agent = UserFactory.create(display_name="Agent de saisie")
    RoleFactory.create(user=second_agent, role="agent", process=open_budget.process)
    waiting = paper.paper_first_entry(
        agent=second_agent,
        envelope=city_envelope,
        number="S-1",
        choices={first_project.pk: 1},
        voter_name="Lucie Bernard",
        voter_birth_date=BORN,
    )
    disputed = paper.paper_first_entry(
        agent=second_agent,
        envelope=city_envelope,
        number="S-2",
        choices={first_project.pk: 1},
        voter_name="Marc Petit",
        voter_birth_date=BORN,
    )
    PaperSheet.objects.filter(pk=disputed.pk).update(
        state=PaperSheet.State.DISPUTED, second_by=world.people["elu"], second_entry={"choices": {}, "identity": "x"}
    )

    closed_budget = make_vote_budget(city=world.city, quartier=world.quartier, slug="bp-vote-clos")
    _on_quartier(closed_budget, world)
    closed_envelope = closed_budget.envelopes.get(territory__isnull=True)
    services.ballot_cast(
        user=other_resident, envelope=closed_envelope, choices={ballots.ballot_projects(closed_envelope)[0].pk: 1}
    )
    move_to(closed_budget.process, "results")
    closed_budget.process.refresh_from_db()
    services.vote_close(budget=closed_budget)

    published_budget = make_vote_budget(city=world.city, quartier=world.quartier, slug="bp-resultats")
    _on_quartier(published_budget, world)
    published_envelope = published_budget.envelopes.get(territory__isnull=True)
    services.ballot_cast(
        user=other_resident,
        envelope=published_envelope,
        choices={ballots.ballot_projects(published_envelope)[0].pk: 1},
    )
    move_to(published_budget.process, "results")
    published_budget.process.refresh_from_db()
    agent = world.people["agent"]
    assert agent is not None
    results.results_publish(agent=agent, budget=published_budget)

    world.extra["budgets_voting"] = SimpleNamespace(
        budget=open_budget,
        city_envelope=city_envelope,
        quartier_envelope=quartier_envelope,
        project=first_project,
        waiting_sheet=waiting,
        disputed_sheet=disputed,
        second_agent=second_agent,
        closed_budget=closed_budget,
        published_budget=published_budget,
        published_envelope=published_envelope,
    )


def _v(world: World) -> Any:
    return world.extra["budgets_voting"]


def _slug(attr: str = "budget") -> Any:
    return lambda world: {"slug": getattr(_v(world), attr).process.slug}


def _envelope(attr: str = "city_envelope", budget: str = "budget") -> Any:
    return lambda world: {
        "slug": getattr(_v(world), budget).process.slug,
        "envelope_pk": getattr(_v(world), attr).pk,
    }


def _process_pk(attr: str = "budget") -> Any:
    return lambda world: {"process_pk": getattr(_v(world), attr).process_id}


def _ballot_data(world: World) -> dict[str, Any]:
    return {"action": "confirm", "projets": [_v(world).project.pk], "birth_date": "1990-01-01"}


def _quartier_ballot_data(world: World) -> dict[str, Any]:
    project = ballots.ballot_projects(_v(world).quartier_envelope)[0]
    return {"action": "confirm", "projets": [project.pk], "birth_date": "1990-01-01"}


def _paper_data(world: World) -> dict[str, Any]:
    return {
        "number": "S-9",
        "voter_name": "Lucie Bernard",
        "voter_birth_date": BORN.isoformat(),
        "projets": [_v(world).project.pk],
    }


# People who live in ``quartier`` vote; staff personas have no home quartier (403 with a reason).
VOTERS = per("denied", anonymous="login", resident="ok", other_resident="ok")
VOTERS_POST = per("denied", anonymous="login", resident="redirect", other_resident="redirect")
# ``other_resident`` has voted in the city-wide envelope: its ballot page shows the recorded
# ballot (the receipt page), and a confirmation that does not name the current receipt (a
# stale form) changes nothing (409, issue 8 item 13).
VOTED = per("denied", anonymous="login", resident="ok", other_resident="redirect")
VOTED_POST = per("denied", anonymous="login", resident="redirect", other_resident="conflict")
NOTHING_YET = per("gone")

VOTING_ROUTES: list[Route] = [
    # ---- public: the vote ---------------------------------------------------------------------
    Route("budgets:vote", PUBLIC, _slug()),
    Route("budgets:vote", PUBLIC, _slug("published_budget"), case="published"),
    Route("budgets:ballot", VOTED, _envelope(), post=VOTED_POST, data=_ballot_data),
    Route(
        "budgets:ballot",
        VOTERS,
        _envelope("quartier_envelope"),
        post=VOTERS_POST,
        data=_quartier_ballot_data,
        case="quartier",
    ),
    Route(
        "budgets:ballot",
        per("denied", anonymous="login"),
        _envelope("published_envelope", "published_budget"),
        post=per("denied", anonymous="login"),
        data=_ballot_data,
        case="closed",
    ),
    # Only a person who voted has a receipt page (the others: 404).
    Route("budgets:receipt", per("denied", anonymous="login", other_resident="ok"), _envelope()),
    Route("budgets:receipt_check", PUBLIC, _slug(), query="?code=ABCD-EFGH-IJKL-MNOP"),
    # ---- public: results, hidden from everyone until the close and the publication -------------
    Route("budgets:results", NOTHING_YET, _slug()),
    Route("budgets:results", PUBLIC, _slug("closed_budget"), case="closed-unpublished"),
    Route("budgets:results", PUBLIC, _slug("published_budget"), case="published"),
    Route("budgets:results_export", NOTHING_YET, lambda w: {"slug": _v(w).budget.process.slug, "fmt": "json"}),
    Route(
        "budgets:results_export",
        NOTHING_YET,
        lambda w: {"slug": _v(w).closed_budget.process.slug, "fmt": "csv"},
        case="closed-unpublished",
    ),
    Route(
        "budgets:results_export",
        PUBLIC,
        lambda w: {"slug": _v(w).published_budget.process.slug, "fmt": "csv"},
        case="published",
    ),
    Route(
        "budgets:results_export",
        NOTHING_YET,
        lambda w: {"slug": _v(w).published_budget.process.slug, "fmt": "xml"},
        case="unknown-format",
    ),
    Route("budgets:results_pabulib", NOTHING_YET, _envelope()),
    Route(
        "budgets:results_pabulib",
        PUBLIC,
        _envelope("published_envelope", "published_budget"),
        case="published",
    ),
    # ---- back office ----------------------------------------------------------------------------
    Route("budgets_admin:vote", AGENT_ONLY, _process_pk()),
    Route("budgets_admin:vote", AGENT_ONLY, _process_pk("closed_budget"), case="closed"),
    Route("budgets_admin:vote", AGENT_ONLY, _process_pk("published_budget"), case="published"),
    Route("budgets_admin:results_publish", None, _process_pk(), post=per("denied", anonymous="login")),
    Route(
        "budgets_admin:results_publish",
        None,
        _process_pk("closed_budget"),
        post=per("denied", anonymous="login", agent="redirect"),
        case="closed",
    ),
    Route(
        "budgets_admin:paper_new",
        AGENT_ONLY,
        lambda w: {"envelope_pk": _v(w).city_envelope.pk},
        post=per("denied", anonymous="login", agent="redirect"),
        data=_paper_data,
    ),
    Route(
        "budgets_admin:paper_new",
        per("denied", anonymous="login"),
        lambda w: {"envelope_pk": _v(w).published_envelope.pk},
        post=per("denied", anonymous="login"),
        data=_paper_data,
        case="published",
    ),
    Route(
        "budgets_admin:paper_second",
        AGENT_ONLY,
        lambda w: {"pk": _v(w).waiting_sheet.pk},
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {k: v for k, v in _paper_data(w).items() if k != "number"},
    ),
    Route(
        "budgets_admin:paper_resolve",
        AGENT_ONLY,
        lambda w: {"pk": _v(w).disputed_sheet.pk},
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {
            "voter_name": "Marc Petit",
            "voter_birth_date": BORN.isoformat(),
            "projets": [_v(w).project.pk],
        },
    ),
    Route(
        "budgets_admin:paper_void",
        AGENT_ONLY,
        _process_pk(),
        query="?numero=S-1",
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {"envelope": _v(w).city_envelope.pk, "number": "S-1", "reason": "Illisible"},
    ),
]


def voting_fingerprint() -> dict[str, Any]:
    return {
        "voter_records": sorted(VoterRecord.objects.values_list("envelope_id", "user_id", "paper_identity", "channel")),
        "ballots": sorted(Ballot.objects.values_list("pk", "receipt", "locator")),
        "ballot_choices": sorted(BallotChoice.objects.values_list("ballot_id", "project_id", "points", "rank")),
        "paper_sheets": sorted(PaperSheet.objects.values_list("pk", "state", "second_by_id", "void_reason")),
        "results": sorted(Result.objects.values_list("envelope_id", "selected", "ballot_count")),
        "budgets": sorted(
            Budget.objects.values_list("pk", "rules_frozen_at", "results_published_at", "locators_erased_at")
        ),
        "project_statuses": sorted(Project.objects.values_list("pk", "status")),
    }
