"""Migrations 0002–0004 of notifications: follows of proposals become generic targets, with
no loss (same rows, same primary keys), and the other follows are untouched; the way back
restores the ``proposal`` column, and forward again today's code sees them."""

from __future__ import annotations

import pytest

from tests.factories import ProcessFactory, ProposalFactory, TerritoryFactory, UserFactory
from tests.migrations_kit import migrate as _migrate

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0004_follow_drop_proposal")]


def test_proposal_follows_become_generic_targets_and_back() -> None:
    # Proposals, processes, territories and accounts do not change: made with today's factories.
    quartier = TerritoryFactory.create(slug="quartier-migration")
    process = ProcessFactory.create(territory=quartier, slug="follow-migration")
    proposals = [ProposalFactory.create(process=process) for _ in range(3)]
    people = [UserFactory.create() for _ in range(3)]
    try:
        old = _migrate(BEFORE)
        Follow = old.get_model("notifications", "Follow")
        rows = {}
        for person in people:
            for proposal in proposals[:2]:
                follow = Follow.objects.create(user_id=person.pk, proposal_id=proposal.pk)
                rows[follow.pk] = ("proposal", person.pk, proposal.pk)
        by_process = Follow.objects.create(user_id=people[0].pk, process_id=process.pk)
        by_territory = Follow.objects.create(user_id=people[1].pk, territory_id=quartier.pk)

        new = _migrate(AFTER)
        Follow = new.get_model("notifications", "Follow")
        ContentType = new.get_model("contenttypes", "ContentType")
        proposal_type = ContentType.objects.get(app_label="proposals", model="proposal")
        assert Follow.objects.count() == len(rows) + 2
        for pk, (_kind, user_id, proposal_id) in rows.items():
            follow = Follow.objects.get(pk=pk)
            assert (follow.user_id, follow.target_type_id, follow.target_id) == (user_id, proposal_type.pk, proposal_id)
            assert follow.process_id is None and follow.territory_id is None
        assert Follow.objects.get(pk=by_process.pk).process_id == process.pk
        assert Follow.objects.get(pk=by_process.pk).target_type_id is None
        assert Follow.objects.get(pk=by_territory.pk).territory_id == quartier.pk

        # The way back: proposal follows are restored, same rows.
        back = _migrate(BEFORE)
        Follow = back.get_model("notifications", "Follow")
        assert sorted(
            Follow.objects.filter(proposal__isnull=False).values_list("pk", "user_id", "proposal_id")
        ) == sorted((pk, user_id, proposal_id) for pk, (_kind, user_id, proposal_id) in rows.items())
        assert Follow.objects.count() == len(rows) + 2
    finally:
        _migrate()

    # Forward again: today's selectors and fan-out see the migrated follows.
    from apps.notifications.models import Follow as CurrentFollow
    from apps.notifications.selectors import follows_of, is_following
    from apps.notifications.services import followers_of

    assert CurrentFollow.objects.filter(proposal=proposals[0]).count() == len(people)
    assert is_following(people[2], proposals[1]) and not is_following(people[2], proposals[2])
    assert [item.kind for item in follows_of(people[2])] == ["proposal", "proposal"]
    assert {people[0].pk, people[1].pk, people[2].pk} <= followers_of(proposals[0])
    assert followers_of(proposals[2]) >= {people[0].pk}  # through the process
