"""Moderating statements in the back office: the queue (before publication, or after it) scoped
to the process, accepting and hiding one or many statements with a public reason, the count in
the « À faire » inbox."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.consultations import inbox, services
from apps.consultations import moderation as services_moderation
from apps.consultations.mapping import store_map
from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.core.models import Territory
from tests.conftest import Personas, body_of, make_process_in_phase
from tests.factories import UserFactory

QUEUE = "consultations_admin:moderation"


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _conversation(territory: Territory, moderation: str) -> Conversation:
    process = make_process_in_phase("conversation", territory=territory, module="consultations")
    return Conversation.objects.create(process=process, question="Que faire de la place ?", moderation=moderation)


def _write(person: User, conversation: Conversation, text: str) -> Statement:
    return services.statement_create(author=person, conversation=conversation, text=text)


@pytest.mark.django_db
def test_pre_moderation_queue_bulk_accept_and_reject_with_public_reason(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    before = _conversation(quartier, Conversation.Moderation.BEFORE)
    resident = personas["resident"]
    texts = ["Des bancs à l'ombre sur la place.", "Un marché bio le mercredi.", "Propos insultants envers le maire."]
    pending = [_write(resident, before, text) for text in texts]
    assert {s.status for s in pending} == {Statement.Status.PENDING}
    elsewhere = _write(resident, _conversation(other_quartier, Conversation.Moderation.BEFORE), "Ailleurs en ville.")
    public = client_for(None).get(before.get_absolute_url())
    assert texts[0] not in _text(public)

    agent = client_for(personas["agent"])
    page = _text(agent.get(reverse(QUEUE)))
    assert all(text in page for text in texts) and elsewhere.text not in page
    assert "3 affirmations attendent" in page
    # The inbox counts them for the agent; the administrator of the other quartier counts only theirs.
    assert [item.count for item in inbox.todo(personas["agent"])] == [3]
    assert [item.count for item in inbox.todo(personas["admin_elsewhere"])] == [1]
    assert list(inbox.todo(personas["elu"])) == []
    assert "3 affirmations à modérer" in _text(agent.get(reverse("backoffice:todo")))

    # Rejecting needs a public reason; the ticked boxes stay ticked.
    refused = agent.post(reverse(QUEUE), {"action": "reject", "statements": [pending[2].pk], "reason": " "})
    assert refused.status_code == 400
    assert "Donnez le motif public" in _text(refused)
    assert f'value="{pending[2].pk}" id="statement-{pending[2].pk}" checked' in _text(refused)
    ok = agent.post(reverse(QUEUE), {"action": "reject", "statements": [pending[2].pk], "reason": "Propos injurieux"})
    assert ok.status_code == 302
    ok = agent.post(reverse(QUEUE), {"action": "accept", "statements": [pending[0].pk, pending[1].pk]})
    assert ok.status_code == 302
    states = {s.pk: (s.status, s.moderation_reason, s.moderated_at is not None) for s in Statement.objects.all()}
    assert states[pending[0].pk] == (Statement.Status.PUBLISHED, "", True)
    assert states[pending[1].pk] == (Statement.Status.PUBLISHED, "", True)
    assert states[pending[2].pk] == (Statement.Status.HIDDEN, "Propos injurieux", True)
    assert list(inbox.todo(personas["agent"])) == []
    page = _text(client_for(None).get(before.get_absolute_url()))
    assert "Propos injurieux" in page and texts[2] not in page
    # A statement out of the moderator's scope cannot be slipped into the batch.
    sneaky = agent.post(reverse(QUEUE), {"action": "accept", "statements": [elsewhere.pk]})
    assert sneaky.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.status == Statement.Status.PENDING


@pytest.mark.django_db
def test_post_moderation_queue_lists_published_statements_until_read(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    after = _conversation(quartier, Conversation.Moderation.AFTER)
    seeded = Statement.objects.create(conversation=after, text="Affirmation de départ de la ville.")
    written = _write(personas["resident"], after, "Plus de poubelles près du square.")
    assert written.status == Statement.Status.PUBLISHED
    moderator = client_for(personas["moderator"])
    page = _text(moderator.get(reverse(QUEUE)))
    assert written.text in page and seeded.text not in page and "Déjà publiée" in page
    response = moderator.post(reverse(QUEUE), {"action": "reject", "statements": [written.pk], "reason": "Doublon"})
    assert response.status_code == 302
    written.refresh_from_db()
    assert (written.status, written.moderation_reason) == (Statement.Status.HIDDEN, "Doublon")
    assert "Rien à modérer" in _text(moderator.get(reverse(QUEUE)))


@pytest.mark.django_db
def test_queue_refuses_people_without_a_moderation_role(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    assert client_for(None).get(reverse(QUEUE)).status_code == 302
    for name in ("resident", "elu", "admin_elsewhere"):
        status = client_for(personas[name]).get(reverse(QUEUE)).status_code
        assert status == (200 if name == "admin_elsewhere" else 403), name


@pytest.mark.django_db
def test_the_service_refuses_a_batch_with_a_statement_out_of_scope(
    personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    from django.core.exceptions import PermissionDenied

    from apps.consultations.moderation import statements_moderate

    mine = _write(personas["resident"], _conversation(quartier, Conversation.Moderation.BEFORE), "Chez moi.")
    theirs = _write(personas["resident"], _conversation(other_quartier, Conversation.Moderation.BEFORE), "Là-bas.")
    with pytest.raises(PermissionDenied):
        statements_moderate(moderator=personas["agent"], statement_ids=[mine.pk, theirs.pk], accept=True, reason="")
    # All or nothing: the statement in scope was not published either.
    assert set(Statement.objects.values_list("status", flat=True)) == {Statement.Status.PENDING}


@pytest.mark.django_db
def test_moderators_switch_a_conversation_between_before_and_after(
    personas: Personas, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    conversation = _conversation(quartier, Conversation.Moderation.AFTER)
    url = reverse("consultations_admin:moderation_mode", args=[conversation.pk])
    assert client_for(personas["admin_elsewhere"]).post(url, {"moderation": "before"}).status_code == 403
    moderator = client_for(personas["moderator"])
    assert "Mode de modération de « Que faire de la place ? »" in _text(moderator.get(reverse(QUEUE)))
    assert moderator.post(url, {"moderation": "before"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.moderation == Conversation.Moderation.BEFORE
    assert _write(personas["resident"], conversation, "Une fontaine sur la place.").status == Statement.Status.PENDING
    moderator.post(url, {"moderation": "n'importe quoi"})
    conversation.refresh_from_db()
    assert conversation.moderation == Conversation.Moderation.BEFORE


@pytest.mark.django_db
def test_hiding_a_published_statement_refreshes_the_map_and_hiding_a_pending_one_does_not(
    personas: Personas, quartier: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(quartier, Conversation.Moderation.AFTER)
    published = [Statement.objects.create(conversation=conversation, text=f"Affirmation {i}.") for i in range(3)]
    for person in UserFactory.create_batch(8):
        for statement in published:
            Vote.objects.create(statement=statement, participant=person, value=Vote.Value.AGREE)
    first = store_map(conversation.pk)
    assert published[0].pk in first.state["statements"]

    pending = _write(personas["resident"], _conversation(quartier, Conversation.Moderation.BEFORE), "En attente.")
    with django_capture_on_commit_callbacks(execute=True):
        services_moderation.statements_moderate(
            moderator=personas["agent"], statement_ids=[pending.pk], accept=False, reason="Hors sujet"
        )
    assert OpinionMapSnapshot.objects.get(conversation=conversation).computed_at == first.computed_at

    with django_capture_on_commit_callbacks(execute=True):
        services_moderation.statements_moderate(
            moderator=personas["agent"], statement_ids=[published[0].pk], accept=False, reason="Doublon"
        )
    refreshed = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert refreshed.computed_at > first.computed_at
    assert published[0].pk not in refreshed.state["statements"]
    assert str(published[0].pk) not in refreshed.data["weights"]
