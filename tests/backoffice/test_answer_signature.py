"""Issue 8, item 12: the answer is the élue's. Agents draft, the signer (élu·e of the scope or an
agent with a « délégation de signature ») previews and publishes; the signature is computed,
never typed; nothing is published during the collect phase."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.answers.delegations import signature_delegation_grant, signature_delegation_revoke
from apps.answers.models import Answer, SignatureDelegation
from apps.core.models import AuditLogEntry, Process, Role, Territory
from apps.proposals.answering import answer_draft_save, answer_sign, answers_sign
from apps.proposals.models import Status
from apps.proposals.services import proposal_answer
from tests.backoffice.conftest import World
from tests.conftest import Personas
from tests.factories import ProposalFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "La Ville posera trois bancs **au printemps 2027**, rue Ménétrier."


def _submit(world: World, agent: User) -> Answer:
    return answer_draft_save(actor=agent, proposal=world.proposal, status=Status.ACCEPTED, body=BODY, submit=True)


def _preview_url(world: World) -> str:
    return reverse("proposals_admin:proposal_answer_preview", kwargs={"pk": world.proposal.pk})


def test_agent_drafts_but_cannot_publish(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
) -> None:
    freeze_phase(world.process, "analysis")
    agent = client_for(personas["agent"])
    response = agent.post(
        reverse("proposals_admin:proposal_answer", kwargs={"pk": world.proposal.pk}),
        {"status": "accepted", "body": BODY, "step": "submit", "signed_by": "Le maire"},
    )
    assert response.status_code == 302 and response["Location"] == _preview_url(world)
    draft = Answer.pending.get(proposal=world.proposal)
    assert draft.state == Answer.State.SUBMITTED and draft.author == personas["agent"]
    assert not Answer.objects.exists()
    # Not public anywhere.
    public = client_for(None).get(reverse("proposals:detail", kwargs={"pk": world.proposal.pk})).content.decode()
    assert "au printemps 2027" not in public
    api = client_for(None).get(reverse("api:proposal-detail", kwargs={"pk": world.proposal.pk})).content.decode()
    assert "au printemps 2027" not in api
    # The agent sees the preview but has no signing button, and a forged POST is refused.
    preview = agent.get(_preview_url(world)).content.decode()
    assert "<strong>au printemps 2027</strong>" in preview
    assert "Signer et publier" not in preview
    assert agent.post(_preview_url(world)).status_code == 403
    with pytest.raises(PermissionDenied):
        answer_sign(signer=personas["agent"], draft=draft)
    with pytest.raises(PermissionDenied):
        proposal_answer(actor=personas["agent"], proposal=world.proposal, status=Status.ACCEPTED, body=BODY)
    assert not Answer.objects.exists()


def test_elu_previews_then_signs_with_a_computed_signature(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
) -> None:
    freeze_phase(world.process, "analysis")
    _submit(world, personas["agent"])
    elu = client_for(personas["elu"])
    preview = elu.get(_preview_url(world)).content.decode()
    # Exactly as the public page and the e-mail will show it, with the signature to come.
    assert "<strong>au printemps 2027</strong>" in preview
    assert "au printemps 2027, rue Ménétrier." in preview and "**" not in preview
    expected = f"Elu, élu·e — {world.process.territory.name}"
    assert expected in preview
    assert "Signer et publier la réponse" in preview
    response = elu.post(_preview_url(world))
    assert response.status_code == 302
    answer = Answer.objects.get(proposal=world.proposal)
    assert answer.signer == personas["elu"] and answer.author == personas["agent"]
    assert answer.signed_by == expected
    assert not Answer.pending.exists()
    entry = AuditLogEntry.objects.get(action="proposal.answer")
    assert entry.actor == personas["elu"] and entry.details["signed_by"] == expected
    public = client_for(None).get(reverse("proposals:detail", kwargs={"pk": world.proposal.pk})).content.decode()
    assert "signée par Elu, élu·e" in public and "<strong>au printemps 2027</strong>" in public


def test_elu_of_another_territory_and_administrators_cannot_sign(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
    other_quartier: Territory,
) -> None:
    freeze_phase(world.process, "analysis")
    draft = _submit(world, personas["agent"])
    elsewhere = UserFactory.create(display_name="Élue d'ailleurs")
    RoleFactory.create(user=elsewhere, role=Role.ELU, territory=other_quartier)
    local_admin = UserFactory.create(display_name="Admin du quartier")
    RoleFactory.create(user=local_admin, role=Role.ADMIN, territory=world.process.territory)
    for person in (elsewhere, local_admin, personas["moderator"], personas["resident"]):
        assert client_for(person).post(_preview_url(world)).status_code in (403, 404)
        with pytest.raises(PermissionDenied):
            answer_sign(signer=person, draft=draft)
    assert client_for(None).post(_preview_url(world)).status_code == 302  # to the sign-in page
    assert not Answer.objects.exists()


def test_no_answer_during_the_collect_phase(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    """The world's process is in its « Dépôt » phase: the signer is told why, nothing is published."""
    draft = _submit(world, personas["agent"])
    elu = client_for(personas["elu"])
    preview = elu.get(_preview_url(world)).content.decode()
    assert "Les réponses ne sont publiées qu&#x27;après le dépôt des propositions" in preview
    assert "Signer et publier la réponse" not in preview
    response = elu.post(_preview_url(world))
    assert response.status_code == 400
    assert "après le dépôt des propositions" in response.content.decode()
    with pytest.raises(ValidationError, match="après le dépôt des propositions"):
        answer_sign(signer=personas["elu"], draft=draft)
    with pytest.raises(ValidationError):
        answers_sign(signer=personas["elu"], drafts=[draft])
    bulk = elu.get(reverse("proposals_admin:answers_to_sign", kwargs={"pk": world.process.pk})).content.decode()
    assert "après le dépôt des propositions" in bulk and 'name="drafts"' not in bulk
    assert not Answer.objects.exists() and Answer.pending.count() == 1


