"""The initiatives part of the demo city: a call in each mode, ideas at every stage, people who
joined projects with their time attested, and realised projects with their récit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.initiatives.models import Call, HelpOffer, Initiative, Resource, TimeGiven

pytestmark = pytest.mark.django_db


def test_demo_city_initiatives_at_every_stage_with_stories(demo: None) -> None:
    assert set(Call.objects.values_list("mode", flat=True)) == {Call.Mode.JURY, Call.Mode.OPEN}
    stages = set(Initiative.objects.values_list("stage", flat=True))
    assert {"filed", "routing", "call", "funded", "realised"} <= stages
    assert Resource.objects.filter(is_published=True).exists()
    realised = Initiative.objects.filter(stage="realised")
    assert realised.exists() and all(len(i.story) > 200 and i.story_at for i in realised)
    assert HelpOffer.objects.count() >= 4 and TimeGiven.objects.filter(initiative__in=realised).exists()
    client = Client()
    page = client.get(reverse("initiatives:stories")).content.decode()
    assert all(i.title in page for i in realised)


def test_demo_city_directory_map_and_open_doors(demo: None) -> None:
    from apps.initiatives.models import Actor, OpenDoor

    published = Actor.objects.filter(state="published")
    assert published.filter(kind="resident").count() >= 3 and published.exclude(kind="resident").exists()
    assert Actor.objects.filter(state="pending").exists()  # something for the back office to validate
    assert OpenDoor.objects.count() >= 3
    client = Client()
    for name in ("initiatives:map", "initiatives:actors", "initiatives:open_doors"):
        assert client.get(reverse(name)).status_code == 200
    page = client.get(reverse("initiatives:actors")).content.decode()
    assert all(actor.name in page for actor in published) and "@" not in page.split("<main", 1)[1]
