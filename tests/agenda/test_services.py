"""The agenda's rules and services: places, waiting list, promotion, cancellation, reminders,
subjects and supports, outcomes, sign-in counts, open data and personal data."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.agenda import services
from apps.agenda.manifest import MANIFEST, event_rows, outcome_rows
from apps.agenda.models import AgendaItem, Event, Outcome, Registration
from apps.agenda.participation import REGISTRATION, SIGNIN, participation
from apps.core.models import Territory
from apps.notifications.models import Notification
from tests.agenda.conftest import MakeEvent
from tests.conftest import Personas
from tests.factories import CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(user_id: int) -> list[str]:
    return list(Notification.objects.filter(user_id=user_id).values_list("title", flat=True))


def test_places_then_waiting_list_then_promotion_on_cancel(make_event: MakeEvent) -> None:
    event = make_event(registration_enabled=True, capacity=2)
    people = [UserFactory.create() for _ in range(4)]
    statuses = [services.register(user=person, event=event).status for person in people]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]

    first = Registration.objects.get(event=event, user=people[0])
    services.registration_cancel(user=people[0], registration=first)

    by_user = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert by_user == {
        people[0].pk: "cancelled",
        people[1].pk: "confirmed",
        people[2].pk: "confirmed",  # the oldest waiting got the place…
        people[3].pk: "waiting",
    }
    assert any("Une place s'est libérée" in title for title in _titles(people[2].pk))  # …and is told
    assert not _titles(people[3].pk)


def test_registering_again_changes_needs_and_keeps_the_place(make_event: MakeEvent) -> None:
    event = make_event(registration_enabled=True, capacity=1)
    person, other = UserFactory.create(), UserFactory.create()
    services.register(user=person, event=event)
    services.register(user=other, event=event)
    again = services.register(user=person, event=event, childcare=True, interpretation=" tamoul ")
    assert (again.status, again.childcare, again.interpretation) == ("confirmed", True, "tamoul")
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_registration_is_closed_when_not_offered_past_or_unpublished(make_event: MakeEvent) -> None:
    person = UserFactory.create()
    for event in (
        make_event(),
        make_event(days=-1, registration_enabled=True),
        make_event(registration_enabled=True, is_published=False),
    ):
        with pytest.raises(PermissionDenied):
            services.register(user=person, event=event)


def test_capacity_never_shrinks_below_the_places_given_and_growing_promotes(
    make_event: MakeEvent, personas: Personas
) -> None:
    agent = personas["agent"]
    assert agent is not None
    event = make_event(registration_enabled=True, capacity=2)
    people = [UserFactory.create() for _ in range(3)]
    for person in people:
        services.register(user=person, event=event)
    with pytest.raises(ValidationError) as error:
        services.event_update(actor=agent, event=event, capacity=1)
    assert "2 personnes ont déjà une place confirmée" in str(error.value)
    services.event_update(actor=agent, event=Event.objects.get(pk=event.pk), capacity=3)
    assert Registration.objects.get(event=event, user=people[2]).status == "confirmed"


def test_cancelling_tells_everyone_registered_why(make_event: MakeEvent, personas: Personas) -> None:
    agent = personas["agent"]
    assert agent is not None
    event = make_event(registration_enabled=True, capacity=1)
    confirmed, waiting, unrelated = UserFactory.create(), UserFactory.create(), UserFactory.create()
    services.register(user=confirmed, event=event)
    services.register(user=waiting, event=event)
    with pytest.raises(ValidationError):
        services.event_cancel(actor=agent, event=event, reason="   ")
    services.event_cancel(actor=agent, event=event, reason="Salle inondée.")
    for person in (confirmed, waiting):
        notification = Notification.objects.get(user=person)
        assert notification.title.startswith("Annulé : « Rendez-vous citoyen de Malakoff »")
        assert notification.body == "Salle inondée."
        assert notification.url == event.get_absolute_url()
    assert not _titles(unrelated.pk)
    with pytest.raises(PermissionDenied):
        services.register(user=unrelated, event=Event.objects.get(pk=event.pk))


def test_an_agent_of_another_quartier_cannot_run_the_event(make_event: MakeEvent, personas: Personas) -> None:
    admin_elsewhere = personas["admin_elsewhere"]
    assert admin_elsewhere is not None
    event = make_event()
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=admin_elsewhere, event=event, reason="Non.")
    with pytest.raises(PermissionDenied):
        services.minutes_publish(actor=admin_elsewhere, event=event, minutes="Faux compte rendu.")


def test_reminders_go_once_to_confirmed_places_only(make_event: MakeEvent) -> None:
    soon = make_event(days=0.5, registration_enabled=True, capacity=1)
    later = make_event(days=3, registration_enabled=True)
    confirmed, waiting = UserFactory.create(), UserFactory.create()
    services.register(user=confirmed, event=soon)
    services.register(user=waiting, event=soon)
    services.register(user=waiting, event=later)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0  # claimed: never twice
    assert [t for t in _titles(confirmed.pk) if t.startswith("Rappel")]
    assert not _titles(waiting.pk)


def test_subjects_are_proposed_and_supported_before_the_meeting_only(make_event: MakeEvent) -> None:
    event = make_event()
    author, supporter = UserFactory.create(), UserFactory.create()
    item = services.item_propose(author=author, event=event, title="  Traversées  ", sequence="debat")
    assert item.title == "Traversées"
    assert services.item_support_toggle(user=supporter, item=item) is True
    assert AgendaItem.objects.get(pk=item.pk).support_count == 1
    assert services.item_support_toggle(user=supporter, item=item) is False
    assert AgendaItem.objects.get(pk=item.pk).support_count == 0
    with pytest.raises(ValidationError):
        services.item_propose(author=author, event=event, title="", sequence="debat")
    with pytest.raises(PermissionDenied):
        services.item_propose(author=author, event=make_event(days=-1), title="Trop tard")


def test_outcomes_are_linked_and_local(make_event: MakeEvent, personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    assert agent is not None
    event = make_event(days=-1)
    commitment = CommitmentFactory.create(territory=quartier)
    outcome = services.outcome_add(
        actor=agent, event=event, sequence="debat", title="Plateau", link="commitment", commitment=commitment
    )
    assert outcome.target_url == commitment.get_absolute_url()
    with pytest.raises(ValidationError) as error:
        services.outcome_add(actor=agent, event=event, sequence="debat", title="Sans suite", link="commitment")
    assert "Choisissez l'engagement suivi." in str(error.value)
    for url in ("https://ailleurs.example/", "//ailleurs.example/x", "javascript:alert(1)"):
        with pytest.raises(ValidationError):
            services.outcome_add(actor=agent, event=event, sequence="debat", title="X", link="proposal", link_url=url)
    other_item = services.item_propose(author=UserFactory.create(), event=make_event(), title="Ailleurs")
    with pytest.raises(ValidationError):
        services.outcome_add(
            actor=agent,
            event=event,
            sequence="debat",
            title="X",
            link="commitment",
            commitment=commitment,
            item=other_item,
        )
    assert Outcome.objects.filter(event=event).count() == 1


def test_signin_counts_feed_participation_and_open_data(
    make_event: MakeEvent, personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    agent = personas["agent"]
    assert agent is not None
    event = make_event(days=-2, registration_enabled=True)
    services.signin_record(
        actor=agent, event=event, counts={(quartier.pk, "30-59", True): 12, (other_quartier.pk, "60+", False): 3}
    )
    with pytest.raises(ValidationError):
        services.signin_record(actor=agent, event=event, counts={(quartier.pk, "centenaire", True): 1})
    day = timezone.localdate() - datetime.timedelta(days=2)
    rows = list(participation(day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)))
    signin = {(row.territory_id, row.count) for row in rows if row.kind == SIGNIN}
    assert signin == {(quartier.pk, 12), (other_quartier.pk, 3)}
    assert all(row.channel == "paper" for row in rows if row.kind == SIGNIN)
    assert not [row for row in rows if row.kind == REGISTRATION]  # nobody registered
    [exported] = [row for row in event_rows(None) if row["id"] == event.pk]
    assert exported["signin_total"] == 15


def test_open_data_holds_no_personal_data_and_no_draft(make_event: MakeEvent, personas: Personas) -> None:
    agent = personas["agent"]
    assert agent is not None
    public = make_event(registration_enabled=True)
    draft = make_event(is_published=False)
    person = UserFactory.create(email="secret-personne@example.org", display_name="Nom Secret")
    services.register(user=person, event=public, interpretation="arabe", childcare=True)
    services.item_propose(author=person, event=public, title="Un sujet")
    past = make_event(days=-1)
    services.outcome_add(
        actor=agent, event=past, sequence="debat", title="Non publié encore", link="proposal", link_url="/p/1/"
    )
    rows = list(event_rows(None))
    assert {row["id"] for row in rows} >= {public.pk} and draft.pk not in {row["id"] for row in rows}
    dumped = repr(rows)
    for secret in ("secret-personne", "Nom Secret", "arabe", str(person.pk) + ","):
        assert secret not in dumped
    [row] = [row for row in rows if row["id"] == public.pk]
    assert (row["registered"], row["items_proposed"], row["hybrid"]) == (1, 1, False)
    assert list(outcome_rows(None)) == []  # outcomes are public with the minutes only
    services.minutes_publish(actor=agent, event=past, minutes="Compte rendu.")
    assert [row["title"] for row in outcome_rows(None)] == ["Non publié encore"]
    assert set(MANIFEST.exports) == {"agenda_events", "agenda_outcomes"}


def test_personal_data_export_and_deletion_free_the_place(make_event: MakeEvent) -> None:
    from apps.accounts.rgpd import account_delete, account_export_data

    event = make_event(registration_enabled=True, capacity=1)
    person, next_in_line = UserFactory.create(), UserFactory.create()
    services.register(user=person, event=event, sign_language=True)
    services.register(user=next_in_line, event=event)
    services.calendar_token_renew(user=person)
    data = account_export_data(person)
    assert data["agenda_registrations"][0]["sign_language"] is True
    assert len(data["agenda_calendar"]) == 1
    account_delete(user=person)
    assert not Registration.objects.filter(user=person).exists()
    assert Registration.objects.get(user=next_in_line).status == "confirmed"
