"""Participation events: recorded by the modules' own services, with the snapshot of the
moment (issue 14, item 1); the snapshot outlives a move and the deletion of the account."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.accounts.models import User
from apps.accounts.rgpd.erase import account_delete
from apps.accounts.rgpd.export import account_export_data
from apps.core import participation
from apps.core.models import ParticipationEvent, Process, Territory
from apps.proposals import services as proposals
from tests.conftest import Personas
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _consenting(home: Territory) -> User:
    return UserFactory.create(home_territory=home, demographics_consent=True, age_band="18-29", gender="f")


def test_services_record_each_act_with_the_snapshot_of_the_moment(
    process_in_phase: Callable[..., Process],
    freeze_phase: Callable[[Process, str], None],
    quartier: Territory,
    other_quartier: Territory,
    personas: Personas,
) -> None:
    quartier.is_priority_area = True
    quartier.save()
    process = process_in_phase("collect")
    person = _consenting(quartier)
    no_consent = UserFactory.create(home_territory=other_quartier, age_band="75+", gender="m")
    proposal = proposals.proposal_create(author=person, process=process, title="Des bancs", body="Pour s'asseoir.")
    proposals.proposal_create(
        author=personas["agent"], process=process, title="Un abri", body="Sur papier.", paper_author_name="Lou"
    )
    proposals.comment_create(author=no_consent, proposal=proposal, body="D'accord.")
    freeze_phase(process, "support")
    assert proposals.support_add(user=no_consent, proposal=proposal)
    assert not proposals.support_add(user=no_consent, proposal=proposal)  # idempotent: no event

    rows = list(
        ParticipationEvent.objects.order_by("kind", "channel").values_list(
            "module",
            "kind",
            "channel",
            "territory_id",
            "priority_area",
            "age_band",
            "gender",
            "first_time",
            "person_id",
        )
    )
    assert rows == [
        ("proposals", "comment", "online", other_quartier.pk, False, "", "", True, no_consent.pk),
        ("proposals", "proposal", "online", quartier.pk, True, "18-29", "f", True, person.pk),
        ("proposals", "proposal", "paper", proposal.territory_id, True, "", "", None, None),
        ("proposals", "support", "online", other_quartier.pk, False, "", "", False, no_consent.pk),
    ]
    assert set(ParticipationEvent.objects.values_list("process_id", flat=True)) == {process.pk}


def test_a_move_and_a_deletion_leave_the_snapshot(quartier: Territory, other_quartier: Territory) -> None:
    person = _consenting(quartier)
    event = participation.record(module="proposals", kind="support", person=person)
    person.home_territory = other_quartier
    person.age_band = "30-44"
    person.save()
    event.refresh_from_db()
    assert (event.territory_id, event.age_band) == (quartier.pk, "18-29")

    exported = account_export_data(person)
    assert [row["kind"] for row in exported["participation_events"]] == ["support"]
    account_delete(user=person)
    event.refresh_from_db()
    assert event.person_id is None
    assert (event.territory_id, event.age_band, event.gender, event.first_time) == (quartier.pk, "18-29", "f", True)


def test_unknown_channels_are_refused() -> None:
    with pytest.raises(ValueError, match="channel"):
        participation.record(module="proposals", kind="proposal", person=None, channel="pigeon")
