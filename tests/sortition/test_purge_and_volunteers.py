"""RGPD purge with a frozen clock, and the call for volunteers that becomes the pool."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Process, Territory
from apps.sortition import services
from apps.sortition.engine import verify_report
from apps.sortition.models import Draw, VolunteerApplication
from apps.sortition.tasks import purge_expired_personal_data
from tests.conftest import Personas
from tests.factories import ProcessFactory, UserFactory
from tests.sortition.factories import DrawFactory

pytestmark = pytest.mark.django_db


def test_purge_waits_for_the_date_then_removes_everything_personal(make_draw: Callable[..., Draw]) -> None:
    draw = make_draw("drawn", purge_on=timezone.localdate() + datetime.timedelta(days=30))
    other = make_draw("pool_loaded", purge_on=timezone.localdate() + datetime.timedelta(days=90))
    report_before = draw.report
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29), tick=False):
        call_command("sortition_purge")
        assert not Draw.objects.filter(purged_at__isnull=False).exists()
        assert draw.members.exclude(personal={}).count() == 30
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        assert purge_expired_personal_data.call_local() == 1
    draw.refresh_from_db()
    assert draw.purged_at is not None
    assert not draw.members.exclude(personal={}).exists()
    assert other.members.exclude(personal={}).count() == 30  # its date has not come
    # What verification needs stays.
    assert draw.report == report_before and draw.members.filter(probability__isnull=True).count() == 0
    assert all(m.features and m.pseudonym for m in draw.members.all())
    assert draw.report is not None
    assert verify_report(draw.report, services.load_pool(draw)) == []
    assert AuditLogEntry.objects.filter(action="sortition.purge", target_id=str(draw.pk)).exists()
    # Nothing purged twice.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40), tick=False):
        assert services.purge_personal_data() == 0


CALL_QUOTAS = b"category,feature,min,max\ngenre,femme,2,2\ngenre,homme,2,2\nage,jeune,1,3\nage,senior,1,3\n"


@pytest.fixture
def call(personas: Personas, quartier: Territory) -> Draw:
    now = timezone.now()
    process = ProcessFactory.create(territory=quartier, slug="atelier-sante")
    process.phases.create(
        module="sortition",
        kind="volunteers",
        title="Appel à volontaires",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=10),
    )
    draw = DrawFactory.create(territory=quartier, process=process, panel_size=4, list_source=Draw.ListSource.VOLUNTEERS)
    services.quotas_import(actor=personas["agent"], draw=draw, categories=CALL_QUOTAS)
    draw.refresh_from_db()
    return draw


def test_volunteers_apply_and_become_the_pool(
    call: Draw, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("sortition:volunteer", kwargs={"slug": call.slug})
    assert client_for(None).get(url).status_code == 302
    resident = client_for(personas["resident"])
    page = resident.get(url).content.decode()
    assert "<legend>Genre" in page and 'value="femme"' in page
    response = resident.post(url, {"q0": "femme", "phone": "06 11 22 33 44"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Votre accord est nécessaire" in page and "Choisissez une réponse." in page
    assert 'value="06 11 22 33 44"' in page and "checked" in page
    assert (
        resident.post(url, {"q0": "femme", "q1": "jeune", "phone": "06 11 22 33 44", "consent": "on"}).status_code
        == 302
    )
    for index in range(7):
        user = UserFactory.create()
        services.volunteer_apply(
            user=user,
            draw=call,
            features={"genre": ("homme", "femme")[index % 2], "age": ("jeune", "senior")[index % 3 == 0]},
            consent=True,
        )
    assert VolunteerApplication.objects.filter(draw=call).count() == 8
    with pytest.raises(Exception):  # noqa: B017  (quotas are frozen once people applied)
        services.quotas_import(actor=personas["agent"], draw=call, categories=CALL_QUOTAS)
    agent = client_for(personas["agent"])
    assert agent.post(reverse("sortition_admin:pool_volunteers", kwargs={"pk": call.pk})).status_code == 302
    call.refresh_from_db()
    assert call.state == Draw.State.POOL_LOADED and call.members.count() == 8
    member = call.members.get(user=personas["resident"])
    assert member.features == {"genre": "femme", "age": "jeune"}
    assert member.personal["téléphone"] == "06 11 22 33 44"
    # The engine runs on the public pool file: pseudonyms and answers only.
    assert call.pool_csv.startswith("pool_member_identifier,genre,age\n") and call.pool_csv.count("\n") == 9
    assert f"{member.pseudonym},femme,jeune\n" in call.pool_csv
    assert personas["resident"].email not in call.pool_csv and "06 11" not in call.pool_csv
    assert f"v{member.pk}" not in call.pool_csv and services.load_pool(call).ids == tuple(
        sorted(call.members.values_list("pseudonym", flat=True))
    )
    # The call is closed once the pool is built.
    assert (
        client_for(personas["other_resident"]).post(url, {"q0": "femme", "q1": "jeune", "consent": "on"}).status_code
        == 403
    )


def test_no_application_outside_the_phase(
    call: Draw,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    freeze_phase: Callable[[Process, str], None],
) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20), tick=False):
        response = client_for(personas["resident"]).get(reverse("sortition:volunteer", kwargs={"slug": call.slug}))
        assert "n'est pas ouvert" in response.content.decode()


def test_process_page_links_to_the_call(call: Draw, client_for: Callable[[User | None], Client]) -> None:
    assert call.process is not None
    page = client_for(None).get(reverse("pages:process", kwargs={"slug": call.process.slug})).content.decode()
    assert reverse("sortition:volunteer", kwargs={"slug": call.slug}) in page
