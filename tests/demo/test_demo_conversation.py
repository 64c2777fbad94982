"""The demo's conversation: hundreds of participants (2,000 in the full demo) voting in three
planted groups that the map finds again, statements waiting in the moderation queue of the demo
agent, and a published synthesis of the statements."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.consultations import inbox, moderation
from apps.consultations.demo import PARTICIPANTS
from apps.consultations.demo_statements import PENDING
from apps.consultations.models import Conversation, Vote
from apps.consultations.synthesis.models import Synthesis


@pytest.mark.usefixtures("demo")
def test_demo_conversation_map_queue_and_synthesis() -> None:
    conversation = Conversation.objects.get(question="Que faire de la place du marché de Zola ?")
    voters = Vote.objects.filter(statement__conversation=conversation).values("participant").distinct().count()
    assert voters == PARTICIPANTS["small"]
    data = conversation.opinion_map.data
    assert len(data["groups"]) == 3
    agent = User.objects.get(email="agent@demo.archipel.fr")
    waiting = set(moderation.queue(agent).values_list("text", flat=True))
    assert waiting == set(PENDING)
    assert any("3 affirmations à modérer" in item.label for item in inbox.todo(agent))
    synthesis = Synthesis.objects.get(process=conversation.process)
    assert synthesis.state == Synthesis.State.PUBLISHED and synthesis.themes.count() >= 3
    page = Client().get(reverse("consultations:synthesis", args=[synthesis.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Des arbres, de l&#x27;ombre et de la verdure" in text and "Limites" in text
    assert Client().get(reverse("consultations:map", args=[conversation.pk])).status_code == 200
