"""The councils part of the demo city."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.councils.models import College, Council, Membership

pytestmark = pytest.mark.django_db


def test_demo_city_councils_and_the_voisin_attestation(demo: None) -> None:
    bellevue = Council.objects.get(slug="conseil-citoyen-bellevue")
    assert bellevue.territory.is_priority_area
    active = bellevue.memberships.filter(status=Membership.Status.ACTIVE)
    assert active.filter(college=College.DRAWN).count() == 12
    assert active.filter(college=College.LOCAL_ACTORS).count() == 4
    assert bellevue.renewals.count() == 1
    assert bellevue.memberships.filter(status=Membership.Status.ENDED, renewal__isnull=False).count() == 8
    assert bellevue.meetings.filter(is_published=True).exclude(minutes="").count() == 4
    jury = Council.objects.get(slug="bureau-des-projets")
    users = set(jury.memberships.values_list("user__email", flat=True))
    assert {"elue@demo.archipel.fr", "voisin@demo.archipel.fr"} <= users
    assert jury.decisions.filter(commitment__isnull=False).exists()

    client = Client()
    for council in (bellevue, jury):
        assert client.get(council.get_absolute_url()).status_code == 200
    voisin = User.objects.get(email="voisin@demo.archipel.fr")
    client.force_login(voisin)
    membership = jury.memberships.get(user=voisin)
    response = client.get(reverse("councils:attestation", kwargs={"slug": jury.slug, "pk": membership.pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
