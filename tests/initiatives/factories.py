"""Builders of the initiatives tests (through the services, so the data is what users make)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Territory
from apps.initiatives import services
from apps.initiatives.models import Call, Initiative, JuryMember


def file_idea(holder: User, territory: Territory, **extra: Any) -> Initiative:
    data: dict[str, Any] = {
        "title": "Des bacs potagers au pied de l'immeuble",
        "description": "Avec les voisin·es du 12, pour cultiver ensemble.",
        "place": "Allée des Tilleuls",
        "territory": territory,
        "who": "L'amicale de locataires",
        "category": "nature",
        "helps": {"money", "equipment"},
        "is_public": True,
        "holder": holder,
    }
    data.update(extra)
    return services.initiative_file(**data)


def make_call(
    agent: User, territory: Territory, *, mode: str = Call.Mode.JURY, budget: str = "1000.00", **extra: Any
) -> Call:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title": "Bureau des projets" if mode == Call.Mode.JURY else "Appel à agir",
        "slug": "",
        "territory": territory,
        "mode": mode,
        "budget": Decimal(budget),
        "max_amount": Decimal("500.00"),
        "rules": "Un projet collectif.",
        "criteria": "Ouvert à toutes et tous.",
        "opens_on": today - datetime.timedelta(days=10),
        "closes_on": today + datetime.timedelta(days=10),
        "decides_on": today + datetime.timedelta(days=30),
        "is_published": True,
    }
    data.update(extra)
    return services.call_create(actor=agent, **data)


def seat_jury(agent: User, call: Call, elus: int = 2, residents: int = 2, batch: str = "") -> None:
    term = timezone.localdate() + datetime.timedelta(days=365)
    for n in range(elus):
        services.jury_member_add(
            actor=agent,
            call=call,
            name=f"Élue {batch}{n}",
            college=JuryMember.College.ELU,
            designation=JuryMember.Designation.DESIGNATED,
            term_end=term,
        )
    for n in range(residents):
        services.jury_member_add(
            actor=agent,
            call=call,
            name=f"Habitant {batch}{n}",
            college=JuryMember.College.RESIDENT,
            designation=JuryMember.Designation.DRAWN,
            term_end=term,
        )


def submitted(holder: User, territory: Territory, call: Call, amount: str = "300.00", **extra: Any) -> Initiative:
    idea = file_idea(holder, territory, **extra)
    return services.initiative_submit(holder=holder, initiative=idea, call=call, amount_requested=Decimal(amount))
