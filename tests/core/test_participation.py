"""Participation figures: every module declares ``participation(start, end)`` in its manifest
and :func:`apps.core.participation.participation` merges them (counts by kind, day,
territory and channel; never who, never what was voted)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.budgets.models import Ballot, VoterRecord
from apps.core.models import Territory
from apps.core.participation import participation
from apps.core.registry import ParticipationCount, all_manifests
from apps.proposals.models import Support
from apps.sittings.models import Attendance, Sitting
from apps.sortition.models import Draw, VolunteerApplication
from tests.budgets.voting.factories import make_vote_budget
from tests.councils.factories import CouncilFactory, MeetingFactory, MembershipFactory
from tests.factories import CommentFactory, ProcessFactory, ProposalFactory, UserFactory
from tests.sortition.factories import DrawFactory
from tests.workshops.factories import add_member, make_workshop

pytestmark = pytest.mark.django_db


def _by_kind(rows: list[ParticipationCount]) -> dict[tuple[str, str, int | None], int]:
    totals: dict[tuple[str, str, int | None], int] = {}
    for row in rows:
        key = (row.kind, row.channel, row.territory_id)
        totals[key] = totals.get(key, 0) + row.count
    return totals


def test_every_module_declares_its_participation() -> None:
    declared = {manifest.name for manifest in all_manifests() if manifest.participation is not None}
    assert {"proposals", "budgets", "sortition", "workshops", "councils"} <= declared


def test_participation_merges_every_module_by_day_territory_and_channel(city: Territory, quartier: Territory) -> None:
    today = timezone.localdate()
    process = ProcessFactory.create(territory=quartier)
    online = ProposalFactory.create(process=process)
    ProposalFactory.create(process=process, author=None, is_paper=True, paper_author_name="Jean Papier")
    ProposalFactory.create(process=process, territory=None)  # counted in the process's territory
    Support.objects.create(proposal=online, user=UserFactory.create())
    CommentFactory.create(proposal=online)
    CommentFactory.create(proposal=online)
    # Budgets: two online voters and one paper voter in the quartier envelope.
    budget = make_vote_budget(city=city, quartier=quartier)
    envelope = budget.envelopes.get(territory=quartier)
    for user in (UserFactory.create(), UserFactory.create()):
        VoterRecord.objects.create(
            budget=budget, scope="quartier", envelope=envelope, user=user, territory=quartier, channel="online"
        )
    VoterRecord.objects.create(
        budget=budget, scope="quartier", envelope=envelope, paper_identity="x" * 64, territory=quartier, channel="paper"
    )
    Ballot.objects.create(envelope=envelope, receipt="R-1")
    # Sortition: one registration to a call for volunteers.
    call = DrawFactory.create(list_source=Draw.ListSource.VOLUNTEERS, territory=quartier)
    VolunteerApplication.objects.create(draw=call, user=UserFactory.create(), features={}, consent_at=timezone.now())
    # Workshops: two members present at a session today; councils: one present, one absent.
    workshop = make_workshop(territory=quartier)
    now = timezone.now()
    session = Sitting.objects.create(
        body=workshop, title="Séance", starts_at=now, ends_at=now + datetime.timedelta(hours=2), place="Mairie"
    )
    for _ in range(2):
        Attendance.objects.create(sitting=session, member=add_member(workshop, UserFactory.create()))
    council = CouncilFactory.create(territory=quartier)
    meeting = MeetingFactory.create(council=council, starts_at=now)
    Attendance.objects.create(sitting=meeting, member=MembershipFactory.create(council=council), status="present")
    Attendance.objects.create(sitting=meeting, member=MembershipFactory.create(council=council), status="absent")

    rows = participation(today, today)
    assert all(row.day == today for row in rows)
    totals = _by_kind(rows)
    q = quartier.pk
    assert totals[("proposal", "online", q)] == 2
    assert totals[("proposal", "paper", q)] == 1
    assert totals[("support", "online", q)] == 1
    assert totals[("comment", "online", q)] == 2
    assert totals[("ballot", "online", q)] == 2
    assert totals[("ballot", "paper", q)] == 1
    assert totals[("pool_registration", "online", q)] == 1
    # Workshop sessions (2) and council meetings (1 present) in the same quartier, same day.
    assert totals[("attendance", "meeting", q)] == 3
    # Merged: one row per kind, day, territory and channel.
    keys = [(row.kind, row.day, row.territory_id, row.channel) for row in rows]
    assert len(keys) == len(set(keys)) and keys == sorted(keys, key=lambda k: (k[0], k[1], k[2] or 0, k[3]))
    # Nothing outside the period.
    assert participation(today + datetime.timedelta(days=1), today + datetime.timedelta(days=7)) == []


def test_ballot_counts_come_from_voter_records_only(city: Territory, quartier: Territory) -> None:
    """A ballot without a voter record (they are never linked) is not what is counted."""
    budget = make_vote_budget(city=city, quartier=quartier)
    envelope = budget.envelopes.get(territory=quartier)
    Ballot.objects.create(envelope=envelope, receipt="R-2")
    today = timezone.localdate()
    assert [row for row in participation(today, today) if row.kind == "ballot"] == []
