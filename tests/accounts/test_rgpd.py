"""RGPD: data export and account deletion."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import account_delete, account_export_data
from apps.core.models import Role, RoleAssignment
from apps.notifications.models import Follow, Notification
from apps.proposals.models import Proposal, Support
from tests.factories import CommentFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def awa(quartier) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(
        email="awa@example.org",
        display_name="Awa Diallo",
        home_territory=quartier,
        demographics_consent=True,
        age_band="30-44",
        gender="f",
        first_name="Awa",
        last_name="Diallo",
    )
    proposal = ProposalFactory(author=user, title="Un jardin partagé")
    other = ProposalFactory(title="Une piste cyclable")
    CommentFactory(author=user, proposal=other, body="Oui, rue de Strasbourg.")
    Support.objects.create(user=user, proposal=other)
    Follow.objects.create(user=user, proposal=proposal)
    Follow.objects.create(user=user, territory=quartier)
    Notification.objects.create(user=user, kind="answer", title="La Ville a répondu", url="/")
    RoleAssignment.objects.create(user=user, role=Role.MODERATOR, territory=quartier)
    return user


def test_export_page_explains_and_post_downloads_everything(client_for, awa: User) -> None:  # type: ignore[no-untyped-def]
    client = client_for(awa)
    page = client.get(reverse("accounts:export"))
    assert page.status_code == 200
    assert "JSON" in page.content.decode()
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "awa@example.org"
    assert data["account"]["age_band"] == "30-44"
    assert [p["title"] for p in data["proposals"]] == ["Un jardin partagé"]
    assert [c["body"] for c in data["comments"]] == ["Oui, rue de Strasbourg."]
    assert [s["proposal"] for s in data["supports"]] == ["Une piste cyclable"]
    assert {f["kind"] for f in data["follows"]} == {"proposal", "territory"}
    assert [n["title"] for n in data["notifications"]] == ["La Ville a répondu"]
    assert [r["role"] for r in data["role_assignments"]] == ["moderator"]


def test_export_contains_only_my_data(awa: User) -> None:
    other = UserFactory(email="bruno@example.org")
    ProposalFactory(author=other, title="Secret de Bruno")
    data = json.dumps(account_export_data(awa))
    assert "bruno@example.org" not in data
    assert "Secret de Bruno" not in data


def test_delete_page_and_wrong_password(client_for, awa: User) -> None:  # type: ignore[no-untyped-def]
    client = client_for(awa)
    assert client.get(reverse("accounts:delete")).status_code == 200
    response = client.post(reverse("accounts:delete"), {"password": "pas-le-bon"})
    assert response.status_code == 400
    assert "Mot de passe incorrect." in response.content.decode()
    awa.refresh_from_db()
    assert not awa.is_deleted and awa.email == "awa@example.org"


def test_delete_anonymises_everything_personal(awa: User) -> None:
    client = Client()
    assert client.login(email="awa@example.org", password=PASSWORD)
    other_session = Client()
    assert other_session.login(email="awa@example.org", password=PASSWORD)
    proposal = Proposal.objects.get(title="Un jardin partagé")

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:home")

    awa.refresh_from_db()
    assert awa.is_deleted and not awa.is_active
    assert awa.email.endswith(".invalid") and "awa" not in awa.email
    assert "awa" not in awa.username
    assert (awa.display_name, awa.first_name, awa.last_name) == ("", "", "")
    assert awa.home_territory is None
    assert (awa.demographics_consent, awa.age_band, awa.gender) == (False, "", "")
    assert not awa.has_usable_password()
    assert awa.last_login is None
    assert not Follow.objects.filter(user=awa).exists()
    assert not Notification.objects.filter(user=awa).exists()
    assert not RoleAssignment.objects.filter(user=awa).exists()
    # Supports carry no personal data once the account is anonymised: the count stays.
    assert Support.objects.filter(user=awa).count() == 1
    for session in Session.objects.all():
        assert str(session.get_decoded().get("_auth_user_id")) != str(awa.pk)
    assert other_session.get(reverse("accounts:dashboard")).status_code == 302

    proposal.refresh_from_db()
    assert proposal.author_label == "Participant·e supprimé·e"
    page = Client().get(proposal.get_absolute_url())
    if page.status_code == 200:  # the proposals page may not exist yet in this tree
        assert "Awa Diallo" not in page.content.decode()
    # The email address is free again.
    assert not User.objects.filter(email__iexact="awa@example.org").exists()
    assert not Client().login(email=awa.email, password=PASSWORD)


def test_deleted_placeholders_are_unique(quartier) -> None:  # type: ignore[no-untyped-def]
    first, second = UserFactory(), UserFactory()
    account_delete(user=first)
    account_delete(user=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email != second.email
    assert first.public_name == second.public_name == "Participant·e supprimé·e"
    assert CommentFactory(author=first).author_label == "Participant·e supprimé·e"
