"""Migrations 0002–0004 of notifications: follows of proposals become generic targets, with
no loss (same rows, same primary keys), and the other follows are untouched; the way back
restores the ``proposal`` column, and forward again today's code sees them.

One round trip (back, then forward): the follows are made with today's code, the way back must
turn them into the old ``proposal`` rows, and forward again those old rows must become generic
targets. Each trip through the migration graph costs seconds of PostgreSQL DDL, so the rows that
the way back leaves are the old rows that the way forward is tested on."""

from __future__ import annotations

import pytest

from apps.notifications.models import Follow as CurrentFollow
from apps.notifications.selectors import follows_of, is_following
from apps.notifications.services import follow, followers_of
from tests.factories import ProcessFactory, ProposalFactory, TerritoryFactory, UserFactory
from tests.migrations_kit import migrate as _migrate

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("notifications", "0001_initial")]


def test_proposal_follows_become_generic_targets_and_back() -> None:
    # Proposals, processes, territories and accounts do not change: made with today's factories.
    quartier = TerritoryFactory.create(slug="quartier-migration")
    process = ProcessFactory.create(territory=quartier, slug="follow-migration")
    proposals = [ProposalFactory.create(process=process) for _ in range(3)]
    people = [UserFactory.create() for _ in range(3)]
    for person in people:
        for proposal in proposals[:2]:
            assert follow(user=person, target=proposal)
    assert follow(user=people[0], process=process) and follow(user=people[1], territory=quartier)
    rows = {
        pk: (user_id, proposal_id)
        for pk, user_id, proposal_id in CurrentFollow.objects.filter(target_id__isnull=False).values_list(
            "pk", "user_id", "target_id"
        )
    }
    assert len(rows) == 6
    by_process = CurrentFollow.objects.get(process=process)
    by_territory = CurrentFollow.objects.get(territory=quartier)
    try:
        # The way back: proposal follows are restored, same rows; the others are kept.
        old = _migrate(BEFORE)
        Follow = old.get_model("notifications", "Follow")
        assert sorted(
            Follow.objects.filter(proposal__isnull=False).values_list("pk", "user_id", "proposal_id")
        ) == sorted((pk, user_id, proposal_id) for pk, (user_id, proposal_id) in rows.items())
        assert Follow.objects.count() == len(rows) + 2
        assert Follow.objects.get(pk=by_process.pk).process_id == process.pk
        assert Follow.objects.get(pk=by_territory.pk).territory_id == quartier.pk
    finally:
        new = _migrate()

    # Forward: the old proposal rows become generic targets, same keys; the others untouched.
    Follow = new.get_model("notifications", "Follow")
    ContentType = new.get_model("contenttypes", "ContentType")
    proposal_type = ContentType.objects.get(app_label="proposals", model="proposal")
    assert Follow.objects.count() == len(rows) + 2
    for pk, (user_id, proposal_id) in rows.items():
        moved = Follow.objects.get(pk=pk)
        assert (moved.user_id, moved.target_type_id, moved.target_id) == (user_id, proposal_type.pk, proposal_id)
        assert moved.process_id is None and moved.territory_id is None
    assert Follow.objects.get(pk=by_process.pk).process_id == process.pk
    assert Follow.objects.get(pk=by_process.pk).target_type_id is None
    assert Follow.objects.get(pk=by_territory.pk).territory_id == quartier.pk

    # Today's selectors and fan-out see the migrated follows.
    assert CurrentFollow.objects.filter(proposal=proposals[0]).count() == len(people)
    assert is_following(people[2], proposals[1]) and not is_following(people[2], proposals[2])
    assert [item.kind for item in follows_of(people[2])] == ["proposal", "proposal"]
    assert {people[0].pk, people[1].pk, people[2].pk} <= followers_of(proposals[0])
    assert followers_of(proposals[2]) >= {people[0].pk}  # through the process