def test_bulk_signing_is_all_or_nothing(
    world: World, personas: Personas, freeze_phase: Callable[[Process, str], None]
) -> None:
    freeze_phase(world.process, "analysis")
    ok = answer_draft_save(
        actor=personas["agent"], proposal=world.proposal, status=Status.NOT_RETAINED, body=BODY, submit=True
    )
    unsubmitted = answer_draft_save(
        actor=personas["agent"],
        proposal=ProposalFactory.create(process=world.process),
        status=Status.ACCEPTED,
        body=BODY,
    )
    with pytest.raises(ValidationError, match="pas encore été soumis"):
        answers_sign(signer=personas["elu"], drafts=[ok, unsubmitted])
    assert not Answer.objects.exists() and Answer.pending.count() == 2


def test_delegated_agent_signs_under_the_delegation_title(
    world: World,
    personas: Personas,
    freeze_phase: Callable[[Process, str], None],
    other_quartier: Territory,
) -> None:
    freeze_phase(world.process, "analysis")
    admin = UserFactory.create(display_name="Admin")
    RoleFactory.create(user=admin, role=Role.ADMIN, territory=world.process.territory)
    signer = UserFactory.create(first_name="Claire", last_name="Martin", display_name="Claire M.")
    RoleFactory.create(user=signer, role=Role.AGENT, territory=world.process.territory)
    # An administrator of another quartier cannot delegate here; a resident cannot receive it.
    with pytest.raises(PermissionDenied):
        signature_delegation_grant(
            actor=personas["admin_elsewhere"], user=signer, title="Directrice", territory=world.process.territory
        )
    with pytest.raises(ValidationError):
        signature_delegation_grant(
            actor=admin, user=personas["resident"], title="Directrice", territory=world.process.territory
        )
    delegation = signature_delegation_grant(
        actor=admin,
        user=signer,
        title="directrice du dialogue citoyen, par délégation du maire",
        territory=world.process.territory,
    )
    assert AuditLogEntry.objects.filter(action="signature.delegate", actor=admin).exists()
    answer = answer_sign(signer=signer, draft=_submit(world, personas["agent"]))
    assert answer.signed_by == "Claire Martin, directrice du dialogue citoyen, par délégation du maire"
    signature_delegation_revoke(actor=admin, delegation=delegation)
    assert SignatureDelegation.objects.get().revoked_at is not None
    assert AuditLogEntry.objects.filter(action="signature.revoke").exists()
    with pytest.raises(PermissionDenied):
        answer_sign(signer=signer, draft=_submit(world, personas["agent"]))


def test_delegation_page_grants_and_revokes_with_audit(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    admin = UserFactory.create(display_name="Admin du quartier")
    RoleFactory.create(user=admin, role=Role.ADMIN, territory=world.process.territory)
    client = client_for(admin)
    url = reverse("answers_admin:signature_delegations")
    data = {"email": personas["agent"].email, "title": "chargée de mission", "scope": f"t{world.process.territory.pk}"}
    missing = client.post(url, {**data, "title": ""})
    assert missing.status_code == 400 and "Indiquez la qualité" in missing.content.decode()
    assert client.post(url, {**data, "email": admin.email}).status_code == 400  # not to oneself
    assert client.post(url, data).status_code == 302
    delegation = SignatureDelegation.objects.get()
    assert delegation.user == personas["agent"] and delegation.granted_by == admin
    assert "chargée de mission" in client.get(url).content.decode()
    # Another quartier's administrator neither sees nor revokes it.
    elsewhere = client_for(personas["admin_elsewhere"])
    assert "chargée de mission" not in elsewhere.get(url).content.decode()
    revoke = reverse("answers_admin:signature_delegation_revoke", kwargs={"pk": delegation.pk})
    assert elsewhere.post(revoke).status_code == 403
    assert client.post(revoke).status_code == 302
    assert SignatureDelegation.objects.get().revoked_at is not None
    actions = list(AuditLogEntry.objects.filter(actor=admin).values_list("action", flat=True))
    assert "signature.delegate" in actions and "signature.revoke" in actions
