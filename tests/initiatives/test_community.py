"""« Rejoindre », the time given and its attestation, the récits, and following an initiative
through the shared notifications."""

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
from apps.initiatives import community, selectors, services
from apps.initiatives.models import HelpOffer, Initiative, Step, TimeGiven
from apps.initiatives.personal_data import export
from apps.initiatives.review import annual_review
from apps.notifications.models import Notification
from apps.notifications.services import follow
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea, make_call, submitted

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
TODAY = datetime.date.today


def _joined(personas: Personas, quartier: Territory) -> tuple[Initiative, HelpOffer]:
    idea = file_idea(personas["resident"], quartier)
    offer = community.help_offer(
        person=personas["other_resident"], initiative=idea, skills="Menuiserie", contact="06 00 00 00 00"
    )
    return idea, offer


def _realised(personas: Personas, quartier: Territory) -> Initiative:
    idea = file_idea(personas["resident"], quartier, title="Une fresque sur le mur du gymnase")
    services.step_record(actor=personas["agent"], initiative=idea, kind=Step.Kind.REALISED, note="Inaugurée.")
    idea.refresh_from_db()
    return idea


def test_joining_tells_the_holder_and_happens_once(personas: Personas, quartier: Territory) -> None:
    idea, offer = _joined(personas, quartier)
    holder_news = Notification.objects.filter(user=personas["resident"])
    assert [n.title for n in holder_news] == [f"Quelqu'un propose son aide à « {idea.title} »"]
    with pytest.raises(ValidationError, match="déjà proposé"):
        community.help_offer(person=personas["other_resident"], initiative=idea, skills="Encore")
    with pytest.raises(ValidationError):  # the holder does not join their own project
        community.help_offer(person=personas["resident"], initiative=idea, skills="Tout")
    with pytest.raises(ValidationError, match="ce que vous pouvez apporter"):
        community.help_offer(person=personas["agent"], initiative=idea, skills="  ")
    assert HelpOffer.objects.get() == offer


def test_a_private_or_closed_project_takes_no_offer(personas: Personas, quartier: Territory) -> None:
    private = file_idea(personas["resident"], quartier, is_public=False)
    realised = _realised(personas, quartier)
    for idea in (private, realised):
        with pytest.raises(ValidationError):
            community.help_offer(person=personas["other_resident"], initiative=idea, skills="Peinture")


