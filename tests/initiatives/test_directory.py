"""The directory of actors: a resident appears only by choosing to, chooses what shows and
withdraws at once; associations and collectives wait for an agent of their quartier; people are
written to through a form (rate-limited), and nobody's e-mail address ever shows."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.rgpd.erase import account_delete
from apps.core.models import Territory
from apps.core.registry import todo_items
from apps.initiatives import community, directory, directory_messages
from apps.initiatives.models import Actor, ActorMessage
from apps.initiatives.personal_data import export
from apps.notifications.models import Notification
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def _list(person: User, territory: Territory, **extra: object) -> Actor:
    data: dict[str, object] = {
        "name": "Bruno",
        "skills": "Couture, réparation de vélos",
        "description": "Disponible le samedi matin.",
        "territory": territory,
        "show_initiatives": False,
    }
    data.update(extra)
    return directory.resident_entry_save(person=person, **data)  # type: ignore[arg-type]


def _propose(person: User, territory: Territory, **extra: object) -> Actor:
    data: dict[str, object] = {
        "kind": "association",
        "name": "Les Amis du square Vertais",
        "skills": "Jardinage, compost",
        "description": "",
        "territory": territory,
        "website": "",
    }
    data.update(extra)
    return directory.organisation_propose(person=person, **data)  # type: ignore[arg-type]


def test_nobody_is_listed_without_choosing_to(personas: Personas, quartier: Territory, client_for: ClientFor) -> None:
    idea = file_idea(personas["resident"], quartier)
    community.help_offer(person=personas["other_resident"], initiative=idea, skills="Couture")
    page = body_of(client_for(None).get(reverse("initiatives:actors"))).decode()
    assert "Bruno Voisin" not in page and "Awa" not in page and "0 acteur" in page


def test_opting_in_through_the_form_shows_the_chosen_name_never_the_email(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    other = personas["other_resident"]
    client = client_for(other)
    url = reverse("initiatives:my_entry")
    form_page = body_of(client.get(url)).decode()
    assert "Bruno Voisin" in form_page  # the public name is offered, the person may change it
    response = client.post(url, {"name": "Bruno du 12", "skills": "Couture", "territory": quartier.pk})
    assert response.status_code == 302
    entry = Actor.objects.get(person=other)
    assert (entry.state, entry.kind, entry.name) == ("published", "resident", "Bruno du 12")
    for page_url in (reverse("initiatives:actors") + "?q=couture", entry.get_absolute_url()):
        page = body_of(client_for(None).get(page_url)).decode()
        assert "Bruno du 12" in page
        assert other.email not in page and "@" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_the_form_keeps_what_was_typed_and_refuses_an_email_as_name(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    client = client_for(personas["other_resident"])
    data = {"name": "bruno@example.org", "skills": "Traduction en arabe", "territory": quartier.pk}
    response = client.post(reverse("initiatives:my_entry"), data)
    assert response.status_code == 400
    page = body_of(response).decode()
    assert "ne peut pas contenir d&#x27;adresse e-mail" in page and "Traduction en arabe" in page
    assert not Actor.objects.exists()


def test_withdrawing_deletes_the_entry_at_once(personas: Personas, quartier: Territory, client_for: ClientFor) -> None:
    other = personas["other_resident"]
    entry = _list(other, quartier)
    client = client_for(other)
    response = client.post(reverse("initiatives:my_entry_withdraw"))
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=entry.pk).exists()
    assert client_for(None).get(reverse("initiatives:actor", kwargs={"pk": entry.pk})).status_code == 404


def test_editing_does_not_republish_an_entry_an_agent_took_down(personas: Personas, quartier: Territory) -> None:
    entry = _list(personas["other_resident"], quartier)
    directory.actor_moderate(agent=personas["agent"], actor=entry, publish=False)
    again = _list(personas["other_resident"], quartier, skills="Cuisine")
    assert (again.pk, again.state, again.skills) == (entry.pk, "refused", "Cuisine")
    assert not directory.published_actors().exists()


def test_linked_initiatives_show_only_with_consent(personas: Personas, quartier: Territory) -> None:
    other = personas["other_resident"]
    idea = file_idea(personas["resident"], quartier, title="Un atelier couture")
    private = file_idea(personas["resident"], quartier, title="Une idée discrète", is_public=False)
    community.help_offer(person=other, initiative=idea, skills="Couture")
    entry = _list(other, quartier)
    assert directory.linked_initiatives(entry) == [] and directory.actors_of(idea) == []
    entry = _list(other, quartier, show_initiatives=True)
    assert directory.linked_initiatives(entry) == [idea]
    assert directory.actors_of(idea) == [entry] and directory.actors_of(private) == []


def test_an_association_waits_for_an_agent_of_its_quartier(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: ClientFor
) -> None:
    resident = personas["resident"]
    mine = file_idea(resident, quartier, title="Des bacs potagers")
    someone_elses = file_idea(personas["other_resident"], quartier, title="Pas la mienne")
    proposed = _propose(resident, quartier, initiatives=[mine, someone_elses])
    # It links only to initiatives its proposer takes part in.
    assert list(proposed.initiatives.all()) == [mine]
    assert proposed.state == "pending" and not directory.published_actors().exists()
    url = reverse("initiatives:actor", kwargs={"pk": proposed.pk})
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["other_resident"]).get(url).status_code == 404
    assert client_for(resident).get(url).status_code == 200
    # Out of scope for the administrator of another quartier, and for élu·es.
    for outsider in ("admin_elsewhere", "elu"):
        with pytest.raises(ValidationError):
            directory.actor_moderate(agent=personas[outsider], actor=proposed, publish=True)
    # In the « À faire » inbox of the quartier's agents only.
    assert [item.label for _m, item in todo_items(personas["agent"])] == ["1 fiche de l'annuaire des acteurs à valider"]
    assert todo_items(personas["admin_elsewhere"]) == [] and todo_items(personas["elu"]) == []
    queue = client_for(personas["agent"]).get(reverse("initiatives_admin:actors"))
    assert "Les Amis du square Vertais" in body_of(queue).decode()
    response = client_for(personas["agent"]).post(
        reverse("initiatives_admin:actors"), {"actor": proposed.pk, "action": "publish"}
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.state, proposed.moderated_by) == ("published", personas["agent"])
    assert Notification.objects.filter(user=resident, title__contains="est publiée").exists()
    assert client_for(None).get(url).status_code == 200
    assert directory.actors_of(mine) == [proposed]
    # Its proposer takes it out; nobody else may.
    with pytest.raises(ValidationError):
        directory.organisation_withdraw(person=personas["other_resident"], actor=proposed)
    client_for(resident).post(reverse("initiatives:actor_withdraw", kwargs={"pk": proposed.pk}))
    assert not Actor.objects.filter(pk=proposed.pk).exists()


def test_search_by_skill_without_accents_and_by_quartier(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: ClientFor
) -> None:
    _list(personas["other_resident"], quartier, skills="Réparation de vélos")
    _list(personas["resident"], other_quartier, name="Awa", skills="Cuisine")
    assert [a.name for a in directory.published_actors(text="velo")] == ["Bruno"]
    assert [a.name for a in directory.published_actors(territory_id=other_quartier.pk)] == ["Awa"]
    page = body_of(client_for(None).get(reverse("initiatives:actors"), {"q": "cuisine", "quartier": "x"})).decode()
    assert "Awa" in page and "Bruno" not in page


def test_writing_to_an_entry_reaches_the_person_without_showing_addresses(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    other, resident = personas["other_resident"], personas["resident"]
    entry = _list(other, quartier)
    url = reverse("initiatives:actor_contact", kwargs={"pk": entry.pk})
    client = client_for(resident)
    page = body_of(client.get(url)).decode()
    assert other.email not in page
    response = client.post(url, {"message": "", "reply_to": "06 12 34 56 78"})
    assert response.status_code == 400 and "06 12 34 56 78" in body_of(response).decode()
    response = client.post(url, {"message": "Pouvez-vous nous aider samedi ?", "reply_to": "06 12 34 56 78"})
    assert response.status_code == 302
    note = Notification.objects.get(user=other)
    assert "Pouvez-vous nous aider samedi ?" in note.body and "06 12 34 56 78" in note.body
    assert resident.public_name in note.body and resident.email not in note.body
    # Nobody writes to themselves, and a pending entry takes no message.
    assert client_for(other).get(url).status_code == 403
    pending = _propose(resident, quartier)
    with pytest.raises(ValidationError):
        directory_messages.actor_contact(sender=other, actor=pending, message="Bonjour", reply_to="")


def test_the_contact_form_is_rate_limited(personas: Personas, quartier: Territory, client_for: ClientFor) -> None:
    entry = _list(personas["other_resident"], quartier)
    url = reverse("initiatives:actor_contact", kwargs={"pk": entry.pk})
    client = client_for(personas["resident"])
    statuses = [client.post(url, {"message": f"Message {n}", "reply_to": ""}).status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert Notification.objects.filter(user=personas["other_resident"]).count() == 10


def test_export_then_deletion(personas: Personas, quartier: Territory) -> None:
    other = personas["other_resident"]
    entry = _list(other, quartier, description="Disponible le samedi matin.")
    proposed = _propose(other, quartier)
    data = export(other)
    assert {row["name"] for row in data["directory"]} == {"Bruno", "Les Amis du square Vertais"}
    assert data["directory"][0]["description"] == "Disponible le samedi matin."
    account_delete(user=other)
    assert not Actor.objects.filter(pk__in=[entry.pk, proposed.pk]).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_opt_ins_make_one_entry(personas: Personas, quartier: Territory) -> None:
    """Two tabs (or a double click) opting in at once: one entry, the other told in French."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")
    person = personas["other_resident"]
    parallel = 8
    barrier = threading.Barrier(parallel)
    outcomes: list[str] = []

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            _list(person, quartier, skills=f"Couture {n}")
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append("already" if "déjà" in str(error) else repr(error))
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == parallel and set(outcomes) <= {"saved", "already"}, outcomes
    assert Actor.objects.filter(person=person).count() == 1


