"""The initiatives part of the demo city: a call in each mode, ideas at every stage, people who
joined projects with their time attested, and realised projects with their récit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.initiatives.models import Call, HelpOffer, Initiative, Resource, TimeGiven

pytestmark = pytest.mark.django_db


def test_demo_city_initiatives_at_every_stage_with_stories(demo: None) -> None:
    assert set(Call.objects.values_list("mode", flat=True)) == {Call.Mode.JURY, Call.Mode.OPEN, Call.Mode.SESSIONS}
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


def test_demo_city_sessions_closing_reports_and_delays(demo: None) -> None:
    """A session examined pro rata, the next gathering dossiers; realised projects closed by a
    validated report with a receipt; the open door's delays measured for the indicators."""
    import datetime

    from django.utils import timezone

    from apps.core.registry import get_manifest
    from apps.initiatives.models import Attachment, CallSession, ClosingReport

    examined = CallSession.objects.get(examined_at__isnull=False)
    assert examined.rule == CallSession.Rule.PRO_RATA and examined.granted == examined.available
    assert Initiative.objects.filter(session__isnull=False, session__examined_at__isnull=True).count() == 2
    validated = ClosingReport.objects.filter(state=ClosingReport.State.VALIDATED)
    assert validated.exists() and ClosingReport.objects.filter(state=ClosingReport.State.FILED).count() == 1
    assert Attachment.objects.filter(initiative__report__in=validated).count() == validated.count()
    manifest = get_manifest("initiatives")
    assert manifest is not None and manifest.service_delays is not None
    today = timezone.localdate()
    rows = list(manifest.service_delays(today - datetime.timedelta(days=365), today, None))
    for row in rows:  # the figures quoted in the note on the demo flow (pytest -s shows them)
        print(
            f"DELAY {row.key}: reached={row.reached} median={row.median_days} d waiting={row.waiting} "
            f"overdue={row.overdue} share={row.overdue_share}"
        )
    by_key = {row.key: row for row in rows}
    assert by_key["initiatives.referent"].reached > 0 and by_key["initiatives.decision"].reached > 0
    page = Client().get(reverse("indicators:index")).content.decode()
    assert "du dépôt au référent désigné" in page
