"""RGPD: data export and account deletion."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import account_delete, account_export_data
from apps.core.models import Role, RoleAssignment, Territory
from apps.notifications.models import Follow, Notification
from apps.proposals.models import Proposal, Support
from tests.factories import CommentFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def awa(quartier: Territory) -> User:
    user = UserFactory.create(
        email="awa@example.org",
        display_name="Awa Diallo",
        home_territory=quartier,
        demographics_consent=True,
        age_band="30-44",
        gender="f",
        first_name="Awa",
        last_name="Diallo",
    )
    proposal = ProposalFactory.create(author=user, title="Un jardin partagé")
    other = ProposalFactory.create(title="Une piste cyclable")
    CommentFactory.create(author=user, proposal=other, body="Oui, rue de Strasbourg.")
    Support.objects.create(user=user, proposal=other)
    Follow.objects.create(user=user, target=proposal)
    Follow.objects.create(user=user, territory=quartier)
    Notification.objects.create(user=user, kind="answer", title="La Ville a répondu", url="/")
    RoleAssignment.objects.create(user=user, role=Role.MODERATOR, territory=quartier)
    return user


def test_export_page_explains_and_post_downloads_everything(
    client_for: Callable[[User | None], Client], awa: User
) -> None:
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
    other = UserFactory.create(email="bruno@example.org")
    ProposalFactory.create(author=other, title="Secret de Bruno")
    data = json.dumps(account_export_data(awa))
    assert "bruno@example.org" not in data
    assert "Secret de Bruno" not in data


def test_delete_page_and_wrong_password(client_for: Callable[[User | None], Client], awa: User) -> None:
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


def test_deleted_placeholders_are_unique(quartier: Territory) -> None:
    first, second = UserFactory.create(), UserFactory.create()
    account_delete(user=first)
    account_delete(user=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email != second.email
    assert first.public_name == second.public_name == "Participant·e supprimé·e"
    assert CommentFactory.create(author=first).author_label == "Participant·e supprimé·e"


def test_export_page_shows_human_labels_never_column_names(
    client_for: Callable[[User | None], Client], awa: User
) -> None:
    import datetime

    from django.utils import timezone

    from apps.sortition.models import Draw, VolunteerApplication
    from tests.sortition.factories import DrawFactory

    awa.birth_date = datetime.date(1987, 3, 14)
    awa.save()
    draw = DrawFactory.create(title="Panel mobilités", list_source=Draw.ListSource.VOLUNTEERS)
    VolunteerApplication.objects.create(
        draw=draw, user=awa, features={"tranche_age": "30-44 ans", "csp": "cadre"}, consent_at=timezone.now()
    )
    page = client_for(awa).get(reverse("accounts:export")).content.decode()
    assert "tranche_age" not in page and "age_band" not in page and "csp" not in page
    assert "Tranche d&#x27;âge&nbsp;: 30-44 ans" in page
    assert "Catégorie socioprofessionnelle&nbsp;: cadre" in page
    assert "14/03/1987" in page
    assert "Adresse électronique confirmée" in page
    assert "30 à 44 ans" in page
    assert "Propositions&nbsp;: 1" in page
    assert "Candidatures aux tirages au sort&nbsp;: 1" in page


def test_question_labels() -> None:
    from apps.accounts.rgpd.overview import question_label

    assert question_label("tranche_age") == "Tranche d'âge"
    assert question_label("prenom") == "Prénom"
    assert question_label("niveau_de_revenu") == "Niveau de revenu"


def test_deletion_erases_what_the_attack_found(awa: User) -> None:
    """Issue 8 item 5: birth date, volunteer phone, panel and council full names and report
    reasons all remained after a deletion."""
    import datetime

    from django.utils import timezone

    from apps.councils.models import Membership
    from apps.discussion.models import Report
    from apps.sortition.models import Draw, VolunteerApplication
    from apps.workshops.models import PanelMember
    from tests.councils.factories import MembershipFactory
    from tests.sortition.factories import DrawFactory
    from tests.workshops.factories import add_member, make_workshop

    awa.birth_date = datetime.date(1987, 3, 14)
    awa.save()
    draw = DrawFactory.create(list_source=Draw.ListSource.VOLUNTEERS)
    VolunteerApplication.objects.create(draw=draw, user=awa, phone="06 11 22 33 44", consent_at=timezone.now())
    assert awa.home_territory is not None
    add_member(make_workshop(territory=awa.home_territory), awa, name="Awa Diallo")
    MembershipFactory.create(user=awa, full_name="Awa Diallo", public_name="Awa D.")
    Report.objects.create(comment=CommentFactory.create(), reporter=awa, reason="Awa trouve cela insultant")

    account_delete(user=awa)
    awa.refresh_from_db()
    assert awa.birth_date is None
    assert not VolunteerApplication.objects.filter(phone="06 11 22 33 44").exists()
    assert PanelMember.objects.get().full_name == "" and PanelMember.objects.get().user is None
    assert (
        Membership.objects.get().full_name == "" and Membership.objects.get().public_name == "Participant·e supprimé·e"
    )
    assert not Report.objects.filter(reason__contains="Awa").exists()


def test_export_has_birth_date_verification_and_every_module(awa: User) -> None:
    data = account_export_data(awa)
    for key in ("birth_date", "verification", "verification_label"):
        assert key in data["account"]
    for section in (
        "reports",
        "volunteer_applications",
        "panel_memberships",
        "council_memberships",
        "budget_projects",
        "budget_comments",
        "recommendation_revisions",
        "audit_entries",
    ):
        assert section in data


def test_delete_page_says_what_stays(client_for: Callable[[User | None], Client], awa: User) -> None:
    page = client_for(awa).get(reverse("accounts:delete")).content.decode()
    assert "date de naissance" in page
    assert "Ce qui reste, sans votre nom" in page
    assert "journal d'audit" in page


def test_demographics_promise_is_honest(client: Client) -> None:
    page = client.get(reverse("accounts:signup")).content.decode()
    assert "La Ville vérifie que toutes les générations" not in page
    assert "publiées plus tard, seulement de manière agrégée" in page
    assert "rien n&#x27;est publié tant qu&#x27;elles n&#x27;existent pas" in page


def test_a_deleted_budget_author_is_named_as_such(
    client: Client, awa: User, city: Territory, quartier: Territory
) -> None:
    from tests.budgets.voting.factories import ProjectFactory, make_vote_budget

    budget = make_vote_budget(city=city, quartier=quartier)
    project = ProjectFactory.create(
        envelope=budget.envelopes.get(territory__isnull=True), budget=budget, author=awa, ballot_number=77
    )
    project.coauthors.add(awa)
    CommentFactory.create(on=project, author=awa, body="Merci !")
    account_delete(user=awa)
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.count("Participant·e supprimé·e") >= 2
    assert "Awa Diallo" not in page
