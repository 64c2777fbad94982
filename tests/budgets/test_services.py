"""Services of the budgets' projects part: configuration and freeze, envelopes, projects,
co-authors, comments, analysis (single and bulk), merge, ballot numbers, realisation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.budgets.models import Budget, Envelope, Project, ProjectInvitation, ProjectStatus, Result
from apps.budgets.projects import analysis, config, services
from apps.budgets.projects.eligibility import RULE_CODES
from apps.core.models import AuditLogEntry, Territory
from apps.discussion import services as discussion
from apps.followup.models import Commitment
from tests.budgets.factories import ProjectFactory, make_budget_process
from tests.conftest import Personas
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

CRITERIA = {"population": Decimal(60), "priority_population": Decimal(20), "equal": Decimal(20)}
VALUES = {
    "total_amount": 200_000,
    "city_wide_share": Decimal(10),
    "minimum_per_quartier": 20_000,
    "ballot_type": "approval",
    "max_choices": 5,
    "counting_rule": "equal-shares",
    "completion": "add1-utilitarian",
}


# --- configuration -------------------------------------------------------------------


def test_budget_create_computes_envelopes_and_audits(
    personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    process = make_budget_process("submission", territory=quartier)
    budget = config.budget_create(actor=personas["agent"], process=process, criteria=CRITERIA, **VALUES)
    amounts = {e.territory_id: e.amount for e in budget.envelopes.all()}
    assert set(amounts) == {None, quartier.pk, other_quartier.pk}
    assert sum(amounts.values()) == 200_000
    assert amounts[None] == 20_000
    assert all(e.computation["formula"]["total"] == 200_000 for e in budget.envelopes.all())
    assert AuditLogEntry.objects.filter(action="budget.create", target_id=str(budget.pk)).exists()


@pytest.mark.parametrize("persona", ["elu", "moderator", "resident", "admin_elsewhere"])
def test_only_agents_of_the_process_configure(personas: Personas, quartier: Territory, persona: str) -> None:
    process = make_budget_process("submission", territory=quartier)
    with pytest.raises(PermissionDenied):
        config.budget_create(actor=personas.user(persona), process=process, criteria=CRITERIA, **VALUES)


def test_weights_must_sum_to_100_in_french(personas: Personas, quartier: Territory) -> None:
    process = make_budget_process("submission", territory=quartier)
    with pytest.raises(ValidationError) as error:
        config.budget_create(
            actor=personas["agent"], process=process, criteria={**CRITERIA, "equal": Decimal(30)}, **VALUES
        )
    assert "100 %" in str(error.value)
    assert not Budget.objects.exists()


def test_ballot_parameters_are_checked(personas: Personas, quartier: Territory) -> None:
    process = make_budget_process("submission", territory=quartier)
    with pytest.raises(ValidationError) as error:
        config.budget_create(
            actor=personas["agent"],
            process=process,
            criteria=CRITERIA,
            **{**VALUES, "max_choices": None, "counting_rule": "greedy"},
        )
    assert set(error.value.message_dict) == {"max_choices", "completion"}


def test_update_recomputes_envelopes(budget: Budget, personas: Personas) -> None:
    config.budget_update(actor=personas["agent"], budget=budget, criteria=CRITERIA, total_amount=300_000)
    assert sum(budget.envelopes.values_list("amount", flat=True)) == 300_000
    entry = AuditLogEntry.objects.get(action="budget.update")
    assert entry.details["changed"]["total_amount"] == {"before": "100000", "after": "300000"}


def test_frozen_rules_are_refused_by_the_service(budget: Budget, personas: Personas) -> None:
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=timezone.now())
    budget.refresh_from_db()
    criteria = {c.source: c.weight for c in budget.criteria.all()}
    for change in (
        {"ballot_type": "knapsack"},
        {"counting_rule": "equal-shares"},
        {"min_age": 18},
        {"total_amount": 1},
    ):
        with pytest.raises(ValidationError, match="Le vote a commencé"):
            config.budget_update(actor=personas["agent"], budget=budget, criteria=criteria, **change)
    with pytest.raises(ValidationError):
        config.budget_update(
            actor=personas["agent"],
            budget=budget,
            criteria={**criteria, "equal": Decimal(0), "population": Decimal(80)},
        )
    with pytest.raises(ValidationError):
        config.envelopes_recompute(actor=personas["agent"], budget=budget)
    # The easy-to-read text may still change; unchanged frozen values pass.
    config.budget_update(
        actor=personas["agent"], budget=budget, criteria=criteria, rules_falc="Texte FALC.", min_age=16
    )
    budget.refresh_from_db()
    assert budget.rules_falc == "Texte FALC." and budget.ballot_type == "approval"


def test_recompute_keeps_envelopes_used_by_projects(budget: Budget, personas: Personas, quartier: Territory) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    ProjectFactory.create(budget=budget, envelope=envelope)
    quartier.population = 90_000
    quartier.save()
    before = envelope.amount
    config.envelopes_recompute(actor=personas["agent"], budget=budget)
    envelope.refresh_from_db()
    assert envelope.amount > before
    assert Envelope.objects.filter(budget=budget).count() == 3


# --- projects, co-authors, comments -----------------------------------------------------


def test_project_create_and_cost_within_envelope(budget: Budget, personas: Personas, quartier: Territory) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    project = services.project_create(
        author=personas["resident"],
        budget=budget,
        envelope=envelope,
        title="Un jardin partagé",
        description="Des bacs **potagers**.",
        estimated_cost=8000,
    )
    assert project.status == ProjectStatus.SUBMITTED and "<strong>" in project.description_html
    with pytest.raises(ValidationError) as error:
        services.project_create(
            author=personas["resident"],
            budget=budget,
            envelope=envelope,
            title="Trop cher",
            description="…",
            estimated_cost=envelope.amount + 1,
        )
    assert "dépasse" in str(error.value)


def test_project_create_refused_outside_submission(
    budget_in: Callable[..., Budget], personas: Personas, quartier: Territory
) -> None:
    budget = budget_in("analysis")
    envelope = budget.envelopes.first()
    assert envelope is not None
    with pytest.raises(PermissionDenied):
        services.project_create(
            author=personas["resident"],
            budget=budget,
            envelope=envelope,
            title="Tard",
            description="…",
            estimated_cost=10,
        )


def test_coauthor_invitation_then_accept(project: Project, personas: Personas) -> None:
    invited = personas["other_resident"]
    invitation = services.coauthor_invite(actor=personas["resident"], project=project, email=invited.email.upper())
    assert invitation is not None and not project.coauthors.exists()
    assert services.coauthor_invite(actor=personas["resident"], project=project, email="nobody@example.org") is None
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=personas["agent"], invitation=invitation)
    services.invitation_accept(user=invited, invitation=invitation)
    assert list(project.coauthors.all()) == [invited]
    assert not ProjectInvitation.objects.exists()
    # A co-author may edit, not invite.
    project = Project.objects.get(pk=project.pk)
    services.project_update(
        user=invited,
        project=project,
        envelope=project.envelope,
        title="Titre revu",
        description="Texte",
        estimated_cost=100,
    )
    with pytest.raises(PermissionDenied):
        services.coauthor_invite(actor=invited, project=project, email="x@example.org")


def test_comment_and_moderation(project: Project, personas: Personas) -> None:
    comment = services.project_comment_create(author=personas["other_resident"], project=project, body="Bravo !")
    assert Project.objects.get(pk=project.pk).comment_count == 1
    with pytest.raises(PermissionDenied):
        discussion.comment_hide(moderator=personas["agent"], comment=comment, reason="Hors sujet")
    discussion.comment_hide(moderator=personas["moderator"], comment=comment, reason="Hors sujet")
    assert AuditLogEntry.objects.filter(action="comment.hide").exists()


# --- analysis -----------------------------------------------------------------------------


def test_not_feasible_needs_a_public_reason(project: Project, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        analysis.project_analyse(actor=personas["agent"], project=project, status=ProjectStatus.NOT_FEASIBLE)
    assert "reason" in error.value.message_dict
    analysis.project_analyse(
        actor=personas["agent"],
        project=project,
        status=ProjectStatus.NOT_FEASIBLE,
        reason="Terrain privé.",
        checks=["investment"],
    )
    project.refresh_from_db()
    assert project.eligibility["investment"] is True and project.eligibility["public_place"] is False
    assert AuditLogEntry.objects.filter(action="budget_project.analyse").count() == 1


def test_feasible_needs_every_rule_and_the_cost(project: Project, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        analysis.project_analyse(actor=personas["agent"], project=project, status="feasible", checks=["investment"])
    with pytest.raises(ValidationError) as error:
        analysis.project_analyse(
            actor=personas["agent"], project=project, status="feasible", city_cost=project.envelope.amount + 1
        )
    assert "city_cost" in error.value.message_dict
    analysis.project_analyse(actor=personas["agent"], project=project, status="feasible", city_cost=7000)
    project.refresh_from_db()
    assert project.cost == 7000 and all(project.eligibility[code] for code in RULE_CODES)


@pytest.mark.parametrize("persona", ["elu", "moderator", "resident", "admin_elsewhere"])
def test_analysis_is_for_agents(project: Project, personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        analysis.project_analyse(actor=personas.user(persona), project=project, status="under_analysis")


def test_bulk_analysis_of_hundreds_of_projects(
    budget: Budget, personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    projects = ProjectFactory.create_batch(120, budget=budget)
    projects = list(Project.objects.filter(budget=budget).select_related("envelope", "budget__process__territory"))
    count = analysis.projects_bulk_analyse(
        actor=personas["agent"], budget=budget, projects=projects, status="not_feasible", reason="Hors compétence."
    )
    assert count == 120
    assert Project.objects.filter(status="not_feasible", analysis_reason="Hors compétence.").count() == 120
    analysis.projects_bulk_analyse(actor=personas["agent"], budget=budget, projects=projects[:10], city_cost=1234)
    assert Project.objects.filter(city_cost=1234).count() == 10
    assert AuditLogEntry.objects.filter(action="budget_project.analyse").count() == 130


def test_bulk_is_all_or_nothing(budget: Budget, personas: Personas) -> None:
    cheap = ProjectFactory.create(budget=budget)
    dear = ProjectFactory.create(budget=budget, estimated_cost=10**9)
    with pytest.raises(ValidationError):
        analysis.projects_bulk_analyse(
            actor=personas["agent"], budget=budget, projects=[cheap, dear], status="feasible"
        )
    assert not Project.objects.filter(status="feasible").exists()


def test_merge_moves_authors_and_keeps_comments(project: Project, budget: Budget, personas: Personas) -> None:
    other = ProjectFactory.create(budget=budget, author=personas["other_resident"])
    services.project_comment_create(author=personas["resident"], project=other, body="Même idée")
    analysis.project_merge(actor=personas["agent"], project=other, target=project)
    other.refresh_from_db()
    assert other.status == ProjectStatus.MERGED and other.merged_into == project
    assert list(project.coauthors.all()) == [personas["other_resident"]]
    assert other.comments.count() == 1
    with pytest.raises(ValidationError):
        analysis.project_merge(actor=personas["agent"], project=project, target=project)


def test_ballot_numbers_are_stable(budget: Budget, personas: Personas) -> None:
    a, b, c = (ProjectFactory.create(budget=budget, status="feasible") for _ in range(3))
    assert analysis.ballot_numbers_assign(actor=personas["agent"], budget=budget) == 3
    numbers = dict(Project.objects.values_list("pk", "ballot_number"))
    assert sorted(n or 0 for n in numbers.values()) == [1, 2, 3]
    analysis.project_analyse(actor=personas["agent"], project=b, status="not_feasible", reason="Non.")
    d = ProjectFactory.create(budget=budget, status="feasible")
    analysis.ballot_numbers_assign(actor=personas["agent"], budget=budget)
    after = dict(Project.objects.values_list("pk", "ballot_number"))
    assert after[a.pk] == numbers[a.pk] and after[c.pk] == numbers[c.pk]
    assert after[b.pk] is None and after[d.pk] == 4


def test_analysis_refused_once_frozen(project: Project, budget: Budget, personas: Personas) -> None:
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=timezone.now())
    with pytest.raises(ValidationError, match="Le vote a commencé"):
        analysis.project_analyse(actor=personas["agent"], project=project, status="under_analysis")
    with pytest.raises(ValidationError):
        analysis.ballot_numbers_assign(actor=personas["agent"], budget=budget)


# --- realisation ---------------------------------------------------------------------------


def test_commitments_for_winners_is_idempotent(budget: Budget, personas: Personas, quartier: Territory) -> None:
    winner = ProjectFactory.create(budget=budget, status="feasible", envelope=budget.envelopes.get(territory=quartier))
    loser = ProjectFactory.create(budget=budget, status="feasible", envelope=winner.envelope)
    service = ServiceFactory.create()
    with pytest.raises(PermissionDenied):  # results not published yet
        analysis.commitments_for_winners(actor=personas["agent"], budget=budget, service=service)
    Result.objects.create(envelope=winner.envelope, rule="greedy", ballot_count=3, selected=[winner.pk], spent=5000)
    Budget.objects.filter(pk=budget.pk).update(results_published_at=timezone.now())
    budget.refresh_from_db()
    assert analysis.commitments_for_winners(actor=personas["agent"], budget=budget, service=service) == 1
    assert analysis.commitments_for_winners(actor=personas["agent"], budget=budget, service=service) == 0
    commitment = Commitment.objects.get()
    assert commitment.source == winner and commitment.territory == quartier and commitment.service == service
    winner.refresh_from_db()
    loser.refresh_from_db()
    assert winner.status == ProjectStatus.SELECTED and loser.status == ProjectStatus.NOT_SELECTED
    assert analysis.commitment_of(winner) == commitment
    with pytest.raises(PermissionDenied):
        analysis.commitments_for_winners(actor=UserFactory.create(), budget=budget, service=None)
