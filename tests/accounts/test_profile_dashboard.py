"""Profile, "Mon espace" and its query budget."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import Territory
from apps.followup.models import Commitment
from apps.notifications.models import Follow, Notification
from apps.proposals.models import Proposal, Status
from tests.factories import CommentFactory, ProcessFactory, ProposalFactory, UserFactory, make_answer

pytestmark = pytest.mark.django_db


def profile_data(**extra: str) -> dict[str, str]:
    data = {"display_name": "Awa", "home_territory": "", "email_frequency": "daily"}
    data.update(extra)
    return data


def test_profile_update(client_for: Callable[[User | None], Client], quartier: Territory) -> None:
    user = UserFactory.create()
    client = client_for(user)
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        profile_data(home_territory=str(quartier.pk), demographics_consent="on", age_band="60-74", gender="x"),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.home_territory, user.email_frequency) == ("Awa", quartier, "daily")
    assert (user.demographics_consent, user.age_band, user.gender) == (True, "60-74", "x")


def test_withdrawing_consent_erases_demographics(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create(demographics_consent=True, age_band="30-44", gender="f")
    client_for(user).post(reverse("accounts:profile"), profile_data(age_band="30-44", gender="f"))
    user.refresh_from_db()
    assert (user.demographics_consent, user.age_band, user.gender) == (False, "", "")


def test_profile_rejects_unknown_choices_in_french(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create(display_name="Avant")
    response = client_for(user).post(
        reverse("accounts:profile"), profile_data(email_frequency="hourly", display_name="Après")
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert 'value="Après"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Avant"


def _answer(proposal: Proposal, body: str) -> Answer:
    return make_answer(proposal=proposal, status=Status.ACCEPTED, body=body)


def _world(user: User, count: int) -> None:
    processes = [ProcessFactory.create(), ProcessFactory.create()]
    ct = ContentType.objects.get_for_model(Proposal)
    for n in range(count):
        proposal = ProposalFactory.create(author=user, process=processes[n % 2], status=Status.ACCEPTED)
        _answer(proposal, f"Ancienne réponse {n}")
        _answer(proposal, f"Réponse la plus récente {n}")
        Commitment.objects.create(
            process=proposal.process, title=f"Engagement {n}", progress=40, source_type=ct, source_id=proposal.pk
        )
        CommentFactory.create(author=user, proposal=proposal)
        Follow.objects.create(user=user, target=proposal)
    Follow.objects.create(user=user, process=processes[0])
    Notification.objects.create(user=user, kind="answer", title="t", url="/")


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_query_count_does_not_grow(
    client_for: Callable[[User | None], Client], django_assert_max_num_queries: DjangoAssertNumQueries, count: int
) -> None:
    user = UserFactory.create()
    _world(user, count)
    client = client_for(user)
    client.get(reverse("accounts:dashboard"))  # warm the content-type cache
    # Fixed costs: the page's own queries and the modules' account sections (the trust barometer's
    # invitations among them); what matters is that the figure does not grow with ``count``.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert len(response.context["states"]) == min(count, 10)


def test_dashboard_shows_where_my_idea_is(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create()
    other = UserFactory.create()
    mine = ProposalFactory.create(author=user, title="Des bancs place Viarme", status=Status.ACCEPTED)
    ProposalFactory.create(author=other, title="Idée de quelqu'un d'autre")
    make_answer(proposal=mine, status=Status.UNDER_STUDY, body="Premier avis du service.")
    later = make_answer(proposal=mine, status=Status.ACCEPTED, body="Nous installerons six bancs.")
    Answer.objects.filter(pk=later.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    Commitment.objects.create(
        process=mine.process,
        title="Six bancs place Viarme",
        progress=60,
        source_type=ContentType.objects.get_for_model(Proposal),
        source_id=mine.pk,
    )
    CommentFactory.create(author=user)
    Follow.objects.create(user=user, process=mine.process)
    html = client_for(user).get(reverse("accounts:dashboard")).content.decode()
    assert "Des bancs place Viarme" in html
    assert "Idée de quelqu&#x27;un d&#x27;autre" not in html
    assert "Nous installerons six bancs." in html
    assert "Premier avis du service." not in html
    assert "Six bancs place Viarme" in html
    assert 'value="60"' in html
    assert "Retenue" in html
    assert "Vous avez écrit 1 commentaire." in html
    assert reverse("notifications:unfollow") in html
    assert mine.process.title in html
    assert reverse("notifications:inbox") in html


def test_the_greeting_of_a_name_ending_with_a_dot_has_one_dot(client_for: Callable[[User | None], Client]) -> None:
    """Issue 8, item 16: « Bonjour Zoé M.. » had a doubled full stop."""
    html = client_for(UserFactory.create(display_name="Zoé M.")).get(reverse("accounts:dashboard")).content.decode()
    assert "Zoé M.." not in html
    assert "Bonjour Zoé M.\u202f!" in html
