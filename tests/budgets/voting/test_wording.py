"""What the ballot says (issue 8, items 7 and 16, budget part): the account level the vote
requires in plain words, and an over-budget basket said as such."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Budget
from apps.budgets.voting import ballots, rules
from apps.core.models import Territory
from tests.budgets.voting.factories import make_vote_budget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "words"),
    [("email", "adresse électronique est confirmée"), ("verified", "identité et l'adresse ont été vérifiées")],
)
def test_rules_and_ballot_name_the_required_account(
    level: str,
    words: str,
    city: Territory,
    quartier: Territory,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    budget = make_vote_budget(city=city, quartier=quartier, slug=f"bp-{level}", required_verification=level)
    envelope = budget.envelopes.get(territory=None)
    assert words in rules.required_verification_text(budget)
    slug = budget.process.slug
    for url in (reverse("budgets:detail", kwargs={"slug": slug}), reverse("budgets:vote", kwargs={"slug": slug})):
        assert words in client_for(None).get(url).content.decode().replace("&#x27;", "'"), url
    voter = make_voter(verification="verified")
    ballot_url = reverse("budgets:ballot", kwargs={"slug": slug, "envelope_pk": envelope.pk})
    assert words in client_for(voter).get(ballot_url).content.decode().replace("&#x27;", "'")


def test_an_over_budget_basket_says_by_how_much(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], client_for: Callable[[User | None], Client]
) -> None:
    budget: Budget = make_vote_budget(city=city, quartier=quartier, slug="bp-panier", ballot_type="knapsack")
    envelope = budget.envelopes.get(territory=None)
    pks = [p.pk for p in ballots.ballot_projects(envelope)]  # 100 000 € of projects; 100 000 € envelope
    url = reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})
    client = client_for(make_voter())
    html = client.post(url, {"action": "total", "projets": pks[:3]}).content.decode()
    assert "Il reste <span" in html and '<span class="over-budget" data-total="over" hidden>' in html
    envelope.amount = 78_648
    envelope.save()
    html = client.post(url, {"action": "total", "projets": pks}).content.decode()
    assert 'Vous dépassez le budget de <span data-total="excess">21\xa0352</span> €' in html
    assert '<span data-total="remaining" hidden>' in html and "-21" not in html


def test_counts_agree_with_their_noun(
    city: Territory, quartier: Territory, make_voter: Callable[..., User], client_for: Callable[[User | None], Client]
) -> None:
    """« 1 points », « jusqu'à None projets »: plural forms through blocktranslate count."""
    ranked = make_vote_budget(city=city, quartier=quartier, slug="bp-rang", ballot_type="ranked", max_choices=None)
    html = client_for(None).get(reverse("budgets:detail", kwargs={"slug": ranked.process.slug})).content.decode()
    assert "None" not in html and "Vous classez les projets de votre choix" in html
    points = make_vote_budget(
        city=city,
        quartier=quartier,
        slug="bp-points",
        ballot_type="cumulative",
        points_per_voter=5,
        max_points_per_project=1,
    )
    html = client_for(None).get(reverse("budgets:detail", kwargs={"slug": points.process.slug})).content.decode()
    assert "Au plus 1 point par projet." in html and "Vous répartissez 5 points" in html