def test_a_message_is_kept_reported_by_its_recipient_and_an_agent_stops_its_sender(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    """The recipient reads the message from the notification's link (nobody else does, its sender
    included), reports it; the report waits in the inbox of the quartier's agents; an agent stops
    the sender, who is then told in French, what they typed kept."""
    other, resident, agent = personas["other_resident"], personas["resident"], personas["agent"]
    entry = _list(other, quartier)
    contact_url = reverse("initiatives:actor_contact", kwargs={"pk": entry.pk})
    writer = client_for(resident)
    assert writer.post(contact_url, {"message": "Achetez mes fenêtres !", "reply_to": ""}).status_code == 302
    kept = ActorMessage.objects.get()
    assert (kept.actor, kept.sender, kept.body) == (entry, resident, "Achetez mes fenêtres !")
    note = Notification.objects.get(user=other)
    assert note.url == kept.get_absolute_url()
    # Only the recipient opens it: the sender, an agent, anyone else get a 404; a visitor signs in.
    for persona in ("resident", "agent", "admin_elsewhere", "elu"):
        assert client_for(personas[persona]).get(note.url).status_code == 404, persona
    assert client_for(None).get(note.url).status_code == 302
    recipient = client_for(other)
    page = body_of(recipient.get(note.url)).decode()
    assert "Achetez mes fenêtres" in page and resident.public_name in page and resident.email not in page
    # A report without a reason: a French error; then reported, once.
    response = recipient.post(note.url, {"reason": " "})
    assert response.status_code == 400 and "Ce champ est obligatoire" in body_of(response).decode()
    assert recipient.post(note.url, {"reason": "Démarchage"}).status_code == 302
    assert recipient.post(note.url, {"reason": "Encore"}).status_code == 302  # a second tab: the first report stays
    assert "Vous avez signalé ce message" in body_of(recipient.get(note.url)).decode()
    kept.refresh_from_db()
    assert kept.reported_at is not None and kept.report_reason == "Démarchage"
    assert client_for(personas["resident"]).post(note.url, {"reason": "x"}).status_code == 404
    # The inbox of the quartier's agents, not of an agent elsewhere.
    reports_url = reverse("initiatives_admin:actor_messages")
    assert any(item.url == reports_url for _m, item in todo_items(agent))
    assert not any(item.url == reports_url for _m, item in todo_items(personas["admin_elsewhere"]))
    listing = body_of(client_for(agent).get(reports_url)).decode()
    assert "Achetez mes fenêtres" in listing and "Démarchage" in listing
    assert "Achetez" not in body_of(client_for(personas["admin_elsewhere"]).get(reports_url)).decode()
    refused = client_for(personas["admin_elsewhere"]).post(reports_url, {"message": kept.pk, "action": "block"})
    assert refused.status_code == 403
    # Stopped: the sender cannot write through the directory any more, told why, nothing lost.
    assert client_for(agent).post(reports_url, {"message": kept.pk, "action": "block"}).status_code == 302
    kept.refresh_from_db()
    assert kept.outcome == ActorMessage.Outcome.SENDER_BLOCKED and kept.handled_by == agent
    assert "suspendu vos messages" in body_of(writer.get(contact_url)).decode()
    response = writer.post(contact_url, {"message": "Et maintenant ?", "reply_to": ""})
    page = body_of(response).decode()
    assert response.status_code == 400 and "suspendu vos messages" in page and "Et maintenant" in page
    assert ActorMessage.objects.count() == 1
    # Handled once: the same report cannot be handled again; the inbox line is gone.
    response = client_for(agent).post(reports_url, {"message": kept.pk, "action": "dismiss"}, follow=True)
    assert "déjà traité" in body_of(response).decode()
    assert not any(item.url == reports_url for _m, item in todo_items(agent))


def test_messages_in_the_export_and_gone_with_the_sender_or_the_entry(personas: Personas, quartier: Territory) -> None:
    other, resident = personas["other_resident"], personas["resident"]
    entry = _list(other, quartier)
    directory_messages.actor_contact(sender=resident, actor=entry, message="Samedi ?", reply_to="06 01 02 03 04")
    sent = export(resident)["directory_messages"]
    received = export(other)["directory_messages"]
    assert [(m["direction"], m["body"], m["reply_to"]) for m in sent] == [("sent", "Samedi ?", "06 01 02 03 04")]
    assert [(m["direction"], m["from"]) for m in received] == [("received", resident.public_name)]
    account_delete(user=resident)
    assert not ActorMessage.objects.exists()
    directory_messages.actor_contact(sender=personas["agent"], actor=entry, message="Bonjour", reply_to="")
    account_delete(user=other)  # the entry goes, and its messages with it
    assert not ActorMessage.objects.exists()


def test_messages_are_deleted_after_a_year_except_a_waiting_report_and_a_running_stop(
    personas: Personas, quartier: Territory
) -> None:
    other, resident, agent = personas["other_resident"], personas["resident"], personas["agent"]
    entry = _list(other, quartier)

    def send(text: str) -> ActorMessage:
        return directory_messages.actor_contact(sender=resident, actor=entry, message=text, reply_to="")

    plain, waiting, dismissed, stopping = send("Bonjour"), send("Pub"), send("Pub 2"), send("Pub 3")
    for message in (waiting, dismissed, stopping):
        directory_messages.message_report(user=other, message=message, reason="Démarchage")
    directory_messages.message_handle(agent=agent, message=dismissed, block_sender=False)
    directory_messages.message_handle(agent=agent, message=stopping, block_sender=True)
    now = timezone.now()
    assert directory_messages.messages_purge(now) == 0  # nothing is a year old yet
    # A year and a day later: the plain and the dismissed messages go; the report no agent handled
    # stays, and so does the stop, which still runs (handled a day after it was sent).
    ActorMessage.objects.filter(pk=stopping.pk).update(handled_at=now + datetime.timedelta(days=1))
    later = now + datetime.timedelta(days=366)
    assert directory_messages.messages_purge(later) == 2
    assert not ActorMessage.objects.filter(pk__in=[plain.pk, dismissed.pk]).exists()
    assert set(ActorMessage.objects.values_list("pk", flat=True)) == {waiting.pk, stopping.pk}
    assert directory_messages.is_blocked(resident)
    # Once the stop is over, its message goes too.
    assert directory_messages.messages_purge(later + datetime.timedelta(days=2)) == 1
    assert set(ActorMessage.objects.values_list("pk", flat=True)) == {waiting.pk}