def test_join_page_keeps_what_was_typed_and_works_without_javascript(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea = file_idea(personas["resident"], quartier)
    client = client_for(personas["other_resident"])
    url = reverse("initiatives:join", kwargs={"pk": idea.pk})
    response = client.post(url, {"skills": "", "message": "Je passe le samedi.", "contact": "voisine@example.org"})
    assert response.status_code == 400
    page = body_of(response).decode()
    assert "Je passe le samedi." in page and "voisine@example.org" in page and "form-error-summary" in page
    response = client.post(url, {"skills": "Cuisine", "message": "Je passe le samedi.", "contact": ""})
    assert response.status_code == 302 and HelpOffer.objects.filter(initiative=idea).count() == 1
    detail = body_of(client.get(idea.get_absolute_url())).decode()
    assert "Vous avez proposé votre aide à ce projet." in detail and "1 personne a proposé son aide." in detail
    # The public sees how many joined, never who.
    public = body_of(client_for(None).get(idea.get_absolute_url())).decode()
    assert "1 personne a proposé son aide." in public and personas["other_resident"].display_name not in public


def test_time_is_recorded_by_the_holder_for_people_who_joined(personas: Personas, quartier: Territory) -> None:
    idea, _offer = _joined(personas, quartier)
    helper, holder = personas["other_resident"], personas["resident"]
    entry = community.time_record(
        actor=holder,
        initiative=idea,
        person=helper,
        day=TODAY(),
        hours=Decimal("2.5"),
        activity="Montage des bacs",
        skills="menuiserie, animation",
    )
    assert entry.hours == Decimal("2.50")
    bad = {"actor": holder, "initiative": idea, "activity": "x", "skills": "y"}
    with pytest.raises(ValidationError, match="n'a pas rejoint"):
        community.time_record(person=personas["elu"], day=TODAY(), hours=Decimal(1), **bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="futur"):
        community.time_record(
            person=helper,
            day=TODAY() + datetime.timedelta(days=2),
            hours=Decimal(1),
            **bad,  # type: ignore[arg-type]
        )
    with pytest.raises(ValidationError, match="quarts d'heure"):
        community.time_record(person=helper, day=TODAY(), hours=Decimal("1.1"), **bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        community.time_record(person=helper, day=TODAY(), hours=Decimal(25), **bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="enregistrent le temps"):
        community.time_record(
            actor=helper,
            initiative=idea,
            person=helper,
            day=TODAY(),
            hours=Decimal(1),
            activity="Moi-même",
            skills="x",
        )
    # An agent of the quartier records time too (the holder's own included).
    community.time_record(
        actor=personas["agent"],
        initiative=idea,
        person=holder,
        day=TODAY(),
        hours=Decimal(3),
        activity="Coordination",
        skills="organisation",
    )
    assert TimeGiven.objects.count() == 2


def test_the_time_page_shows_helpers_to_the_holder_and_keeps_typed_input(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea, _offer = _joined(personas, quartier)
    url = reverse("initiatives:time", kwargs={"pk": idea.pk})
    assert client_for(personas["other_resident"]).get(url).status_code == 403
    holder = client_for(personas["resident"])
    page = body_of(holder.get(url)).decode()
    assert "Menuiserie" in page and "06 00 00 00 00" in page
    assert personas["other_resident"].email not in page  # people by their public name only
    typed = {
        "person": personas["other_resident"].pk,
        "day": TODAY().strftime("%d/%m/%Y"),
        "hours": "deux",
        "activity": "Peinture du portail",
        "skills": "peinture",
    }
    response = holder.post(url, typed)
    assert response.status_code == 400
    assert "Peinture du portail" in body_of(response).decode() and "Indiquez un nombre" in body_of(response).decode()
    response = holder.post(url, {**typed, "hours": "1,75"})
    assert response.status_code == 302
    assert TimeGiven.objects.get().hours == Decimal("1.75")


def test_the_attestation_lists_hours_and_skills_for_the_person_only(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea, _offer = _joined(personas, quartier)
    helper = personas["other_resident"]
    for day, hours, skills in (
        (TODAY() - datetime.timedelta(days=3), "2.5", "Menuiserie, animation"),
        (TODAY(), "1", "animation, jardinage"),
    ):
        community.time_record(
            actor=personas["resident"],
            initiative=idea,
            person=helper,
            day=day,
            hours=Decimal(hours),
            activity="Chantier",
            skills=skills,
        )
    url = reverse("initiatives:attestation", kwargs={"pk": idea.pk})
    response = client_for(helper).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = body_of(response)
    assert pdf.startswith(b"%PDF")
    for text in (helper.display_name, "3,5 heures", "Menuiserie, animation, jardinage", "2,5 h"):
        assert text.encode() in pdf, text
    assert b"Journ" in pdf  # the time-given heading, not the sittings' one
    # Someone with no time on the project has no attestation; the anonymous are sent to log in.
    assert client_for(personas["resident"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    page = body_of(client_for(helper).get(idea.get_absolute_url())).decode()
    assert "Télécharger mon attestation (3,5 h données, PDF)" in page


def test_the_story_of_a_realised_project_is_told_and_followers_hear_of_it(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea = file_idea(personas["resident"], quartier, title="Une fresque sur le mur du gymnase")
    follow(user=personas["other_resident"], target=idea)
    text = "Vingt jeunes du quartier ont peint la fresque en trois samedis avec un artiste."
    with pytest.raises(ValidationError, match="une fois le projet réalisé"):
        community.story_tell(actor=personas["resident"], initiative=idea, story=text)
    services.step_record(actor=personas["agent"], initiative=idea, kind=Step.Kind.REALISED, note="Inaugurée.")
    titles = list(Notification.objects.filter(user=personas["other_resident"]).values_list("title", flat=True))
    assert titles == [f"« {idea.title} » est réalisée"]
    url = reverse("initiatives:story", kwargs={"pk": idea.pk})
    assert client_for(personas["other_resident"]).get(url).status_code == 403
    holder = client_for(personas["resident"])
    response = holder.post(url, {"story": "Trop court."})
    assert response.status_code == 400 and "Trop court." in body_of(response).decode()
    assert holder.post(url, {"story": text}).status_code == 302
    assert Notification.objects.filter(user=personas["other_resident"], title__startswith="Le récit").count() == 1
    stories = body_of(client_for(None).get(reverse("initiatives:stories"))).decode()
    assert idea.title in stories and "Vingt jeunes" in stories
    assert "Vingt jeunes" in body_of(client_for(None).get(idea.get_absolute_url())).decode()
    # A private realised project's story stays off the public list.
    Initiative.objects.filter(pk=idea.pk).update(is_public=False)
    assert list(selectors.stories()) == []


def test_followers_hear_of_the_decision(personas: Personas, quartier: Territory) -> None:
    call = make_call(personas["agent"], quartier, mode="open")
    idea = submitted(personas["resident"], quartier, call)
    follow(user=personas["other_resident"], target=idea)
    services.decision_record(
        actor=personas["agent"], initiative=idea, outcome="accepted", amount=Decimal(100), reasons="Conforme."
    )
    news = Notification.objects.filter(user=personas["other_resident"]).values_list("title", flat=True)
    assert list(news) == [f"Décision sur « {idea.title} » : Acceptée"]
    assert Notification.objects.filter(user=personas["resident"], title__startswith="Décision").count() == 1


def test_rgpd_export_and_deletion_of_offers_and_time(personas: Personas, quartier: Territory) -> None:
    idea, _offer = _joined(personas, quartier)
    helper = personas["other_resident"]
    community.time_record(
        actor=personas["resident"],
        initiative=idea,
        person=helper,
        day=TODAY(),
        hours=Decimal(2),
        activity="Chantier",
        skills="menuiserie",
    )
    data = export(helper)
    assert data["help_offers"][0]["contact"] == "06 00 00 00 00"
    assert data["time_given"][0] == {
        "initiative": idea.title,
        "day": TODAY().isoformat(),
        "hours": "2.00",
        "activity": "Chantier",
        "skills": "menuiserie",
    }
    account_delete(user=helper)
    assert not HelpOffer.objects.exists() and not TimeGiven.objects.exists()
    assert Initiative.objects.filter(pk=idea.pk).exists()


def test_the_annual_review_counts_delays_money_and_time_without_names(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    call = make_call(personas["agent"], quartier, mode="open")
    idea = submitted(personas["resident"], quartier, call, amount="250.00")
    services.referent_assign(actor=personas["agent"], initiative=idea, referent=personas["agent"])
    services.decision_record(
        actor=personas["agent"], initiative=idea, outcome="accepted", amount=Decimal("250.00"), reasons="Conforme."
    )
    community.help_offer(person=personas["other_resident"], initiative=idea, skills="Cuisine")
    community.time_record(
        actor=personas["resident"],
        initiative=idea,
        person=personas["other_resident"],
        day=TODAY(),
        hours=Decimal("4.5"),
        activity="Repas",
        skills="cuisine",
    )
    file_idea(personas["resident"], quartier, category="no_box")
    review = annual_review(TODAY().year)
    assert review.ideas == 2 and review.no_box == 1 and dict(review.by_channel)["En ligne"] == 2
    referent, _contact, decision = review.delays
    assert referent.count == 1 and referent.median_days is not None and decision.count == 1
    assert review.granted == Decimal("250.00") and review.hours == Decimal("4.50") and review.helpers == 1
    assert [(line.call, line.outcomes) for line in review.calls] == [(call, {"accepted": 1})]
    page = body_of(client_for(None).get(reverse("initiatives:review"))).decode()
    assert "250,00" in page or "250.00" in page
    assert "moins de 11 personnes" in page and personas["other_resident"].display_name not in page
    assert annual_review(TODAY().year - 1).ideas == 0
