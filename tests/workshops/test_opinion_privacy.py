"""Issue 8, item 6 (workshops): a draft citizen opinion and its revision history are not public.

Before publication, the recommendations, their votes and their revision history are for the
panel and the workshop's agents only. After publication, everyone reads the published text and
the history of versions, never the names of the members who wrote them.
Every persona, on every page and export that shows an opinion.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Territory
from apps.workshops.models import CitizenOpinion, Recommendation, RecommendationRevision, RecommendationVote, Workshop
from tests.conftest import Personas, body_of
from tests.workshops.factories import add_member, make_workshop

pytestmark = pytest.mark.django_db

DRAFT = "Brouillon-marqueur, fermer la rue Kervégan aux voitures"
PUBLISHED = "Texte-publié-marqueur, des rues scolaires apaisées"
AUTHOR = "Zéphyrine Rédactrice"
# persona → sees the drafts (and the authors' names)
READERS = {
    "anonymous": False,
    "other_resident": False,  # a resident who is not on the panel
    "resident": True,  # a panel member
    "agent": True,  # an agent of the workshop's territory
    "elu": False,  # élus read the opinion once published
    "moderator": False,
    "admin_elsewhere": False,  # an administrator of another territory
}
DRAFT_STATES = (CitizenOpinion.State.DRAFTING, CitizenOpinion.State.VOTING, CitizenOpinion.State.ADOPTED)


def _workshop(quartier: Territory, personas: Personas, state: str) -> tuple[Workshop, Recommendation]:
    workshop = make_workshop("opinion", territory=quartier, answerer=personas["elu"], state=state)
    member = add_member(workshop, personas["resident"], name="Awa Diallo")
    published = state == CitizenOpinion.State.PUBLISHED
    recommendation = Recommendation.objects.create(
        opinion=workshop.opinion,
        number=1,
        title="Rues scolaires",
        text=PUBLISHED if published else DRAFT,
        published_text=PUBLISHED if published else "",
        revision=2,
    )
    for number, text in ((1, DRAFT), (2, recommendation.text)):
        RecommendationRevision.objects.create(
            recommendation=recommendation,
            number=number,
            title="Rues scolaires",
            text=text,
            author=personas["resident"],
            author_label=AUTHOR,
        )
    RecommendationVote.objects.create(recommendation=recommendation, member=member, choice="for")
    return workshop, recommendation


def _pages(workshop: Workshop, recommendation: Recommendation) -> dict[str, str]:
    return {
        "workshop page": workshop.get_absolute_url(),
        "recommendation page": recommendation.get_absolute_url(),
        "back-office opinion": reverse("workshops_admin:opinion", kwargs={"pk": workshop.pk}),
        "open data CSV": reverse("opendata:export", kwargs={"name": "workshop_recommendations", "fmt": "csv"}),
        "open data JSON": reverse("opendata:export", kwargs={"name": "workshop_recommendations", "fmt": "json"}),
        "process open data": reverse(
            "opendata:process_export",
            kwargs={"slug": workshop.process.slug, "name": "workshop_recommendations", "fmt": "csv"},
        ),
    }


def _content(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        return ""
    return body_of(response).decode("utf-8")


@pytest.mark.parametrize("state", DRAFT_STATES)
@pytest.mark.parametrize("persona", list(READERS))
def test_draft_opinion_is_for_the_panel_and_its_agents(
    state: str, persona: str, quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    workshop, recommendation = _workshop(quartier, personas, state)
    client = client_for(personas[persona])
    seen = {name: _content(client, url) for name, url in _pages(workshop, recommendation).items()}
    leaked = [name for name, text in seen.items() if DRAFT in text or AUTHOR in text]
    if READERS[persona]:
        assert DRAFT in seen["workshop page"] and DRAFT in seen["recommendation page"]
        assert AUTHOR in seen["recommendation page"]  # the panel knows who wrote what
        assert "Brouillon non public" in seen["workshop page"]
        assert {"open data CSV", "open data JSON", "process open data"}.isdisjoint(leaked)
    else:
        assert leaked == [], leaked
        assert client.get(recommendation.get_absolute_url()).status_code == 404
    if persona == "anonymous":
        assert "sera publié ici une fois adopté par le panel" in seen["workshop page"]


@pytest.mark.parametrize("persona", list(READERS))
def test_published_opinion_shows_the_text_but_never_the_authors(
    persona: str, quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    workshop, recommendation = _workshop(quartier, personas, CitizenOpinion.State.PUBLISHED)
    client = client_for(personas[persona])
    seen = {name: _content(client, url) for name, url in _pages(workshop, recommendation).items()}
    assert PUBLISHED in seen["workshop page"] and PUBLISHED in seen["recommendation page"]
    assert PUBLISHED in seen["open data CSV"] and PUBLISHED in seen["open data JSON"]
    # The history of versions is public once published; who wrote them is the panel's business.
    assert DRAFT in seen["recommendation page"]
    authors = [name for name, text in seen.items() if AUTHOR in text]
    assert authors == (["recommendation page"] if READERS[persona] else []), authors
    # Open data never carries drafts.
    for name in ("open data CSV", "open data JSON", "process open data"):
        assert DRAFT not in seen[name], name
