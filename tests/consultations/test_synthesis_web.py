"""The synthesis in the web: an agent starts it on a process (statements and free-text answers),
the task computes it, the agent renames, merges and publishes it; the public page cites the
contributions, hides small quartier counts, states its method and limits, and drops statements
hidden by moderation. Scoped to the process's agents until published."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.consultations.models import Conversation, Question, Questionnaire, Response, Statement
from apps.consultations.synthesis.models import Citation, Synthesis, Theme
from apps.core.models import Territory
from tests.conftest import Personas, body_of, make_process_in_phase
from tests.consultations.french_corpus import corpus
from tests.factories import UserFactory


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _process_with_contributions(quartier: Territory, other_quartier: Territory) -> tuple[Any, list[Statement]]:
    """40 statements (residents of two quartiers) and 60 free-text answers, on five topics."""
    process = make_process_in_phase("conversation", territory=quartier, module="consultations")
    conversation = Conversation.objects.create(process=process, question="Que changer dans le quartier ?")
    texts, _topics = corpus(per_topic=20, seed=11)
    authors = [UserFactory.create(home_territory=quartier if i % 5 else other_quartier) for i in range(8)]
    statements = [
        Statement.objects.create(conversation=conversation, text=text, author=authors[i % 8])
        for i, text in enumerate(texts[:40])
    ]
    questionnaire = Questionnaire.objects.create(process=process, title="Votre quartier")
    question = Question.objects.create(
        questionnaire=questionnaire, position=1, kind=Question.Kind.TEXT, text="Qu'est-ce qui vous gêne ?"
    )
    Response.objects.bulk_create(
        [
            Response(questionnaire=questionnaire, answers={str(question.pk): text}, territory=quartier)
            for text in texts[40:]
        ]
        + [Response(questionnaire=questionnaire, answers={}, territory=quartier)]  # no free text: not cited
    )
    return process, statements


@pytest.mark.django_db
def test_agent_computes_reviews_and_publishes_a_synthesis(
    personas: Personas,
    quartier: Territory,
    other_quartier: Territory,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    process, statements = _process_with_contributions(quartier, other_quartier)
    agent = client_for(personas["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(reverse("consultations_admin:syntheses"), {"process": process.pk, "themes": "5"})
    assert response.status_code == 302
    synthesis = Synthesis.objects.get(process=process)  # huey runs at once in tests
    assert synthesis.state == Synthesis.State.DRAFT and synthesis.progress == 100
    assert synthesis.contributions == 100 and synthesis.unclassified == 0
    assert synthesis.themes.count() == 5
    assert Citation.objects.filter(theme__synthesis=synthesis).count() == 100
    assert Citation.objects.filter(theme__synthesis=synthesis, response__isnull=False).count() == 60
    assert sum(sum(t.quartiers.values()) for t in synthesis.themes.all()) == 100

    # Not public yet; the agent sees a preview.
    url = synthesis.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["resident"]).get(url).status_code == 404
    assert "Aperçu" in _text(agent.get(url))

    # Rename, merge, publish.
    first, second = list(synthesis.themes.order_by("position"))[:2]
    edit = reverse("consultations_admin:theme_edit", args=[first.pk])
    refused = agent.post(edit, {"title": "", "summary": "Mon résumé"})
    assert refused.status_code == 400 and "Mon résumé" in _text(refused)
    assert agent.post(edit, {"title": "Propreté des rues", "summary": "Des déchets partout."}).status_code == 302
    sizes = first.citations.count() + second.citations.count()
    merge = reverse("consultations_admin:synthesis_merge", args=[synthesis.pk])
    assert agent.post(merge, {"into": first.pk, "merged": first.pk}).status_code == 400
    assert agent.post(merge, {"into": first.pk, "merged": second.pk}).status_code == 302
    assert not Theme.objects.filter(pk=second.pk).exists()
    assert Theme.objects.get(pk=first.pk).citations.count() == sizes
    # A statement hidden afterwards leaves the published synthesis.
    hidden = statements[0]
    hidden.status, hidden.moderation_reason = Statement.Status.HIDDEN, "Hors sujet"
    hidden.save()
    publish = reverse("consultations_admin:synthesis_publish", args=[synthesis.pk])
    assert agent.post(publish).status_code == 302
    synthesis.refresh_from_db()
    assert synthesis.state == Synthesis.State.PUBLISHED and synthesis.published_at is not None
    # Published: read-only, public.
    assert agent.post(edit, {"title": "Autre", "summary": ""}).status_code == 400
    page = _text(client_for(None).get(url))
    assert "Propreté des rues" in page and "Des déchets partout." in page
    assert "Limites" in page and "ne comprend pas le sens" in page
    assert "100 contributions écrites" in page
    assert hidden.text not in page
    assert statements[1].text in page  # every contribution is cited
    assert "Réponse n°" in page
    # The other quartier wrote fewer than 5 statements in some theme: the count is masked.
    assert "moins de 5" in page


@pytest.mark.django_db
def test_synthesis_pages_are_scoped_to_the_process_agents(
    personas: Personas,
    quartier: Territory,
    other_quartier: Territory,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    process, _statements = _process_with_contributions(quartier, other_quartier)
    for name in ("resident", "moderator", "admin_elsewhere"):
        response = client_for(personas[name]).post(reverse("consultations_admin:syntheses"), {"process": process.pk})
        assert response.status_code in {400, 403}, name
    assert not Synthesis.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas["agent"]).post(reverse("consultations_admin:syntheses"), {"process": process.pk})
    synthesis = Synthesis.objects.get()
    assert 2 <= synthesis.themes.count() <= 8  # chosen by silhouette
    detail = reverse("consultations_admin:synthesis", args=[synthesis.pk])
    assert client_for(personas["agent"]).get(detail).status_code == 200
    assert client_for(personas["admin_elsewhere"]).get(detail).status_code == 403
    assert client_for(personas["resident"]).get(detail).status_code == 403


@pytest.mark.django_db
def test_a_failed_computation_is_marked_failed(
    personas: Personas, quartier: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.consultations.synthesis import services, themes

    process = make_process_in_phase("conversation", territory=quartier, module="consultations")
    synthesis = Synthesis.objects.create(process=process, title="Synthèse")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(themes, "find_themes", broken)
    with pytest.raises(MemoryError):
        services.synthesis_compute(synthesis.pk)
    synthesis.refresh_from_db()
    assert synthesis.state == Synthesis.State.FAILED and not synthesis.themes.exists()
