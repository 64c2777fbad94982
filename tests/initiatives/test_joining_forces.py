"""Holders joining forces: a helper becomes co-holder (with the holder's rights on the project),
and an agent regroups two similar ideas — each with its permissions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.rgpd.erase import account_delete
from apps.core.models import Territory
from apps.initiatives import community, rules, services
from apps.initiatives.models import CoHolder, HelpOffer, Initiative
from apps.initiatives.personal_data import export
from apps.notifications.models import Notification
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea, make_call, submitted

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
TODAY = datetime.date.today


def test_a_helper_becomes_co_holder_with_the_holders_rights(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    holder, helper = personas["resident"], personas["other_resident"]
    idea = file_idea(holder, quartier, is_public=False)
    url = reverse("initiatives:co_holder", kwargs={"pk": idea.pk})
    # Nobody joined a private idea: the holder cannot make a stranger co-holder.
    with pytest.raises(ValidationError, match="n'a pas rejoint"):
        community.co_holder_add(actor=holder, initiative=idea, person=helper)
    Initiative.objects.filter(pk=idea.pk).update(is_public=True)
    idea.refresh_from_db()
    community.help_offer(person=helper, initiative=idea, skills="Comptabilité")
    assert not rules.can_see_progress(helper, idea)
    # The helper cannot promote themself, nor can another resident.
    assert client_for(helper).post(url, {"person": helper.pk}).status_code == 403
    response = client_for(holder).post(url, {"person": helper.pk})
    assert response.status_code == 302 and response["Location"] == reverse("initiatives:time", kwargs={"pk": idea.pk})
    assert CoHolder.objects.filter(initiative=idea, person=helper).exists()
    assert Notification.objects.filter(user=helper, title=f"Vous portez maintenant « {idea.title} »").exists()
    assert rules.can_see_progress(helper, idea) and rules.can_record_time(helper, idea)
    assert not rules.can_add_co_holder(helper, idea)  # a co-holder does not promote others
    # Twice is refused with a clear message, nothing typed is lost (a button).
    response = client_for(holder).post(url, {"person": helper.pk}, follow=True)
    assert "porte déjà le projet" in body_of(response).decode()
    assert client_for(holder).post(url, {"person": "abc"}).status_code == 302
    assert CoHolder.objects.count() == 1
    # RGPD: exported, and deleted with the account.
    assert export(helper)["co_held"][0]["initiative"] == idea.title
    account_delete(user=helper)
    assert not CoHolder.objects.exists()


def test_an_agent_regroups_two_ideas_whose_holders_join_forces(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    first = file_idea(personas["resident"], quartier, title="Un jardin dans la cour")
    second = file_idea(personas["other_resident"], quartier, title="Des bacs potagers dans la cour")
    community.help_offer(person=personas["elu"], initiative=second, skills="Arrosage")
    url = reverse("initiatives_admin:detail", kwargs={"pk": second.pk})
    data = {"action": "merge", "target": first.pk}
    # Residents, the élu·e (reader only) and the administrator of another quartier cannot regroup.
    for who in ("resident", "other_resident", "elu", "admin_elsewhere"):
        assert client_for(personas[who]).post(url, data).status_code in (403, 404), who
    response = client_for(personas["agent"]).post(url, {"action": "merge", "target": ""})
    assert response.status_code == 400 and "form-error-summary" in body_of(response).decode()
    assert client_for(personas["agent"]).post(url, data).status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first and second.stage == Initiative.Stage.CLOSED
    assert CoHolder.objects.filter(initiative=first, person=personas["other_resident"]).exists()
    assert HelpOffer.objects.filter(initiative=first, person=personas["elu"]).exists()
    assert rules.can_see_progress(personas["other_resident"], first)
    assert "Regroupée avec « Un jardin dans la cour »." in second.steps.values_list("note", flat=True)
    page = body_of(client_for(None).get(second.get_absolute_url())).decode()
    assert "a rejoint un projet proche" in page and first.get_absolute_url() in page
    # A private target is not named to those who may not see it; its holders still see the link.
    Initiative.objects.filter(pk=first.pk).update(is_public=False)
    page = body_of(client_for(None).get(second.get_absolute_url())).decode()
    assert "a rejoint un projet proche" in page and first.get_absolute_url() not in page
    assert "Un jardin dans la cour" not in page
    page = body_of(client_for(personas["resident"]).get(second.get_absolute_url())).decode()
    assert first.get_absolute_url() in page
    # A closed idea is no target, and a merged idea cannot be merged again.
    third = file_idea(personas["resident"], quartier, title="Un compost")
    with pytest.raises(ValidationError, match="close"):
        community.initiative_merge(actor=personas["agent"], source=third, target=second)
    with pytest.raises(ValidationError):
        community.initiative_merge(actor=personas["agent"], source=second, target=third)


def test_a_decided_dossier_is_not_regrouped(personas: Personas, quartier: Territory) -> None:
    call = make_call(personas["agent"], quartier, mode="open")
    decided = submitted(personas["resident"], quartier, call)
    services.decision_record(
        actor=personas["agent"],
        initiative=decided,
        outcome="redirected",
        amount=Decimal(0),
        reasons="Autre dispositif.",
    )
    decided.refresh_from_db()
    other = file_idea(personas["other_resident"], quartier)
    assert decided.stage == Initiative.Stage.ROUTING
    with pytest.raises(ValidationError, match="déjà décidé"):
        community.initiative_merge(actor=personas["agent"], source=decided, target=other)


def test_the_residents_of_a_jury_are_drawn_by_lot_through_the_sortition_selectors(
    personas: Personas, quartier: Territory, other_quartier: Territory, client_for: ClientFor
) -> None:
    from apps.initiatives.models import JuryMember
    from apps.sortition.models import PoolMember
    from tests.councils.factories import DrawFactory, PoolMemberFactory

    call = make_call(personas["agent"], quartier)
    draw = DrawFactory.create(territory=quartier)
    PoolMemberFactory.create(draw=draw, status=PoolMember.Status.CONFIRMED, user=personas["resident"])
    PoolMemberFactory.create(draw=draw, status=PoolMember.Status.DECLINED)
    anonymous = PoolMemberFactory.create(draw=draw, status=PoolMember.Status.CONFIRMED)
    PoolMemberFactory.create(draw=draw, status=PoolMember.Status.CONFIRMED)
    url = reverse("initiatives_admin:call", kwargs={"pk": call.pk})
    term = (TODAY() + datetime.timedelta(days=365)).strftime("%d/%m/%Y")
    data = {"action": "draw", "tirage-draw": draw.pk, "tirage-seats": "2", "tirage-term_end": term}
    for who in ("resident", "elu", "admin_elsewhere"):
        assert client_for(personas[who]).post(url, data).status_code in (403, 404), who
    response = client_for(personas["agent"]).post(url, {**data, "tirage-seats": "0"})
    assert response.status_code == 400 and "form-error-summary" in body_of(response).decode()
    assert client_for(personas["agent"]).post(url, data).status_code == 302
    drawn = list(call.jury.filter(designation=JuryMember.Designation.DRAWN).values_list("name", flat=True))
    # Who accepted sits, by public name or the draw's pseudonym; who declined does not.
    assert drawn == sorted([personas["resident"].public_name, f"Habitant·e tiré·e au sort {anonymous.pseudonym}"])
    assert all(m.college == JuryMember.College.RESIDENT for m in call.jury.all())
    elsewhere = DrawFactory.create(territory=other_quartier)
    with pytest.raises(ValidationError, match="territoire de l'appel"):
        services.jury_seats_from_draw(actor=personas["agent"], call=call, draw=elsewhere, seats=1, term_end=TODAY())
    open_call = make_call(personas["agent"], quartier, mode="open", title="Appel à agir")
    with pytest.raises(ValidationError, match="pas de jury"):
        services.jury_seats_from_draw(actor=personas["agent"], call=open_call, draw=draw, seats=1, term_end=TODAY())
