"""A ballot's participation event knows the envelope's process and the voter's snapshot, never
the choices; a database reader must not pair ballot events with ballots (issue 14: « no link
back to the content of a ballot »).

The vote of the budgets' secrecy attacks (40 different online ballots, 3 paper ones) is cast
through the real services, which record the events; each attack orders the ballot events and
the ballots the way a backup reader could — primary key, day, physical position (``ctid``),
writing transaction (``xmin``) — and pairs the i-th event with the i-th ballot: after the close
no attack may do better than chance. During the vote, the event is written in the ballot's
transaction: the same documented residual as the voter record (docs/BALLOT_SECRECY.md)."""

from __future__ import annotations

import pytest
from django.db import connection, models

from apps.core.models import ParticipationEvent, Territory
from tests.budgets.voting.test_secrecy_attacks import CHANCE_LIMIT, ONLINE, PAPER, Vote

pytestmark = pytest.mark.django_db


def _events(vote: Vote, order: str) -> list[int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id FROM core_participationevent WHERE process_id = %s AND kind = 'ballot' ORDER BY {order}",
            [vote.budget.process_id],
        )
        return [row[0] for row in cursor.fetchall()]


def _ballots(vote: Vote, order: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM budgets_ballot WHERE envelope_id = %s ORDER BY {order}", [vote.envelope.pk])
        return [row[0] for row in cursor.fetchall()]


def _score(vote: Vote, event_order: str, ballot_order: str) -> int:
    contents = vote.contents()
    people, ballots = _events(vote, event_order), _ballots(vote, ballot_order)
    assert len(people) == len(ballots) == ONLINE + len(PAPER)

    def right(pairs: list[tuple[int | None, int]]) -> int:
        return sum(1 for person, ballot in pairs if person and vote.truth[f"user:{person}"] == contents[ballot])

    return max(right(list(zip(people, ballots, strict=True))), right(list(zip(people, reversed(ballots), strict=True))))


# Each attack: how it orders the ballot events, and the ballots.
ATTACKS = {
    "primary key": ("id", "id"),
    "day then key": ("day, id", "id"),
    "physical order (ctid)": ("ctid", "ctid"),
    "writing transaction (xmin)": ("xmin::text::bigint, ctid", "xmin::text::bigint, ctid"),
}


def test_the_event_has_no_place_for_choices_nor_time() -> None:
    for field in ParticipationEvent._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field
        assert not isinstance(field, models.AutoField | models.BigAutoField), field
        related = field.related_model
        assert related is None or (not isinstance(related, str) and related._meta.app_label in {"core", "accounts"})


def test_ballot_events_pair_with_no_ballot_once_the_vote_is_closed(city: Territory, quartier: Territory) -> None:
    """One vote for every step (building it is the slow part)."""
    vote = Vote(city, quartier)
    events = ParticipationEvent.objects.filter(kind="ballot", process=vote.budget.process)
    # One event per voter, none for a change of ballot (some voters changed theirs).
    assert events.filter(channel="online", person__isnull=False).count() == ONLINE
    assert events.filter(channel="paper", person__isnull=True).count() == len(PAPER)
    # During the vote: random keys pair nobody; position and transaction do (documented
    # residual, as for voter records: docs/BALLOT_SECRECY.md, pinned here so the text follows).
    assert _score(vote, *ATTACKS["primary key"]) < CHANCE_LIMIT
    assert max(_score(vote, *ATTACKS[name]) for name in ("physical order (ctid)", "writing transaction (xmin)")) >= (
        CHANCE_LIMIT
    )

    before = set(events.values_list("pk", flat=True))
    snapshot = sorted(events.values_list("person_id", "day", "channel", "territory_id"), key=str)
    vote.close()
    assert not before & set(events.values_list("pk", flat=True)), "the close gives every ballot event a new key"
    assert sorted(events.values_list("person_id", "day", "channel", "territory_id"), key=str) == snapshot
    for name, (event_order, ballot_order) in ATTACKS.items():
        assert _score(vote, event_order, ballot_order) < CHANCE_LIMIT, name
