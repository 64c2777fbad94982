"""The initiatives module's part of the RGPD scenario (``tests/accounts/test_rgpd_everywhere.py``):
the person holds an idea, pledges to a project, and as an agent files, follows, decides, pays and
reconciles, joins a project, gives time to it and co-holds it, so that every declared link to
the account is exercised by the export and deletion."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone


def build(person: Any) -> None:
    from apps.initiatives.models import (
        Call,
        CoHolder,
        Decision,
        HelpOffer,
        Initiative,
        LedgerEntry,
        Payment,
        Pledge,
        Step,
        TimeGiven,
    )

    territory = person.home_territory
    now = timezone.now()
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel RGPD",
        slug="appel-rgpd",
        territory=territory,
        mode=Call.Mode.OPEN,
        budget=Decimal(1000),
        max_amount=Decimal(500),
        rules="r",
        criteria="c",
        opens_on=today,
        closes_on=today,
        decides_on=today + datetime.timedelta(days=1),
        match_ratio=Decimal(1),
        committed=Decimal(100),
        is_published=True,
    )
    common = {"description": "d", "place": "p", "territory": territory, "who": "w", "referent_due": now}
    held = Initiative.objects.create(
        title="Son idée", holder=person, holder_name=person.display_name, holder_contact="06 98 76 54 32", **common
    )
    Step.objects.create(initiative=held, kind=Step.Kind.FILED, at=now)
    handled = Initiative.objects.create(
        title="Une idée suivie",
        channel="counter",
        holder_name="M. X",
        filed_by=person,
        referent=person,
        call=call,
        stage=Initiative.Stage.FUNDED,
        **common,
    )
    Step.objects.create(initiative=handled, kind=Step.Kind.REFERENT, at=now, actor=person)
    decision = Decision.objects.create(
        initiative=handled,
        call=call,
        outcome="accepted",
        amount=Decimal(100),
        reasons="r",
        decided_by=person,
        decided_at=now,
        paid=Decimal(50),
    )
    Payment.objects.create(decision=decision, amount=Decimal(50), paid_on=today, reference="M-1", recorded_by=person)
    pledge = Pledge.objects.create(
        initiative=handled,
        donor=person,
        amount=Decimal(10),
        reference="AR-RGPD0001",
        state="received",
        received_at=now,
        received_by=person,
    )
    LedgerEntry.objects.create(initiative=handled, pledge=pledge, account="donors", amount=Decimal(-10))
    LedgerEntry.objects.create(initiative=handled, pledge=pledge, account="project", amount=Decimal(10))
    # « Rejoindre », time given, co-holding: the person's own, and those they recorded as a holder
    # for a neighbour (their acts in a role, kept with the emptied account).
    from apps.accounts.models import User

    neighbour = User.objects.create_user(email="voisine-rgpd@example.org", password=None, display_name="Voisine")
    HelpOffer.objects.create(initiative=handled, person=person, skills="Cuisine", message="m", contact="06 11 22 33 44")
    for giver, recorder in ((person, neighbour), (neighbour, person)):
        TimeGiven.objects.create(
            initiative=handled,
            person=giver,
            day=today,
            hours=Decimal(2),
            activity="a",
            skills="s",
            recorded_by=recorder,
        )
        CoHolder.objects.create(initiative=held if giver is neighbour else handled, person=giver, added_by=recorder)
    # The directory: her own entry, and an association a neighbour proposed that she validated as
    # an agent (her act in a role, kept with the emptied account); an open door she announced.
    from apps.initiatives.models import Actor, OpenDoor

    own = Actor.objects.create(
        kind="resident",
        name=person.display_name,
        skills="Couture",
        territory=territory,
        person=person,
        state="published",
    )
    association = Actor.objects.create(
        kind="association",
        name="Les Amis du square",
        skills="Jardinage",
        territory=territory,
        person=neighbour,
        state="published",
        moderated_by=person,
        moderated_at=now,
    )
    association.initiatives.add(held)
    _messages(person, neighbour, own, association, now)
    OpenDoor.objects.create(initiative=held, starts_at=now, place="Square", description="Venez voir", created_by=person)
    _closing(person, handled, call, now)


def _messages(person: Any, neighbour: Any, own: Any, association: Any, now: datetime.datetime) -> None:
    """A message she wrote to the association (her phone to answer her), one her entry received
    and she reported, and one to the association she handled as the quartier's agent."""
    from apps.initiatives.models import ActorMessage

    ActorMessage.objects.create(actor=association, sender=person, body="Bonjour", reply_to=person.display_name)
    ActorMessage.objects.create(
        actor=own, sender=neighbour, body="Bonjour à vous", reported_at=now, report_reason="Démarchage"
    )
    ActorMessage.objects.create(
        actor=association,
        sender=neighbour,
        body="Offre",
        reported_at=now,
        report_reason="Publicité",
        handled_at=now,
        handled_by=person,
        outcome="dismissed",
    )


def _closing(person: Any, handled: Any, call: Any, now: datetime.datetime) -> None:
    """A receipt the person uploaded, the closing report they filed and reviewed, a session they
    examined (as an agent)."""
    from apps.initiatives.models import Attachment, CallSession, ClosingReport

    # A stored name only: the scenario writes no file.
    Attachment.objects.create(
        initiative=handled, kind="receipt", label="Facture", uploaded_by=person, file="initiatives/justificatifs/x.pdf"
    )
    ClosingReport.objects.create(
        initiative=handled,
        done="Fait.",
        participants=3,
        spent=Decimal(100),
        granted=Decimal(100),
        filed_by=person,
        filed_at=now,
        state="validated",
        reviewed_by=person,
        reviewed_at=now,
    )
    today = timezone.localdate()
    CallSession.objects.create(
        call=call,
        title="Session RGPD",
        cutoff=today,
        examines_on=today,
        tranche=Decimal(100),
        examined_at=now,
        examined_by=person,
        available=Decimal(100),
        requested=Decimal(0),
        granted=Decimal(0),
        rule="full",
    )
