"""The agenda's rows in the RGPD « everywhere » test (``tests/accounts/test_rgpd_everywhere.py``):
``build(person)`` gives the person data in every personal field the module declares, so that the
export-then-delete test reaches them (found next to the module's code from its manifest)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.agenda.models import (
    AgendaItem,
    CalendarToken,
    Event,
    ItemSupport,
    Outcome,
    Registration,
    SignInCount,
    token_digest,
)
from apps.core.models import Territory
from apps.sittings.models import Sitting


def build(person: Any) -> None:
    territory = Territory.objects.create(name="Quartier du scénario RGPD", slug="quartier-scenario-rgpd-agenda")
    event = Event.objects.create(
        kind=Event.Kind.RENDEZ_VOUS,
        territory=territory,
        is_published=True,
        registration_enabled=True,
        created_by=person,
    )
    Sitting.objects.create(
        body=event, title="Rendez-vous", starts_at=timezone.now() + datetime.timedelta(days=5), place="Salle"
    )
    Registration.objects.create(
        event=event, user=person, status="confirmed", childcare=True, interpretation="tamoul", queued_at=timezone.now()
    )
    item = AgendaItem.objects.create(event=event, author=person, title="Un sujet à elle")
    ItemSupport.objects.create(item=item, user=person)
    CalendarToken.objects.create(user=person, digest=token_digest("scenario"))
    Outcome.objects.create(
        event=event, sequence="debat", title="Suite", link="proposal", link_url="/p/", created_by=person
    )
    SignInCount.objects.create(
        event=event, territory=territory, age_band="30-59", first_time=True, count=3, entered_by=person
    )
