"""The web part of conversations: voting (one vote per person, even in parallel), writing
statements, the opinion map page, the stored map's debounced recomputation, personal data and
open data."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.consultations import exports, services
from apps.consultations.mapping import store_map
from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.consultations.opinion.synthetic import planted_conversation
from apps.consultations.personal_data import PERSONAL_DATA
from apps.core.models import Territory
from tests.conftest import body_of, make_process_in_phase
from tests.factories import UserFactory


def _text(response: Any) -> str:
    """The page as read: entities decoded, the typography's no-break spaces as plain spaces."""
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _conversation(quartier: Territory, kind: str = "conversation", **extra: Any) -> Conversation:
    process = make_process_in_phase(kind, territory=quartier, module="consultations")
    return Conversation.objects.create(process=process, question="Comment partager la place ?", **extra)


def _statements(conversation: Conversation, n: int) -> list[Statement]:
    return [Statement.objects.create(conversation=conversation, text=f"Affirmation numéro {i}.") for i in range(n)]


@pytest.mark.django_db
def test_vote_flow_without_javascript(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    conversation = _conversation(quartier)
    statements = _statements(conversation, 2)
    person = UserFactory.create()
    client = client_for(person)
    page = _text(client.get(conversation.get_absolute_url()))
    shown = [s for s in statements if s.text in page]
    assert len(shown) == 1
    form = re.search(r'action="(/consultations/affirmations/\d+/vote/)"', page)
    assert form is not None
    response = client.post(form.group(1), {"value": "disagree"})
    assert response.status_code == 302
    assert Vote.objects.get(participant=person).value == Vote.Value.DISAGREE
    # The next page shows the other statement; after both, a message says everything is voted.
    page = _text(client.get(conversation.get_absolute_url()))
    other = next(s for s in statements if s != shown[0])
    assert other.text in page and shown[0].text not in page
    client.post(reverse("consultations:vote", args=[other.pk]), {"value": "pass"})
    # Voting again changes the vote, it never adds one.
    client.post(reverse("consultations:vote", args=[other.pk]), {"value": "agree"})
    assert Vote.objects.filter(participant=person).count() == 2
    page = _text(client.get(conversation.get_absolute_url()))
    assert "Vous avez voté sur toutes les affirmations publiées" in page
    # An unknown value is refused in French and records nothing.
    response = client.post(reverse("consultations:vote", args=[other.pk]), {"value": "oui"}, follow=True)
    assert "Choisissez « D'accord », « Pas d'accord » ou « Je passe »." in _text(response)
    assert client.post(reverse("consultations:vote", args=[other.pk]), {"value": "pass\x00"}).status_code == 400
    assert Vote.objects.get(participant=person, statement=other).value == Vote.Value.AGREE


@pytest.mark.django_db
def test_hidden_statements_and_closed_phases_take_no_vote(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    conversation = _conversation(quartier)
    hidden = Statement.objects.create(
        conversation=conversation, text="Propos injurieux.", status="hidden", moderation_reason="Injure"
    )
    client = client_for(UserFactory.create())
    assert client.post(reverse("consultations:vote", args=[hidden.pk]), {"value": "agree"}).status_code == 403
    page = _text(client.get(conversation.get_absolute_url()))
    assert "Motif : Injure" in page and "Propos injurieux." not in page
    closed = _conversation(quartier, kind="results")
    statement = _statements(closed, 1)[0]
    assert client.post(reverse("consultations:vote", args=[statement.pk]), {"value": "agree"}).status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_writing_a_statement_keeps_the_text_on_error(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    conversation = _conversation(quartier)
    client = client_for(UserFactory.create())
    url = reverse("consultations:statement_create", args=[conversation.pk])
    response = client.post(url, {"text": "Trop"})
    page = _text(response)
    assert response.status_code == 400
    assert "Votre affirmation est trop courte : 10 caractères au moins." in page and ">\nTrop</textarea>" in page
    long_text = "Des bancs " * 40
    page = _text(client.post(url, {"text": long_text}))
    assert "trop longue : 280 caractères au plus (vous en avez écrit 399)" in page
    assert long_text.strip() in page
    response = client.post(url, {"text": "Il faut   plus de bancs sur la place."})
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.text == "Il faut plus de bancs sur la place." and statement.status == "published"
    response = client.post(url, {"text": "Il faut plus de bancs sur la place."})
    assert response.status_code == 400
    assert "Cette affirmation existe déjà dans la conversation." in _text(response)
    # Moderation before publication: the statement waits, and is not offered to vote.
    before = _conversation(quartier, moderation="before")
    client.post(reverse("consultations:statement_create", args=[before.pk]), {"text": "Une fontaine à eau potable."})
    waiting = Statement.objects.get(conversation=before)
    assert waiting.status == "pending"
    assert waiting.text not in _text(client.get(before.get_absolute_url()))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_20_parallel_votes_of_one_person_leave_one_row(quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    conversation = _conversation(quartier)
    statement = _statements(conversation, 1)[0]
    person = UserFactory.create()
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def worker(value: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            services.vote_cast(participant=person, statement=Statement.objects.get(pk=statement.pk), value=value)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=((i % 3) - 1,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Vote.objects.filter(participant=person, statement=statement).count() == 1


def _planted(conversation: Conversation, participants: int = 60, n_statements: int = 12) -> list[User]:
    statements = _statements(conversation, n_statements)
    people = UserFactory.create_batch(participants)
    planted = planted_conversation(
        participants=participants, statements=n_statements, votes=participants * n_statements, seed=3
    )
    m = planted.matrix
    Vote.objects.bulk_create(
        Vote(statement=statements[int(m.statement_ids[c])], participant=people[int(m.participant_ids[r])], value=int(v))
        for r, c, v in zip(m.rows, m.cols, m.values, strict=True)
    )
    return people


@pytest.mark.django_db
def test_map_page_describes_groups_and_your_position(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    conversation = _conversation(quartier)
    anonymous = _text(client_for(None).get(reverse("consultations:map", args=[conversation.pk])))
    assert "Pas encore assez de votes" in anonymous
    people = _planted(conversation)
    snapshot = store_map(conversation.pk)
    assert len(snapshot.data["groups"]) >= 2
    me = people[0]
    page = _text(client_for(me).get(reverse("consultations:map", args=[conversation.pk])))
    letter = "ABCDEFG"[snapshot.data["positions"][str(me.pk)][2]]
    assert f"Vos votes vous placent dans le groupe {letter}." in page
    assert "Là où nous sommes d'accord" in page and "Là où nous divergeons" in page
    assert page.count('<th scope="row">') == 12  # every statement in the table
    placed = sum(1 for place in snapshot.data["positions"].values() if place[2] >= 0)
    assert placed > 30 and page.count("<circle") + page.count("<rect") >= placed
    # Representative statements are said in words, with the group's share.
    assert re.search(r"\d+ % (ne )?sont (pas )?d'accord avec « Affirmation numéro \d+\. »", page)
    # The public page never carries who is where.
    assert "positions" not in page and not re.search(r"data-[a-z-]+=\"\d+\"", page)


@pytest.mark.django_db
def test_the_map_is_recomputed_at_most_once_per_batch(
    quartier: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(quartier)
    statements = _statements(conversation, 3)
    first, second = UserFactory.create(), UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(participant=first, statement=statements[0], value=1)
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert snapshot.votes_counted == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(participant=second, statement=statements[0], value=-1)
    snapshot.refresh_from_db()
    assert snapshot.votes_counted == 1  # within a minute and under 25 new votes: not yet
    OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=snapshot.computed_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(participant=second, statement=statements[1], value=1)
    snapshot.refresh_from_db()
    assert snapshot.votes_counted == 3  # a minute later, the map catches up


@pytest.mark.django_db
def test_personal_data_export_and_deletion(quartier: Territory) -> None:
    conversation = _conversation(quartier)
    people = _planted(conversation, participants=20, n_statements=8)
    me = people[0]
    Statement.objects.create(conversation=conversation, author=me, text="Ma propre affirmation.")
    store_map(conversation.pk)
    assert PERSONAL_DATA.export is not None and PERSONAL_DATA.anonymise is not None
    data = PERSONAL_DATA.export(me)
    assert [row["text"] for row in data["consultation_statements"]] == ["Ma propre affirmation."]
    assert len(data["consultation_votes"]) == Vote.objects.filter(participant=me).count() > 0
    PERSONAL_DATA.anonymise(me, "Participant·e supprimé·e")
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert str(me.pk) not in snapshot.data["positions"]
    assert str(people[1].pk) in snapshot.data["positions"]


@pytest.mark.django_db
def test_open_data_counts_votes_never_voters(quartier: Territory) -> None:
    conversation = _conversation(quartier)
    statement = _statements(conversation, 1)[0]
    Statement.objects.create(
        conversation=conversation, text="Masquée.", status="hidden", moderation_reason="Hors sujet"
    )
    for value in (1, 1, -1, 0):
        Vote.objects.create(statement=statement, participant=UserFactory.create(), value=value)
    rows = list(exports.statement_rows(None))
    assert rows == [
        {
            "conversation": conversation.pk,
            "question": conversation.question,
            "process": conversation.process.slug,
            "statement": statement.pk,
            "text": statement.text,
            "created_on": statement.created_at.date().isoformat(),
            "agree": 2,
            "disagree": 1,
            "pass": 1,
        }
    ]
    assert set(rows[0]) == set(exports.STATEMENT_FIELDS)
