"""Services of the councils module: seats, draws, renewals, replacements, meetings, decisions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import AuditLogEntry, Territory
from apps.councils import selectors, services
from apps.councils.models import College, Council, Decision, Membership
from apps.sortition.models import PoolMember
from tests.conftest import Personas
from tests.councils.factories import (
    DecisionFactory,
    DrawFactory,
    MeetingFactory,
    MembershipFactory,
    PoolMemberFactory,
)
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 15), 24) == datetime.date(2028, 11, 15)
    assert services.add_months(datetime.date(2026, 3, 1), -18) == datetime.date(2024, 9, 1)


def test_public_name_is_first_name_and_initial() -> None:
    assert services.public_name_from("Awa  Diallo") == "Awa D."
    assert services.public_name_from("Jean-Pierre de la Fontaine") == "Jean-Pierre F."
    assert services.public_name_from("Cher") == "Cher"


def test_council_create_by_agent_is_audited(personas: Personas, quartier: Territory) -> None:
    council = services.council_create(
        actor=personas["agent"],
        kind=Council.Kind.JURY,
        name="Bureau des projets",
        territory=quartier,
        mission="Choisir **ensemble**.",
        seats_elected=2,
        seats_volunteers=2,
        term_months=12,
    )
    assert council.slug == "bureau-des-projets"
    assert "<strong>ensemble</strong>" in council.mission_html
    assert AuditLogEntry.objects.filter(action="council.create", target_id=str(council.pk)).exists()


@pytest.mark.parametrize("persona", ["elu", "moderator", "resident", "admin_elsewhere"])
def test_council_create_refused_outside_agents_scope(personas: Personas, quartier: Territory, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.council_create(
            actor=personas.user(persona), kind=Council.Kind.JURY, name="Jury", territory=quartier, mission="M"
        )


def test_member_add_respects_the_seats_of_the_college(personas: Personas, council: Council) -> None:
    agent = personas["agent"]
    for index in range(council.seats_local_actors):
        membership = services.membership_add(
            actor=agent,
            council=council,
            college=College.LOCAL_ACTORS,
            origin=Membership.Origin.APPOINTED,
            full_name=f"Nadia Haddad{index}",
            term_start=TODAY,
        )
    assert membership.term_end == services.add_months(TODAY, 24)  # the council's 24-month term
    assert membership.public_name.startswith("Nadia H")
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=agent,
            council=council,
            college=College.LOCAL_ACTORS,
            origin=Membership.Origin.APPOINTED,
            full_name="Une de trop",
            term_start=TODAY,
        )
    assert "sont pourvus" in str(error.value.message_dict["college"])
    # The college without seats takes nobody either.
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=agent, council=council, college=College.ELECTED, origin="appointed", full_name="X Y", term_start=TODAY
        )


def test_ended_membership_frees_its_seat(personas: Personas, council: Council) -> None:
    members = MembershipFactory.create_batch(2, council=council, college=College.LOCAL_ACTORS)
    services.membership_end(actor=personas["agent"], membership=members[0], ended_on=TODAY)
    services.membership_add(
        actor=personas["agent"],
        council=council,
        college=College.LOCAL_ACTORS,
        origin="appointed",
        full_name="Claire Rivière",
        term_start=TODAY,
    )
    assert services.active_count(council, College.LOCAL_ACTORS) == 2


def test_term_must_end_after_it_starts(personas: Personas, council: Council) -> None:
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=personas["agent"],
            council=council,
            college=College.DRAWN,
            origin="drawn",
            full_name="Awa Diallo",
            term_start=TODAY,
            term_end=TODAY,
        )
    assert "term_end" in error.value.message_dict


def test_the_database_refuses_a_term_ending_before_it_starts(council: Council) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=council,
            college=College.DRAWN,
            origin="drawn",
            public_name="A. B.",
            term_start=TODAY,
            term_end=TODAY - datetime.timedelta(days=1),
        )


def test_one_active_membership_per_person(personas: Personas, council: Council) -> None:
    resident = personas["resident"]
    services.membership_add(
        actor=personas["agent"], council=council, college=College.DRAWN, origin="drawn", user=resident, term_start=TODAY
    )
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=personas["agent"],
            council=council,
            college=College.LOCAL_ACTORS,
            origin="appointed",
            user=resident,
            term_start=TODAY,
        )


def test_import_from_draw_confirmed_first_up_to_the_vacant_seats(
    personas: Personas, council: Council, quartier: Territory
) -> None:
    draw = DrawFactory.create(territory=quartier)
    selected = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.SELECTED)
    confirmed = PoolMemberFactory.create_batch(2, draw=draw, status=PoolMember.Status.CONFIRMED)
    declined = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.DECLINED)
    alternate = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.ALTERNATE, user=personas["resident"])
    purged = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.SELECTED, personal={})
    MembershipFactory.create(council=council, college=College.DRAWN)  # 3 seats left of 4

    created = services.memberships_import_from_draw(
        actor=personas["agent"], council=council, draw=draw, term_start=TODAY
    )
    assert [m.pool_member for m in created] == [*confirmed, selected]
    assert created[0].public_name == f"{confirmed[0].personal['first_name']} F."
    assert created[0].full_name.startswith("Tirée")
    assert all(m.origin == Membership.Origin.DRAWN and m.college == College.DRAWN for m in created)
    assert services.active_count(council, College.DRAWN) == 4
    with pytest.raises(ValidationError):  # full now
        services.memberships_import_from_draw(actor=personas["agent"], council=council, draw=draw, term_start=TODAY)
    assert not Membership.objects.filter(pool_member__in=[declined, alternate, purged]).exists()
    assert AuditLogEntry.objects.filter(action="council.members_import").get().details["count"] == 3


def test_import_uses_the_pseudonym_after_the_purge(personas: Personas, council: Council, quartier: Territory) -> None:
    draw = DrawFactory.create(territory=quartier)
    purged = PoolMemberFactory.create(draw=draw, personal={}, pseudonym="P-0042")
    [membership] = services.memberships_import_from_draw(
        actor=personas["agent"], council=council, draw=draw, term_start=TODAY
    )
    assert membership.pool_member == purged
    assert membership.public_name == "P-0042"


def test_import_refuses_a_draw_of_another_quartier(
    personas: Personas, council: Council, other_quartier: Territory
) -> None:
    draw = DrawFactory.create(territory=other_quartier)
    PoolMemberFactory.create(draw=draw)
    with pytest.raises(ValidationError) as error:
        services.memberships_import_from_draw(actor=personas["agent"], council=council, draw=draw, term_start=TODAY)
    assert "draw" in error.value.message_dict


def test_renewal_ends_the_terms_that_are_over_and_lists_vacant_seats(personas: Personas, council: Council) -> None:
    old = MembershipFactory.create_batch(
        2, council=council, term_start=TODAY - datetime.timedelta(days=730), term_end=TODAY
    )
    current = MembershipFactory.create(council=council, term_start=TODAY - datetime.timedelta(days=365))
    renewal = services.renewal_run(actor=personas["agent"], council=council, held_on=TODAY, note="Par moitié")
    assert renewal.ended_count == 2
    for membership in old:
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ENDED
        assert membership.ended_on == TODAY
        assert membership.renewal == renewal
    current.refresh_from_db()
    assert current.is_active
    drawn = next(row for row in selectors.composition(council) if row.college == College.DRAWN)
    assert (drawn.seats, drawn.filled, drawn.vacant) == (4, 1, 3)
    with pytest.raises(ValidationError):  # nothing left to renew
        services.renewal_run(actor=personas["agent"], council=council, held_on=TODAY)


def test_resignation_replaced_by_an_alternate_who_completes_the_term(
    personas: Personas, council: Council, quartier: Territory
) -> None:
    draw = DrawFactory.create(territory=quartier)
    alternate = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.ALTERNATE, user=personas["other_resident"])
    MembershipFactory.create_batch(3, council=council)
    leaving = MembershipFactory.create(council=council)  # the 4 drawn seats are all taken
    replacement = services.membership_resign(
        actor=personas["agent"], membership=leaving, resigned_on=TODAY, alternate=alternate
    )
    assert replacement is not None
    leaving.refresh_from_db()
    assert leaving.status == Membership.Status.RESIGNED
    assert leaving.replaced_by == replacement
    assert replacement.term_start == TODAY
    assert replacement.term_end == leaving.term_end
    assert replacement.user == personas["other_resident"]
    assert replacement.origin == Membership.Origin.DRAWN
    assert services.active_count(council, College.DRAWN) == 4
    # An alternate already seated cannot be used twice.
    other = MembershipFactory.create(council=council, college=College.LOCAL_ACTORS)
    with pytest.raises(ValidationError):
        services.membership_resign(actor=personas["agent"], membership=other, resigned_on=TODAY, alternate=alternate)


def test_resignation_with_a_named_replacement_or_none(personas: Personas, council: Council) -> None:
    actor = MembershipFactory.create(council=council, college=College.LOCAL_ACTORS, origin="appointed")
    replacement = services.membership_resign(
        actor=personas["agent"], membership=actor, resigned_on=TODAY, replacement_name="Odile Pichon"
    )
    assert replacement is not None and replacement.public_name == "Odile P."
    assert replacement.origin == Membership.Origin.APPOINTED
    assert services.membership_resign(actor=personas["agent"], membership=replacement, resigned_on=TODAY) is None


@pytest.mark.parametrize("persona", ["elu", "moderator", "resident", "admin_elsewhere"])
def test_only_agents_of_the_territory_manage_members(personas: Personas, council: Council, persona: str) -> None:
    membership = MembershipFactory.create(council=council)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=personas.user(persona), membership=membership, ended_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.renewal_run(actor=personas.user(persona), council=council, held_on=TODAY)


def test_council_update_cannot_cut_seats_below_sitting_members(personas: Personas, council: Council) -> None:
    MembershipFactory.create_batch(3, council=council)
    with pytest.raises(ValidationError) as error:
        services.council_update(actor=personas["agent"], council=council, seats_drawn=2)
    assert "seats_drawn" in error.value.message_dict
    updated = services.council_update(actor=personas["agent"], council=council, seats_drawn=3, name="Conseil renommé")
    assert updated.seats_drawn == 3
    assert updated.slug == "conseil-citoyen-malakoff"  # a rename keeps the public address


def test_attendance_and_the_attestation_sessions(personas: Personas, council: Council) -> None:
    present = MembershipFactory.create(council=council)
    excused = MembershipFactory.create(council=council)
    later = MembershipFactory.create(council=council, term_start=timezone.localdate())
    meeting = MeetingFactory.create(council=council)
    grid = [membership for membership, _status in selectors.attendance_grid(meeting)]
    assert later not in grid and present in grid
    count = services.attendance_record(
        actor=personas["agent"], meeting=meeting, statuses={present.pk: "present", excused.pk: "excused"}
    )
    assert count == 1
    assert selectors.attended_sessions(present) == [(timezone.localtime(meeting.starts_at).date(), meeting.title)]
    assert selectors.attended_sessions(excused) == []
    # Re-recording replaces the rows; a member not sitting that day is refused.
    services.attendance_record(actor=personas["agent"], meeting=meeting, statuses={present.pk: "absent"})
    assert present.attendances.get().status == "absent"
    with pytest.raises(ValidationError):
        services.attendance_record(actor=personas["agent"], meeting=meeting, statuses={later.pk: "present"})


def test_meeting_publication_is_audited(personas: Personas, council: Council) -> None:
    meeting = services.meeting_create(
        actor=personas["agent"],
        council=council,
        title="Plénière",
        starts_at=timezone.now(),
        place="Maison de quartier",
    )
    services.meeting_update(actor=personas["agent"], meeting=meeting, minutes="*Adopté*", is_published=True)
    meeting.refresh_from_db()
    assert "<em>Adopté</em>" in meeting.minutes_html
    assert AuditLogEntry.objects.filter(action="council.meeting_publish").exists()


def test_jury_decision_needs_an_outcome(personas: Personas, council: Council) -> None:
    with pytest.raises(ValidationError) as error:
        services.decision_create(
            actor=personas["agent"],
            council=council,
            kind=Decision.Kind.DECISION,
            title="Jardin",
            text="Soutien",
            decided_on=TODAY,
        )
    assert "outcome" in error.value.message_dict


def test_decision_commitment_feeds_the_follow_up(personas: Personas, council: Council, quartier: Territory) -> None:
    process = ProcessFactory.create(territory=quartier)
    decision = DecisionFactory.create(council=council)
    commitment = services.decision_commit(
        actor=personas["agent"], decision=decision, process=process, title="Accès à l'eau du jardin"
    )
    decision.refresh_from_db()
    assert decision.commitment == commitment
    assert commitment.made_with_residents
    assert commitment.source == decision
    with pytest.raises(ValidationError):
        services.decision_commit(actor=personas["agent"], decision=decision, process=process, title="Encore")


def test_decision_commitment_refused_in_a_process_out_of_scope(
    personas: Personas, council: Council, other_quartier: Territory
) -> None:
    process = ProcessFactory.create(territory=other_quartier)
    decision = DecisionFactory.create(council=council)
    with pytest.raises(ValidationError):
        services.decision_commit(actor=personas["agent"], decision=decision, process=process, title="Ailleurs")
