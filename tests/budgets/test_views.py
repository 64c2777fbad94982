"""Pages of the budgets' projects part: forms keep input and speak French, read-only and frozen
configuration, allowlisted filters, realisation links, bounded queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.budgets.models import Budget, Project
from apps.core.models import Territory
from apps.followup.models import Commitment
from tests.budgets.factories import ProjectFactory, make_budget_process
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_project_form_errors_in_french_keep_input(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    url = reverse("budgets:project_create", kwargs={"slug": budget.process.slug})
    envelope = budget.envelopes.get(territory=quartier)
    response = client_for(personas["resident"]).post(
        url, {"title": "Mon beau projet", "description": "", "envelope": envelope.pk, "estimated_cost": str(10**8)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mon beau projet" in html
    assert "Ce champ est obligatoire." in html
    assert 'class="form-error-summary"' in html


def test_project_cost_over_envelope_is_a_field_error(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    response = client_for(personas["resident"]).post(
        reverse("budgets:project_create", kwargs={"slug": budget.process.slug}),
        {"title": "Cher", "description": "Texte", "envelope": envelope.pk, "estimated_cost": envelope.amount + 1},
    )
    assert response.status_code == 400
    assert "dépasse le montant de l&#x27;enveloppe" in response.content.decode()
    assert not Project.objects.exists()


def test_project_create_then_detail(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    envelope = budget.envelopes.get(territory=quartier)
    client = client_for(personas["resident"])
    response = client.post(
        reverse("budgets:project_create", kwargs={"slug": budget.process.slug}),
        {
            "title": "Un verger",
            "description": "Des **arbres** fruitiers",
            "envelope": envelope.pk,
            "estimated_cost": "3000",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<strong>arbres</strong>" in page and "Modifier le projet" in page


def test_elu_reads_config_without_submit(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("budgets_admin:config", kwargs={"pk": budget.process.pk})
    html = client_for(personas["elu"]).get(url).content.decode()
    assert "Lecture seule" in html and "Enregistrer les règles" not in html
    assert client_for(personas["elu"]).post(url, {}).status_code == 403


def test_config_weights_error_in_french(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("budgets_admin:config", kwargs={"pk": budget.process.pk})
    data = {
        "total_amount": "150000",
        "city_wide_share": "10",
        "minimum_per_quartier": "10000",
        "weight_population": "50",
        "weight_priority_population": "30",
        "weight_equal": "30",
        "ballot_type": "approval",
        "max_choices": "4",
        "min_spend_share": "0",
        "counting_rule": "greedy",
        "completion": "",
        "min_age": "16",
        "residents_only": "on",
        "required_verification": "email",
    }
    response = client_for(personas["agent"]).post(url, data)
    assert response.status_code == 400
    assert "doivent faire 100 % au total (ils font 110 %)" in response.content.decode()
    assert 'value="150000"' in response.content.decode()


def test_frozen_config_shows_read_only_fields(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=timezone.now())
    url = reverse("budgets_admin:config", kwargs={"pk": budget.process.pk})
    client = client_for(personas["agent"])
    html = client.get(url).content.decode()
    assert "sont gelées" in html
    assert 'name="ballot_type" disabled' in html or "disabled" in html.split('name="ballot_type"')[1][:200]
    # A forged POST cannot change a frozen field: disabled fields keep their value.
    client.post(url, {"ballot_type": "knapsack", "total_amount": "1", "rules_falc": "Nouveau texte"})
    budget.refresh_from_db()
    assert budget.ballot_type == "approval" and budget.total_amount == 100_000
    assert budget.rules_falc == "Nouveau texte"


def test_create_budget_from_back_office(
    personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    process = make_budget_process("submission", territory=quartier)
    url = reverse("budgets_admin:config", kwargs={"pk": process.pk})
    client = client_for(personas["agent"])
    assert "Créer le budget participatif" in client.get(url).content.decode()
    data = {
        "total_amount": "150000",
        "city_wide_share": "10",
        "minimum_per_quartier": "10000",
        "weight_population": "50",
        "weight_priority_population": "30",
        "weight_equal": "20",
        "ballot_type": "approval",
        "max_choices": "4",
        "min_spend_share": "0",
        "counting_rule": "equal-shares",
        "completion": "add1-utilitarian",
        "min_age": "16",
        "residents_only": "on",
        "required_verification": "email",
    }
    assert client.post(url, data).status_code == 302
    assert sum(process.budget.envelopes.values_list("amount", flat=True)) == 150_000
    page = client.get(reverse("budgets:envelopes", kwargs={"slug": process.slug})).content.decode()
    assert "Enveloppe « Toute la ville »\xa0: 150" in page


def test_list_filters_are_allowlisted_and_queries_bounded(
    budget: Budget,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    ProjectFactory.create_batch(30, budget=budget, status="feasible")
    ProjectFactory.create(budget=budget, title="Jardin unique", status="not_feasible", analysis_reason="Non.")
    url = reverse("budgets:projects", kwargs={"slug": budget.process.slug})
    client = client_for(personas["resident"])
    with django_assert_max_num_queries(15):
        response = client.get(url + "?etat=not_feasible&tri=author__password&enveloppe=1%20OR%201=1&q=jardin")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jardin unique" in html and "1 projet" in html


def test_project_search_ignores_accents_case_and_plurals(
    budget: Budget, client_for: Callable[[User | None], Client]
) -> None:
    # "velo" found nothing when projects were searched with icontains (issue 8's residual).
    ProjectFactory.create(budget=budget, title="Des arceaux à VÉLOS", status="feasible")
    ProjectFactory.create(budget=budget, title="Un banc", description="Devant l'école Leloup.", status="feasible")
    ProjectFactory.create(budget=budget, title="Marché du soir", status="feasible")
    url = reverse("budgets:projects", kwargs={"slug": budget.process.slug})
    client = client_for(None)

    def titles(q: str) -> set[str]:
        return {p.title for p in client.get(url, {"q": q}).context["page"].object_list}

    assert titles("velo") == {"Des arceaux à VÉLOS"}
    assert titles("ecole leloup") == {"Un banc"}
    assert titles("marche") == {"Marché du soir"}
    assert titles("banc marche") == set()
    assert client.get(url, {"q": "'; DROP TABLE x; -- & | ! ("}).status_code == 200


def test_project_page_links_to_its_commitment(
    budget: Budget, project: Project, client_for: Callable[[User | None], Client]
) -> None:
    commitment = Commitment.objects.create(
        process=budget.process,
        title=project.title,
        progress=40,
        state="in_progress",
        source_type=ContentType.objects.get_for_model(Project),
        source_id=project.pk,
    )
    html = client_for(None).get(project.get_absolute_url()).content.decode()
    assert commitment.get_absolute_url() in html and "40 %" in html


def test_process_page_links_to_the_budget(budget: Budget, client_for: Callable[[User | None], Client]) -> None:
    html = client_for(None).get(budget.process.get_absolute_url()).content.decode()
    assert reverse("budgets:detail", kwargs={"slug": budget.process.slug}) in html


def test_bulk_analysis_from_back_office(
    budget: Budget, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    projects = ProjectFactory.create_batch(5, budget=budget)
    url = reverse("budgets_admin:analysis_bulk", kwargs={"pk": budget.process.pk})
    client = client_for(personas["agent"])
    response = client.post(url, {"projects": [p.pk for p in projects], "action": "not_feasible"})
    assert response.status_code == 400 and "Choisissez un motif type" in response.content.decode()
    response = client.post(
        url, {"projects": [p.pk for p in projects], "action": "not_feasible", "reason_template": "competence"}
    )
    assert response.status_code == 302
    assert Project.objects.filter(status="not_feasible", analysis_reason__contains="compétences").count() == 5
