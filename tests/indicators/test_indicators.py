"""The indicators of a scope: representativeness against the reference with Wilson intervals,
the alert while a process is open (and only then), renewal, over-solicitation, answers and
commitments, and the counts of the modules that record no events."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Channel, ParticipationEvent, Process, Territory
from apps.indicators import selectors
from apps.indicators.models import ReferencePopulation
from tests.conftest import Personas, make_process_in_phase
from tests.factories import ProcessFactory, UserFactory
from tests.security.modules.indicators import reference_rows

pytestmark = pytest.mark.django_db


def _events(process: Process, territory: Territory, ages: dict[str, int], day: datetime.date) -> None:
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            module="proposals",
            kind="support",
            day=day,
            process=process,
            territory=territory,
            priority_area=territory.is_priority_area,
            age_band=age,
            gender="fm"[index % 2],
            channel=Channel.STREET,
        )
        for age, count in ages.items()
        for index in range(count)
    )


def test_young_people_missing_raise_an_alert_while_the_process_is_open(
    quartier: Territory, client_for: Callable[[User | None], Client], personas: Personas
) -> None:
    today = timezone.localdate()
    ReferencePopulation.objects.bulk_create(reference_rows(quartier, today.year - 1, 10000))
    process = make_process_in_phase("collect", territory=quartier)
    _events(process, quartier, {"18-29": 3, "30-44": 30, "45-59": 30, "60-74": 30, "75+": 7}, today)

    tables = {table.dimension: table for table in selectors.representativeness(selectors.Scope(today.year, process))}
    rows = {row.key: row for row in tables["age"].rows}
    assert rows["18-29"].under and rows["18-29"].participants is None
    assert not rows["45-59"].under
    low, high = rows["45-59"].ci_low, rows["45-59"].ci_high
    assert low is not None and high is not None and low < 30 < high
    assert rows["45-59"].reference_share == pytest.approx(16, abs=0.1)
    assert tables["age"].reference_year == today.year - 1
    assert "quartier" not in tables, "a quartier's process is compared with its quartier only"

    alerts = selectors.alerts([process])
    assert [(alert.group, alert.share) for alert in alerts] == [("18 à 29 ans", None)]
    page = client_for(personas["agent"]).get(reverse("indicators_admin:process", kwargs={"pk": process.pk}))
    text = page.content.decode()
    assert "18 à 29 ans" in text and "trop peu de participants pour être montrés" in text and "dans la rue" in text

    closed = ProcessFactory.create(territory=quartier, is_published=True)
    closed.phases.create(
        module="proposals",
        kind="collect",
        title="Fini",
        starts_at=timezone.now() - datetime.timedelta(days=60),
        ends_at=timezone.now() - datetime.timedelta(days=30),
    )
    _events(closed, quartier, {"18-29": 3, "30-44": 30, "45-59": 30, "60-74": 30, "75+": 7}, today)
    assert selectors.alerts([closed]) == []


def test_renewal_and_over_solicitation(quartier: Territory) -> None:
    today = timezone.localdate()
    this_year, last_year = datetime.date(today.year, 1, 10), datetime.date(today.year - 1, 3, 10)
    processes = [ProcessFactory.create(territory=quartier, is_published=True) for _ in range(3)]
    people = [UserFactory.create(home_territory=quartier) for _ in range(40)]
    rows = []
    for index, person in enumerate(people):
        if index < 25:  # took part last year
            rows.append(
                ParticipationEvent(module="proposals", kind="support", day=last_year, person=person, first_time=True)
            )
        if index >= 10:  # this year: 15 back, 15 new
            first = index >= 25
            for process in processes if index >= 20 else processes[:1]:  # 20 people in 3 processes
                rows.append(
                    ParticipationEvent(
                        module="proposals",
                        kind="support",
                        day=this_year,
                        person=person,
                        process=process,
                        first_time=first,
                    )
                )
                first = False
    ParticipationEvent.objects.bulk_create(rows)
    renewal = selectors.renewal(selectors.Scope(today.year))
    assert (renewal.participants, renewal.first_timers, renewal.returning) == (30, 15, 15)
    assert renewal.retention == pytest.approx(60)
    assert selectors.over_solicited(selectors.Scope(today.year)) == 20


def test_modules_without_events_still_count_by_their_manifest(quartier: Territory) -> None:
    """Councils record no events: their attendance comes from their manifest's counts."""
    from apps.core.participation import recording_modules

    assert {"proposals", "budgets", "sortition"} <= recording_modules()
    assert "councils" not in recording_modules()
    # An event of a module that does not record them is ignored (its counts are read instead).
    ParticipationEvent.objects.create(module="councils", kind="attendance", day=timezone.localdate())
    assert selectors.people(selectors.Scope(timezone.localdate().year)) == 0
