"""The module's rows in the RGPD « everywhere » test (tests/accounts/test_rgpd_everywhere.py):
``build(person)`` puts the person in every personal field petitions declare — a petition she
filed, her committee seat, her online signature and a paper signature she entered as an agent —
so that the export-then-delete test reaches them. Used by that test only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.core.models import Process, Territory
from apps.petitions.models import CommitteeMember, Petition, Signature


def build(person: Any) -> None:
    territory = Territory.objects.create(name="Quartier des pétitions", slug="quartier-des-petitions")
    process = Process.objects.create(
        title="Interpellation (scénario RGPD)", slug="interpellation-scenario-rgpd", summary="Résumé.",
        territory=territory, rules_open="o", rules_closed="c", rules_decider="d", rules_use="u",
        answer_due=timezone.localdate(),
    )  # fmt: skip
    now = timezone.now()
    petition = Petition.objects.create(
        title="Des bancs sur la place",
        body="Texte.",
        recipient="Le maire",
        territory=territory,
        author=person,
        process=process,
        threshold=10,
        verification="email",
        duration_days=30,
        answer_days=30,
        state=Petition.State.COLLECTING,
        published_at=now,
        closes_at=now + datetime.timedelta(days=30),
        committee_token="scenario",  # noqa: S106  (a fixed token of a test scenario, not a password)
    )
    CommitteeMember.objects.create(petition=petition, user=person, public_name=person.display_name)
    Signature.objects.create(
        petition=petition, user=person, person_key=f"u:{person.pk}", channel="online", signed_on=now.date()
    )
    Signature.objects.create(
        petition=petition, person_key="p:scenario", channel="paper", entered_by=person, signed_on=now.date()
    )
