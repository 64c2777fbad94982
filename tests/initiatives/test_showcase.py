"""The public map of initiatives (with its list: the text alternative and the page without
JavaScript) and the « portes ouvertes »: announced by holders, listed, in an iCal feed and in
the neighbourhood agenda through the manifest."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core import registry
from apps.core.models import Territory
from apps.initiatives import open_doors
from apps.initiatives.map import quartier_centre
from apps.initiatives.models import OpenDoor
from apps.notifications.models import Notification
from apps.notifications.services import follow
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.56, 47.2], [-1.54, 47.2], [-1.54, 47.22], [-1.56, 47.22], [-1.56, 47.2]]],
}


def _markers(response: object) -> list[dict[str, object]]:
    page = body_of(response).decode()  # type: ignore[arg-type]
    opening = '<script id="carte-points" type="application/json">'
    start = page.index(opening) + len(opening)
    return json.loads(page[start : page.index("</script>", start)])  # type: ignore[no-any-return]


def test_the_map_places_public_ideas_and_lists_them_all(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: ClientFor
) -> None:
    quartier.boundary = SQUARE
    quartier.save()
    here = file_idea(personas["resident"], quartier, title="Un composteur collectif", place="Derrière le gymnase")
    file_idea(personas["resident"], quartier, title="Une idée discrète", is_public=False)
    # At the street it names when the gazetteer knows it (accents and case ignored).
    street = file_idea(personas["resident"], other_quartier, title="Une fête de rue", place="rue des tilleuls")
    # No outline, no street the gazetteer knows: listed, not placed.
    there = file_idea(personas["resident"], other_quartier, title="Un tournoi de pétanque", place="Le boulodrome")
    response = client_for(None).get(reverse("initiatives:map"))
    page = body_of(response).decode()
    assert "Un composteur collectif" in page and "Un tournoi de pétanque" in page
    assert "Une idée discrète" not in page
    markers = _markers(response)
    by_title = {m["title"]: (m["lat"], m["lon"]) for m in markers}
    assert set(by_title) == {here.title, street.title}
    # At the quartier's centre, or the street's point, rounded like every public point.
    assert by_title[here.title] == (47.21, -1.55)
    assert by_title[street.title] == (47.2041, -1.5471)
    assert there.get_absolute_url() in page  # the list is the way in without JavaScript


def test_the_map_filters_by_quartier_and_theme(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: ClientFor
) -> None:
    file_idea(personas["resident"], quartier, title="Un composteur collectif", category="nature")
    file_idea(personas["resident"], quartier, title="Une fête de rue", category="culture")
    file_idea(personas["resident"], other_quartier, title="Un jardin partagé", category="nature")
    client = client_for(None)
    page = body_of(client.get(reverse("initiatives:map"), {"quartier": str(quartier.pk), "theme": "nature"})).decode()
    assert "Un composteur collectif" in page
    assert "Une fête de rue" not in page and "Un jardin partagé" not in page
    # A junk filter is dropped, the other one still applies.
    page = body_of(client.get(reverse("initiatives:map"), {"quartier": "x", "theme": "culture"})).decode()
    assert "Une fête de rue" in page and "Un composteur collectif" not in page


def test_a_broken_outline_does_not_break_the_map(quartier: Territory) -> None:
    quartier.boundary = {"type": "Polygon", "coordinates": "nope"}
    assert quartier_centre(quartier) is None


def _door(personas: Personas, quartier: Territory, days: int = 3) -> OpenDoor:
    idea = file_idea(personas["resident"], quartier, title="Un atelier vélo")
    return open_doors.open_door_announce(
        actor=personas["resident"],
        initiative=idea,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        ends_at=None,
        place="Cour de l'école Jean-Zay",
        description="Venez réparer votre vélo avec nous.",
    )


def test_holders_announce_open_doors_and_followers_hear_of_it(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea = file_idea(personas["resident"], quartier, title="Un atelier vélo")
    follow(user=personas["other_resident"], target=idea)
    url = reverse("initiatives:open_door_announce", kwargs={"pk": idea.pk})
    client = client_for(personas["resident"])
    when = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=14, minute=30)
    data = {"starts_at": "31/02/2020 25:00", "place": "Cour de l'école", "description": "Atelier ouvert"}
    response = client.post(url, data)
    assert response.status_code == 400 and "Cour de l&#x27;école" in body_of(response).decode()
    data["starts_at"] = when.strftime("%d/%m/%Y %H:%M")
    assert client.post(url, data).status_code == 302
    door = OpenDoor.objects.get()
    assert door.starts_at == when.replace(second=0, microsecond=0)
    assert Notification.objects.filter(user=personas["other_resident"], title__startswith="Portes ouvertes").exists()
    # Someone who only joined, or a stranger, may not announce.
    assert client_for(personas["other_resident"]).get(url).status_code == 403
    with pytest.raises(ValidationError, match="à venir"):
        open_doors.open_door_announce(
            actor=personas["resident"],
            initiative=idea,
            starts_at=timezone.now() - datetime.timedelta(days=1),
            ends_at=None,
            place="Cour",
            description="Trop tard",
        )


def test_open_doors_are_listed_in_the_feed_and_the_neighbourhood_agenda(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    door = _door(personas, quartier)
    page = body_of(client_for(None).get(reverse("initiatives:open_doors"))).decode()
    assert "Un atelier vélo" in page and "Cour de l&#x27;école Jean-Zay" in page
    feed = client_for(None).get(reverse("initiatives:open_doors_feed"))
    assert feed["Content-Type"].startswith("text/calendar")
    text = body_of(feed).decode()
    assert f"UID:initiatives-open-door-{door.pk}@" in text and "Portes ouvertes : Un atelier vélo" in text
    now = timezone.now()
    meetings = registry.public_meetings(now, now + datetime.timedelta(days=30), [quartier.pk])
    assert [m.key for m in meetings if m.key.startswith("initiatives-")] == [f"initiatives-open-door-{door.pk}"]
    # The agenda's quartier feed reads the manifest: the open door is there too.
    agenda_feed = client_for(None).get(reverse("agenda:quartier_feed", kwargs={"slug": quartier.slug}))
    assert f"initiatives-open-door-{door.pk}@" in body_of(agenda_feed).decode()


def test_a_private_idea_s_open_doors_stay_private(personas: Personas, quartier: Territory) -> None:
    door = _door(personas, quartier)
    door.initiative.is_public = False
    door.initiative.save()
    assert not open_doors.upcoming_open_doors().exists()
    now = timezone.now()
    assert not [m for m in registry.public_meetings(now, now + datetime.timedelta(days=30)) if "initiatives" in m.key]


def test_the_holder_cancels_and_nobody_else(personas: Personas, quartier: Territory, client_for: ClientFor) -> None:
    door = _door(personas, quartier)
    url = reverse("initiatives:open_door_cancel", kwargs={"pk": door.pk})
    assert client_for(personas["other_resident"]).post(url).status_code == 403
    assert client_for(personas["resident"]).post(url).status_code == 302
    assert not OpenDoor.objects.exists()


def test_the_map_directory_and_open_doors_have_a_fixed_query_budget(
    personas: Personas, quartier: Territory, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    from apps.initiatives import directory
    from tests.factories import UserFactory

    quartier.boundary = SQUARE
    quartier.save()
    for n in range(25):
        idea = file_idea(personas["resident"], quartier, title=f"Idée {n}", place=f"Lieu {n}")
        if n < 5:
            open_doors.open_door_announce(
                actor=personas["resident"],
                initiative=idea,
                starts_at=timezone.now() + datetime.timedelta(days=n + 1),
                ends_at=None,
                place="Square",
                description="Venez voir",
            )
        person = UserFactory.create(home_territory=quartier)
        directory.resident_entry_save(
            person=person,
            name=f"Voisin {n}",
            skills="Couture",
            description="",
            territory=quartier,
            show_initiatives=True,
        )
    client = client_for(None)
    for name in ("initiatives:map", "initiatives:actors", "initiatives:open_doors"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(name))
        assert response.status_code == 200
