"""Instruction: list, filters, bulk actions, answers, notes, paper contributions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import AuditLogEntry, Process
from apps.followup.models import Commitment
from apps.proposals.models import AnswerTemplate, InternalNote, Proposal, Status
from tests.backoffice.conftest import World
from tests.conftest import Personas
from tests.factories import ProposalFactory, ServiceFactory, ThemeFactory, make_answer


@pytest.mark.django_db
def test_bulk_answer_of_100_proposals_is_prepared_then_signed(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
) -> None:
    """Agents prepare a bulk batch (nothing public); the élue reviews it rendered and signs it."""
    proposals = ProposalFactory.create_batch(100, process=world.process)
    ids = [p.pk for p in proposals]
    response = client_for(personas["agent"]).post(
        reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk}),
        {"action": "answer", "proposals": ids, "template": world.template.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "100 réponses sont prêtes" in response.content.decode()
    assert not Answer.objects.filter(proposal__in=ids).exists()
    assert Answer.pending.filter(proposal__in=ids, state=Answer.State.SUBMITTED).count() == 100

    freeze_phase(world.process, "analysis")
    elu = client_for(personas["elu"])
    url = reverse("proposals_admin:answers_to_sign", kwargs={"pk": world.process.pk})
    page = elu.get(url).content.decode()
    assert "100 réponses en attente de signature" in page
    assert page.count("la confie au service de la voirie") == 50  # the rendered answer of each row shown
    response = elu.post(url, {"drafts": list(Answer.pending.values_list("pk", flat=True))}, follow=True)
    assert "100 réponses sont signées et publiées" in response.content.decode()
    assert Answer.objects.filter(proposal__in=ids, status=Status.ACCEPTED, signer=personas["elu"]).count() == 100
    assert Proposal.objects.filter(pk__in=ids, status=Status.ACCEPTED).count() == 100
    proposal_type = ContentType.objects.get_for_model(Proposal)
    assert Commitment.objects.filter(source_type=proposal_type, source_id__in=ids).count() == 100
    assert AuditLogEntry.objects.filter(action="proposal.answer", actor=personas["elu"]).count() == 100
    assert not Answer.pending.exists()


@pytest.mark.django_db
def test_bulk_assign_and_study(world: World, personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    proposals = ProposalFactory.create_batch(3, process=world.process)
    client = client_for(personas["agent"])
    url = reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk})
    response = client.post(
        url, {"action": "assign", "proposals": [p.pk for p in proposals], "service": world.service.pk}
    )
    assert response.status_code == 302
    assert Proposal.objects.filter(assigned_service=world.service).count() == 3
    assert AuditLogEntry.objects.filter(action="proposal.assign").count() == 3
    client.post(url, {"action": "study", "proposals": [proposals[0].pk]})
    assert Proposal.objects.get(pk=proposals[0].pk).status == Status.UNDER_STUDY


@pytest.mark.django_db
def test_bulk_action_errors_in_french_and_keep_selection(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(personas["agent"]).post(
        reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk}),
        {"action": "assign", "proposals": [world.proposal.pk]},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choisissez le service" in content
    assert f'value="{world.proposal.pk}" id="choix-{world.proposal.pk}" checked' in content
    empty = client_for(personas["agent"]).post(
        reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk}), {"action": "study"}
    )
    assert "Cochez au moins une proposition" in empty.content.decode()


@pytest.mark.django_db
def test_bulk_action_ignores_proposals_of_other_processes(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    process_in_phase: Callable[..., Process],
) -> None:
    foreign = ProposalFactory.create(process=process_in_phase("collect"))
    response = client_for(personas["agent"]).post(
        reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk}),
        {"action": "study", "proposals": [foreign.pk]},
    )
    assert response.status_code == 400
    assert Proposal.objects.get(pk=foreign.pk).status == Status.RECEIVED


@pytest.mark.django_db
def test_elu_may_prepare_answers_in_bulk_but_not_assign(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("proposals_admin:instruction_bulk", kwargs={"pk": world.process.pk})
    client = client_for(personas["elu"])
    refused = client.post(url, {"action": "assign", "proposals": [world.proposal.pk], "service": world.service.pk})
    assert refused.status_code == 400  # the action is not offered to an élu
    assert Proposal.objects.get(pk=world.proposal.pk).assigned_service is None
    client.post(url, {"action": "answer", "proposals": [world.proposal.pk], "template": world.template.pk})
    assert Answer.pending.filter(proposal=world.proposal).count() == 1
    assert not Answer.objects.filter(proposal=world.proposal).exists()  # still the collect phase


def _rows(process: Process, count: int) -> None:
    theme, service = ThemeFactory.create(), ServiceFactory.create()
    for proposal in ProposalFactory.create_batch(count, process=process, theme=theme, assigned_service=service):
        make_answer(proposal=proposal, status=Status.ACCEPTED, body="Une réponse argumentée assez longue.")


@pytest.mark.django_db
def test_instruction_list_query_count_does_not_grow(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(personas["agent"])
    url = reverse("proposals_admin:instruction", kwargs={"pk": world.process.pk})
    _rows(world.process, 9)
    client.get(url)  # warm the content type cache
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _rows(world.process, 50)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_instruction_filters_are_allowlisted(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    answered = ProposalFactory.create(process=world.process, title="Déjà répondue")
    make_answer(proposal=answered, status=Status.NOT_RETAINED, body="Réponse argumentée du service.")
    client = client_for(personas["agent"])
    url = reverse("proposals_admin:instruction", kwargs={"pk": world.process.pk})
    unanswered = client.get(url, {"sans_reponse": "on"})
    assert list(unanswered.context["page_obj"].object_list) == [world.proposal]
    assert "Déjà répondue" not in unanswered.content.decode()
    # Unknown parameters (an attempt to filter on arbitrary fields) change nothing.
    sneaky = client.get(url, {"author__email": "x", "etat": "n'importe quoi"})
    assert sneaky.status_code == 200
    assert len(sneaky.context["page_obj"].object_list) == 2


@pytest.mark.django_db
def test_answer_requires_a_reasoned_body(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("proposals_admin:proposal_answer", kwargs={"pk": world.proposal.pk})
    response = client_for(personas["elu"]).post(url, {"status": "accepted", "body": "Oui, bien sûr.", "step": "submit"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "20 caractères au moins" in content
    assert "Oui, bien sûr." in content  # what was typed is kept
    assert not Answer.objects.filter(proposal=world.proposal).exists()
    assert not Answer.pending.filter(proposal=world.proposal).exists()
    missing = client_for(personas["elu"]).post(url, {"status": "", "body": "x" * 30})
    assert missing.status_code == 400
    assert world.proposal.status == Proposal.objects.get(pk=world.proposal.pk).status == Status.RECEIVED


@pytest.mark.django_db
def test_accepted_answer_creates_commitment_linked_from_instruction_page(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
) -> None:
    freeze_phase(world.process, "analysis")
    client = client_for(personas["agent"])
    client.post(
        reverse("proposals_admin:proposal_answer", kwargs={"pk": world.proposal.pk}),
        {"status": "accepted", "body": "Retenue : les bancs seront posés au printemps.", "step": "submit"},
    )
    signed = client_for(personas["elu"]).post(
        reverse("proposals_admin:proposal_answer_preview", kwargs={"pk": world.proposal.pk})
    )
    assert signed.status_code == 302
    commitment = Commitment.objects.get(source_id=world.proposal.pk)
    page = client.get(reverse("proposals_admin:proposal", kwargs={"pk": world.proposal.pk})).content.decode()
    assert reverse("followup:commitment", kwargs={"pk": commitment.pk}) in page
    assert AuditLogEntry.objects.filter(action="commitment.create", target_id=str(commitment.pk)).exists()


@pytest.mark.django_db
def test_internal_note_assign_and_study(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["agent"])
    client.post(
        reverse("proposals_admin:proposal_note", kwargs={"pk": world.proposal.pk}), {"body": "Appeler le service."}
    )
    assert InternalNote.objects.filter(proposal=world.proposal, body="Appeler le service.").exists()
    empty = client.post(reverse("proposals_admin:proposal_note", kwargs={"pk": world.proposal.pk}), {"body": ""})
    assert empty.status_code == 400
    client.post(
        reverse("proposals_admin:proposal_assign", kwargs={"pk": world.proposal.pk}), {"service": world.service.pk}
    )
    client.post(reverse("proposals_admin:proposal_study", kwargs={"pk": world.proposal.pk}))
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert proposal.assigned_service == world.service and proposal.status == Status.UNDER_STUDY
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"proposal.note", "proposal.assign", "proposal.status"} <= actions
    # Internal notes never leak to a resident, even through the back office.
    assert (
        client_for(personas["resident"])
        .get(reverse("proposals_admin:proposal", kwargs={"pk": world.proposal.pk}))
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_paper_contribution(world: World, personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    url = reverse("proposals_admin:paper_entry", kwargs={"pk": world.process.pk})
    client = client_for(personas["agent"])
    invalid = client.post(url, {"title": "Un composteur", "body": "Rue des Lilas."})
    assert invalid.status_code == 400 and "Un composteur" in invalid.content.decode()
    response = client.post(url, {"title": "Un composteur", "body": "Rue des Lilas.", "paper_author_name": "Mme D."})
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Un composteur")
    assert proposal.is_paper and proposal.author is None and proposal.entered_by == personas["agent"]
    assert proposal.author_label == "Mme D."
    assert AuditLogEntry.objects.filter(action="proposal.paper_entry", target_id=str(proposal.pk)).exists()


@pytest.mark.django_db
def test_answer_templates_crud_and_audit(personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(personas["agent"])
    response = client.post(
        reverse("proposals_admin:answer_template_create"),
        {"title": "Non retenue — budget", "status": "not_retained", "body": "Le budget ne le permet pas cette année."},
    )
    assert response.status_code == 302
    template = AnswerTemplate.objects.get(title="Non retenue — budget")
    bad = client.post(
        reverse("proposals_admin:answer_template_edit", kwargs={"pk": template.pk}), {"title": "", "status": "x"}
    )
    assert bad.status_code == 400
    assert AuditLogEntry.objects.filter(action="answer_template.save").count() == 1
