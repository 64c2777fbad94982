"""The stored map's incremental state: each recomputation starts from the previous one (placed
participants stay placed, k-means from the last centres), a state that no longer fits the votes
is dropped for a computation from scratch, and an account deletion leaves no trace in it."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import numpy as np
import pytest
from django.db import connection, connections, transaction

from apps.accounts.models import User
from apps.accounts.rgpd.erase import account_delete
from apps.consultations import services
from apps.consultations.map_state import previous_map
from apps.consultations.mapping import lock_conversations, store_map, vote_matrix
from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.consultations.opinion.synthetic import planted_conversation
from apps.core.models import Territory
from tests.conftest import make_process_in_phase
from tests.factories import UserFactory


def _conversation(quartier: Territory) -> Conversation:
    process = make_process_in_phase("conversation", territory=quartier, module="consultations")
    return Conversation.objects.create(process=process, question="Que faire de la place ?")


def _planted(
    conversation: Conversation, participants: int = 90, n_statements: int = 6
) -> tuple[list[User], list[Statement]]:
    """Three planted groups; most people vote on every statement (so they are placed)."""
    statements = [
        Statement.objects.create(conversation=conversation, text=f"Affirmation {i}.") for i in range(n_statements)
    ]
    people = UserFactory.create_batch(participants)
    m = planted_conversation(
        participants=participants, statements=n_statements, votes=participants * n_statements, seed=5
    ).matrix
    Vote.objects.bulk_create(
        Vote(statement=statements[int(m.statement_ids[c])], participant=people[int(m.participant_ids[r])], value=int(v))
        for r, c, v in zip(m.rows, m.cols, m.values, strict=True)
    )
    return people, statements


def _placed_groups(snapshot: OpinionMapSnapshot) -> dict[str, int]:
    return {pk: int(place[2]) for pk, place in snapshot.data["positions"].items() if place[2] >= 0}


@pytest.mark.django_db
def test_successive_recomputations_keep_placed_participants_and_group_labels(quartier: Territory) -> None:
    conversation = _conversation(quartier)
    people, statements = _planted(conversation)
    first = store_map(conversation.pk)
    assert first.state["started_from"] == "no state"
    before = _placed_groups(first)
    assert len(before) > 40 and len(set(before.values())) >= 2
    assert sorted(first.state["placed"]) == sorted(int(pk) for pk in before)

    # A batch of votes: two new statements (the placement threshold rises from 6 to 7 votes), a
    # few people vote on them, a newcomer votes on three statements.
    added = [Statement.objects.create(conversation=conversation, text=f"Nouvelle {i}.") for i in range(2)]
    for person in people[:5]:
        for statement in added:
            Vote.objects.create(statement=statement, participant=person, value=Vote.Value.AGREE)
    newcomer = UserFactory.create()
    for statement in statements[:3]:
        Vote.objects.create(statement=statement, participant=newcomer, value=Vote.Value.DISAGREE)
    second = store_map(conversation.pk)
    assert second.state["started_from"] == "previous"
    after = _placed_groups(second)
    # Once placed, always placed: with 6 votes of 8 they would no longer be placed from scratch.
    assert set(before) <= set(after)
    fresh_placed = set(_placed_groups(store_map(conversation.pk, incremental=False)))
    assert not set(before) <= fresh_placed
    # The groups keep their labels: of those who did not vote in the batch, at most one in 20
    # (a borderline person: the axes moved with the new statements) changes group.
    voted = {str(person.pk) for person in people[:5]}
    moved = [pk for pk in before if pk not in voted and after[pk] != before[pk]]
    assert len(moved) <= len(before) // 20
    assert len(second.data["groups"]) == len(first.data["groups"])


@pytest.mark.django_db
def test_a_statement_moderated_out_falls_back_to_a_full_computation(
    quartier: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(quartier)
    _people, statements = _planted(conversation)
    store_map(conversation.pk)
    # Hiding it recomputes the stored map once the hiding commits: no vote needed for the map,
    # its representative and consensus statements to stop citing it.
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_hide(statement=statements[2], reason="Hors sujet")
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert snapshot.state["started_from"] == "statements removed"
    assert statements[2].pk not in snapshot.state["statements"]
    data = snapshot.data
    cited = [r["statement"] for group in data["groups"] for r in group["representative"]]
    cited += data["agreed"] + data["disagreed"] + data["divisive"] + [int(pk) for pk in data["weights"]]
    assert statements[2].pk not in cited
    # The same map as a computation asked from scratch.
    assert store_map(conversation.pk, incremental=False).data == snapshot.data


@pytest.mark.django_db
def test_account_deletion_removes_the_person_from_the_stored_state(quartier: Territory) -> None:
    conversation = _conversation(quartier)
    people, _statements = _planted(conversation)
    other = _conversation(quartier)  # a map the person is not on keeps its state
    _planted(other, participants=30)
    placed = store_map(conversation.pk).state["placed"]
    kept = store_map(other.pk).state
    person = next(p for p in people if p.pk in placed)

    account_delete(user=person)
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert snapshot.state == {}
    assert str(person.pk) not in snapshot.data["positions"]
    assert OpinionMapSnapshot.objects.get(conversation=other).state == kept
    assert not Vote.objects.filter(participant=person).exists()
    recomputed = store_map(conversation.pk)
    assert recomputed.state["started_from"] == "no state"
    assert person.pk not in recomputed.state["placed"]
    assert str(person.pk) not in recomputed.data["positions"]


@pytest.mark.django_db
def test_a_participant_gone_without_anonymisation_invalidates_the_state(quartier: Territory) -> None:
    """Votes deleted some other way (a script, the admin): the stored placed set no longer fits."""
    conversation = _conversation(quartier)
    _planted(conversation)
    state = store_map(conversation.pk).state
    Vote.objects.filter(participant_id=state["placed"][0]).delete()
    matrix, _n = vote_matrix(conversation.pk)
    assert previous_map(state, matrix) == (None, "participants removed")
    assert previous_map({**state, "version": 0}, matrix) == (None, "state version")
    previous, reason = previous_map(json.loads(json.dumps({**state, "placed": state["placed"][1:]})), matrix)
    assert reason == "previous" and previous is not None and previous.in_conversation is not None
    assert previous.components.shape == (2, len(state["statements"]))
    assert np.array_equal(np.sort(previous.in_conversation), np.sort(state["placed"][1:]))


@pytest.mark.django_db
def test_group_labels_follow_the_previous_map_not_the_group_sizes(quartier: Territory) -> None:
    """The engine numbers groups by size; the stored map keeps the previous map's names: here
    the previous map is made to call the two largest groups the other way round."""
    conversation = _conversation(quartier)
    _planted(conversation)
    snapshot = store_map(conversation.pk)
    engine_order = _placed_groups(snapshot)
    swapped = {0: 1, 1: 0}
    positions = {pk: [x, y, swapped.get(g, g)] for pk, (x, y, g) in snapshot.data["positions"].items()}
    sizes = [group["size"] for group in snapshot.data["groups"]]
    OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(data={**snapshot.data, "positions": positions})
    again = store_map(conversation.pk)
    assert _placed_groups(again) == {pk: swapped.get(g, g) for pk, g in engine_order.items()}
    assert [group["size"] for group in again.data["groups"]][:2] == sizes[1::-1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recomputations_follow_each_other(quartier: Territory) -> None:
    """Two tasks recomputing one conversation at once (the first map included): one waits for
    the other's lock and starts from the state it stored."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    conversation = _conversation(quartier)
    _planted(conversation, participants=40)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    started_from: list[str] = []

    def worker() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            started_from.append(store_map(conversation.pk).state["started_from"])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(started_from) == ["no state", "previous"]
    assert OpinionMapSnapshot.objects.filter(conversation=conversation).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_account_deletion_waits_for_a_recomputation_in_progress(quartier: Territory) -> None:
    """A recomputation holds its conversation's lock from reading the votes to storing the map:
    a deletion of a voter of that conversation waits for it, then scrubs what it stored."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    conversation = _conversation(quartier)
    people, _statements = _planted(conversation, participants=40)
    person = next(p for p in people if Vote.objects.filter(participant=p).count() >= 6)
    locked, released = threading.Event(), []
    finished: list[float] = []
    errors: list[BaseException] = []

    def recomputation() -> None:
        try:
            with transaction.atomic():
                lock_conversations([conversation.pk])
                locked.set()
                time.sleep(1.5)
                released.append(time.monotonic())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def deletion() -> None:
        try:
            locked.wait(timeout=60)
            account_delete(user=User.objects.get(pk=person.pk))
            finished.append(time.monotonic())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recomputation), threading.Thread(target=deletion)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert finished[0] >= released[0]
    assert not Vote.objects.filter(participant=person).exists()
