"""The services of the initiatives module: the open door, routing, calls, decisions, payments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from apps.core.models import Territory
from apps.initiatives import selectors, services
from apps.initiatives.forms import MoneyField
from apps.initiatives.models import Call, Channel, Decision, Initiative, Resource, Step
from tests.conftest import Personas
from tests.initiatives.factories import file_idea, make_call, seat_jury, submitted

pytestmark = pytest.mark.django_db


@override_settings(INITIATIVES_REFERENT_DAYS=3)
def test_an_idea_filed_online_promises_a_referent_by_the_city_deadline(personas: Personas, quartier: Territory) -> None:
    before = timezone.now()
    idea = file_idea(personas["resident"], quartier)
    assert idea.channel == Channel.ONLINE and idea.filed_by is None
    assert idea.helps == ["money", "equipment"]
    assert before + datetime.timedelta(days=3) <= idea.referent_due <= timezone.now() + datetime.timedelta(days=3)
    assert [step.kind for step in idea.steps.all()] == [Step.Kind.FILED]
    assert selectors.delays(idea, now=idea.referent_due + datetime.timedelta(seconds=1)).referent_overdue


def test_an_agent_files_for_someone_met_at_the_counter(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    idea = file_idea(
        None,  # type: ignore[arg-type]
        quartier,
        filed_by=agent,
        channel=Channel.COUNTER,
        holder_name="Mme Lefort",
        holder_contact="06 00 00 00 00",
    )
    assert idea.channel == Channel.COUNTER and idea.filed_by == agent and idea.holder is None
    assert idea.steps.get().actor == agent


@pytest.mark.parametrize("who", ["resident", "admin_elsewhere"])
def test_only_an_agent_of_the_quartier_files_offline(personas: Personas, quartier: Territory, who: str) -> None:
    with pytest.raises(ValidationError):
        file_idea(None, quartier, filed_by=personas[who], channel=Channel.PHONE, holder_name="M. X")  # type: ignore[arg-type]
    assert not Initiative.objects.exists()


def test_an_offline_idea_needs_the_holder_name(personas: Personas, quartier: Territory) -> None:
    with pytest.raises(ValidationError) as error:
        file_idea(None, quartier, filed_by=personas["agent"], channel=Channel.STREET)  # type: ignore[arg-type]
    assert "holder_name" in error.value.message_dict


def test_referent_contact_and_routing_are_timestamped(personas: Personas, quartier: Territory) -> None:
    agent, idea = personas["agent"], file_idea(personas["resident"], quartier)
    with pytest.raises(ValidationError):
        services.referent_assign(actor=agent, initiative=idea, referent=personas["elu"])
    idea = services.referent_assign(actor=agent, initiative=idea, referent=agent)
    assert idea.stage == Initiative.Stage.ROUTING and idea.referent_assigned_at is not None
    services.step_record(actor=agent, initiative=idea, kind=Step.Kind.CONTACT, note="Appel")
    idea.refresh_from_db()
    first = idea.first_reply_at
    services.step_record(actor=agent, initiative=idea, kind=Step.Kind.CONTACT, note="Rappel")
    idea.refresh_from_db()
    assert idea.first_reply_at == first  # the first contact is what the holder waited for
    with pytest.raises(ValidationError):
        services.step_record(actor=agent, initiative=idea, kind=Step.Kind.ROUTED)
    with pytest.raises(ValidationError):
        services.step_record(actor=agent, initiative=idea, kind=Step.Kind.DECISION, note="x")
    delays = selectors.delays(idea)
    assert delays.referent is not None and delays.first_contact is not None and delays.decision is None


def test_routing_points_to_the_help_asked_and_to_similar_ideas(
    personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    agent = personas["agent"]
    fund = Resource.objects.create(kind="money", name="Fonds", description="d", contact="Bureau", territory=None)
    Resource.objects.create(kind="room", name="Salle", description="d", contact="Accueil", territory=None)
    Resource.objects.create(
        kind="money", name="Fonds d'ailleurs", description="d", contact="c", territory=other_quartier
    )
    Resource.objects.create(kind="money", name="Caché", description="d", contact="c", is_published=False)
    idea = file_idea(personas["resident"], quartier, helps={"money"})
    assert list(selectors.resources_for(idea)) == [fund]
    lost = file_idea(personas["resident"], quartier, helps=set(), category="no_box")
    assert len(selectors.resources_for(lost)) == 2  # an idea that fits no box still sees the directory
    twin = file_idea(personas["other_resident"], quartier, title="Un potager partagé")
    file_idea(personas["other_resident"], quartier, title="Privé", is_public=False)
    assert selectors.similar_initiatives(idea) == [twin]
    services.step_record(actor=agent, initiative=idea, kind=Step.Kind.ROUTED, resources=[fund])
    assert "Fonds" in idea.steps.get(kind=Step.Kind.ROUTED).note


def test_submission_checks_the_call(personas: Personas, quartier: Territory, other_quartier: Territory) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call = make_call(agent, quartier)
    idea = file_idea(resident, quartier)
    with pytest.raises(ValidationError):
        services.initiative_submit(
            holder=personas["other_resident"], initiative=idea, call=call, amount_requested=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.initiative_submit(holder=resident, initiative=idea, call=call, amount_requested=Decimal("500.01"))
    with pytest.raises(ValidationError):
        services.initiative_submit(holder=resident, initiative=idea, call=call, amount_requested=Decimal("10.005"))
    closed = make_call(agent, quartier, opens_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.initiative_submit(holder=resident, initiative=idea, call=closed, amount_requested=Decimal(10))
    elsewhere = file_idea(resident, other_quartier)
    with pytest.raises(ValidationError):
        services.initiative_submit(holder=resident, initiative=elsewhere, call=call, amount_requested=Decimal(10))
    idea = services.initiative_submit(holder=resident, initiative=idea, call=call, amount_requested=Decimal("250.50"))
    assert idea.stage == Initiative.Stage.CALL and idea.amount_requested == Decimal("250.50")


def test_a_jury_decides_in_a_sitting_only_when_paritary(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier)
    idea = submitted(personas["resident"], quartier, call)
    sitting = services.jury_sitting_create(
        actor=agent, call=call, title="Jury", starts_at=timezone.now(), place="Mairie"
    )
    kwargs = {"actor": agent, "initiative": idea, "outcome": "accepted", "amount": Decimal(300), "reasons": "Utile."}
    with pytest.raises(ValidationError):
        services.decision_record(**kwargs)  # type: ignore[arg-type]  # no sitting
    seat_jury(agent, call, elus=2, residents=1)
    with pytest.raises(ValidationError, match="autant"):
        services.decision_record(**kwargs, sitting=sitting)  # type: ignore[arg-type]
    seat_jury(agent, call, elus=0, residents=1, batch="b")
    with pytest.raises(ValidationError):
        services.decision_record(**{**kwargs, "reasons": "  "}, sitting=sitting)  # type: ignore[arg-type]
    decision = services.decision_record(**kwargs, sitting=sitting)  # type: ignore[arg-type]
    call.refresh_from_db()
    idea.refresh_from_db()
    assert call.committed == Decimal("300.00") and idea.stage == Initiative.Stage.FUNDED and idea.decision_at
    assert decision.sitting == sitting
    with pytest.raises(ValidationError):
        services.decision_record(**kwargs, sitting=sitting)  # type: ignore[arg-type]  # one decision per dossier


def test_the_envelope_refuses_a_grant_it_cannot_pay(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN, budget="600.00")
    first = submitted(personas["resident"], quartier, call, amount="400.00")
    second = submitted(personas["other_resident"], quartier, call, amount="300.00")
    services.decision_record(
        actor=agent, initiative=first, outcome="accepted", amount=Decimal(400), reasons="Conforme."
    )
    with pytest.raises(ValidationError, match="il reste 200"):
        services.decision_record(
            actor=agent, initiative=second, outcome="accepted", amount=Decimal(300), reasons="Conforme."
        )
    refused = services.decision_record(
        actor=agent, initiative=second, outcome="redirected", amount=Decimal(300), reasons="Vers le fonds de quartier."
    )
    assert refused.amount == Decimal(0)
    second.refresh_from_db()
    assert second.stage == Initiative.Stage.ROUTING
    # The database refuses an overspent envelope whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(committed=Decimal("600.01"))


def test_conditions_must_be_stated_and_out_of_scope_agents_refused(
    personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN)
    idea = submitted(personas["resident"], quartier, call)
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=agent, initiative=idea, outcome="conditions", amount=Decimal(100), reasons="Oui."
        )
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=personas["admin_elsewhere"], initiative=idea, outcome="accepted", amount=Decimal(100), reasons="Oui."
        )
    assert not Decision.objects.exists()


def test_payments_never_exceed_the_grant(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN)
    idea = submitted(personas["resident"], quartier, call)
    decision = services.decision_record(
        actor=agent, initiative=idea, outcome="accepted", amount=Decimal("300.00"), reasons="Conforme."
    )
    today = timezone.localdate()
    services.payment_record(actor=agent, decision=decision, amount=Decimal("200.00"), paid_on=today, reference="M-1")
    with pytest.raises(ValidationError, match="100"):
        services.payment_record(
            actor=agent, decision=decision, amount=Decimal("100.01"), paid_on=today, reference="M-2"
        )
    services.payment_record(actor=agent, decision=decision, amount=Decimal("100.00"), paid_on=today, reference="M-2")
    decision.refresh_from_db()
    assert decision.paid == Decimal("300.00") and decision.payments.count() == 2


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("350", Decimal("350.00")),
        ("350,5", Decimal("350.50")),
        ("1 500,25", Decimal("1500.25")),
        ("0.1", Decimal("0.10")),
    ],
)
def test_money_is_parsed_to_cents(typed: str, parsed: Decimal) -> None:
    assert MoneyField().clean(typed) == parsed


@pytest.mark.parametrize("typed", ["12,345", "-5", "1e3", "NaN", "١٢٣", "12\x00", "9" * 30, "3,50 €"])
def test_money_refuses_what_is_not_euros(typed: str) -> None:
    from django import forms

    with pytest.raises(forms.ValidationError):
        MoneyField().clean(typed)


def test_a_jury_sitting_is_a_shared_sitting_of_the_call(personas: Personas, quartier: Territory) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier)
    sitting = services.jury_sitting_create(
        actor=agent, call=call, title="Jury", starts_at=timezone.now(), place="Mairie"
    )
    assert sitting.belongs_to(call) and list(call.sittings.all()) == [sitting]
    open_call = make_call(agent, quartier, mode=Call.Mode.OPEN)
    with pytest.raises(ValidationError):
        services.jury_sitting_create(actor=agent, call=open_call, title="Jury", starts_at=timezone.now(), place="M")


def test_a_grant_is_followed_as_an_initiative_habitante(
    personas: Personas, quartier: Territory, process_in_phase: Any
) -> None:
    from apps.followup.models import Commitment

    agent = personas["agent"]
    process = process_in_phase("collect")
    call = make_call(agent, quartier, mode=Call.Mode.OPEN, process=process)
    idea = submitted(personas["resident"], quartier, call)
    decision = services.decision_record(
        actor=agent, initiative=idea, outcome="accepted", amount=Decimal(100), reasons="Conforme."
    )
    commitment = Commitment.objects.get(process=process)
    assert commitment.source == decision and commitment.made_with_residents
    assert commitment.title.startswith("Initiative habitante : ")
    services.step_record(actor=agent, initiative=idea, kind=Step.Kind.REALISED, note="Fait le 12 mai.")
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.DONE and commitment.progress == 100
    other = make_call(agent, quartier, mode=Call.Mode.OPEN)  # no process: nothing to follow
    services.decision_record(
        actor=agent,
        initiative=submitted(personas["other_resident"], quartier, other),
        outcome="accepted",
        amount=Decimal(100),
        reasons="Conforme.",
    )
    assert Commitment.objects.count() == 1
