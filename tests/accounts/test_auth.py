"""Sign-up, sign-in, sign-out, magic link, password reset, and their rate limits."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from apps.accounts.backends import EmailBackend
from apps.accounts.models import User
from apps.core.models import Territory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
EXTERNAL = "https://evil.example.com/phishing"


def signup_data(**extra: str) -> dict[str, str]:
    data = {
        "email": "nouvelle@example.org",
        "display_name": "Nadia",
        "password": "un-Mot-de-passe-long-2026",
    }
    data.update(extra)
    return data


def logged_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- sign-up -------------------------------------------------------------------------


def test_signup_page_renders_the_consent_unticked(client: Client) -> None:
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "J&#x27;accepte que ma tranche d&#x27;âge et mon genre soient utilisés uniquement" in html
    checkbox = re.search(r'<input[^>]*name="demographics_consent"[^>]*>', html)
    assert checkbox is not None and "checked" not in checkbox.group(0)


def test_signup_creates_an_unconfirmed_account_and_mails_its_link(
    client: Client, quartier: Territory, mails: list[EmailMessage]
) -> None:
    response = client.post(reverse("accounts:signup"), signup_data(home_territory=str(quartier.pk)))
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    user = User.objects.get(email="nouvelle@example.org")
    assert user.display_name == "Nadia"
    assert user.home_territory == quartier
    assert user.check_password("un-Mot-de-passe-long-2026")
    assert user.verification == User.Verification.NONE
    assert not user.meets_verification("email")
    # Not signed in: the page must be the same as for an address that already has an account.
    assert logged_in_user(client) is None
    assert len(mails) == 1
    assert mails[0].to == ["nouvelle@example.org"]
    assert "/comptes/confirmer/?jeton=" in mails[0].body


def test_signup_without_consent_stores_no_demographics(client: Client) -> None:
    client.post(reverse("accounts:signup"), signup_data(age_band="30-44", gender="f"))
    user = User.objects.get(email="nouvelle@example.org")
    assert user.demographics_consent is False
    assert user.age_band == ""
    assert user.gender == ""


def test_signup_with_consent_stores_demographics(client: Client) -> None:
    client.post(reverse("accounts:signup"), signup_data(demographics_consent="on", age_band="30-44", gender="f"))
    user = User.objects.get(email="nouvelle@example.org")
    assert (user.demographics_consent, user.age_band, user.gender) == (True, "30-44", "f")


def _confirmation_link(mail: EmailMessage) -> str:
    match = re.search(r"/comptes/confirmer/\?\S+", str(mail.body))
    assert match is not None
    return match.group(0)


def test_signup_carries_a_local_next_through_the_confirmation(client: Client, mails: list[EmailMessage]) -> None:
    client.post(reverse("accounts:signup") + "?next=/demarches/", signup_data())
    link = _confirmation_link(mails[0])
    assert "next=%2Fdemarches%2F" in link
    page = client.get(link)
    assert 'name="next" value="/demarches/"' in page.content.decode()


def test_signup_refuses_an_external_next(client: Client, mails: list[EmailMessage]) -> None:
    response = client.post(reverse("accounts:signup"), {**signup_data(), "next": EXTERNAL})
    assert response.status_code == 200
    assert "evil.example.com" not in mails[0].body


def test_signup_errors_are_french_and_keep_what_was_typed(client: Client) -> None:
    response = client.post(
        reverse("accounts:signup"), signup_data(email="zoe@example.org", password="1234567890", display_name="Zoé")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "entièrement numérique" in html  # Django's French password validator message
    assert 'value="Zoé"' in html
    assert 'value="zoe@example.org"' in html
    assert User.objects.filter(display_name="Zoé").count() == 0


def test_signup_allows_a_public_meeting_on_one_address_then_keeps_what_was_typed(client: Client) -> None:
    # Item 9: fifty people on one Wi-Fi sign up within the hour; the 51st gets a 429 that keeps the form.
    for n in range(50):
        response = client.post(reverse("accounts:signup"), signup_data(email=f"p{n}@example.org"))
        assert response.status_code == 200, n
    response = client.post(
        reverse("accounts:signup"), signup_data(email="p51@example.org", display_name="Quentin Cinquante")
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html and "patienter" in html
    assert 'value="Quentin Cinquante"' in html and 'value="p51@example.org"' in html
    assert not User.objects.filter(email="p51@example.org").exists()


def test_signup_is_limited_per_email_whatever_the_client_address(mails: list[EmailMessage]) -> None:
    for n in range(3):
        response = Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(reverse("accounts:signup"), signup_data())
        assert response.status_code == 200
    response = Client(REMOTE_ADDR="10.0.0.9").post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 429
    # One account, one confirmation mail and two "someone tried" mails: no flood of the mailbox.
    assert User.objects.filter(email="nouvelle@example.org").count() == 1
    assert len(mails) == 3


def test_signup_form_errors_do_not_count_against_the_limit(client: Client) -> None:
    for _n in range(5):
        assert client.post(reverse("accounts:signup"), signup_data(password="123")).status_code == 400
    assert client.post(reverse("accounts:signup"), signup_data()).status_code == 200


def test_signed_in_person_is_sent_away_from_signup(client_for: Callable[[User | None], Client]) -> None:
    response = client_for(UserFactory.create()).get(reverse("accounts:signup"))
    assert response.status_code == 302


# --- login / logout -------------------------------------------------------------------


def test_login_with_email_any_case(client: Client) -> None:
    user = UserFactory.create(email="awa@example.org")
    response = client.post(reverse("accounts:login"), {"email": "AWA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert logged_in_user(client) == user


def test_login_error_does_not_reveal_whether_the_email_exists(client: Client) -> None:
    UserFactory.create(email="awa@example.org")
    wrong_password = client.post(reverse("accounts:login"), {"email": "awa@example.org", "password": "faux-faux-faux"})
    unknown = client.post(reverse("accounts:login"), {"email": "inconnu@example.org", "password": "faux-faux-faux"})
    assert wrong_password.status_code == unknown.status_code == 400
    message = "Adresse électronique ou mot de passe incorrect."
    assert message in wrong_password.content.decode()
    assert message in unknown.content.decode()
    assert logged_in_user(client) is None


def test_login_next_local_and_external(client: Client) -> None:
    UserFactory.create(email="awa@example.org")
    response = client.post(
        reverse("accounts:login"), {"email": "awa@example.org", "password": PASSWORD, "next": "/suivi/"}
    )
    assert response["Location"] == "/suivi/"
    other = Client()
    response = other.post(
        reverse("accounts:login"), {"email": "awa@example.org", "password": PASSWORD, "next": EXTERNAL}
    )
    assert response["Location"] == reverse("accounts:dashboard")
    response = Client().post(
        reverse("accounts:login"), {"email": "awa@example.org", "password": PASSWORD, "next": "//evil.example.com/"}
    )
    assert response["Location"] == reverse("accounts:dashboard")


def test_deleted_or_inactive_accounts_cannot_log_in(client: Client) -> None:
    UserFactory.create(email="parti@example.org", is_active=False)
    response = client.post(reverse("accounts:login"), {"email": "parti@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_login_is_rate_limited_per_email_across_addresses() -> None:
    UserFactory.create(email="cible@example.org")
    for n in range(5):
        response = Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            reverse("accounts:login"), {"email": "cible@example.org", "password": "mauvais-mdp"}
        )
        assert response.status_code == 400
    response = Client(REMOTE_ADDR="10.0.0.99").post(
        reverse("accounts:login"), {"email": "Cible@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_login_is_rate_limited_per_ip() -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(10):
        response = client.post(reverse("accounts:login"), {"email": f"x{n}@example.org", "password": "mauvais"})
        assert response.status_code == 400
    response = client.post(reverse("accounts:login"), {"email": "x99@example.org", "password": "mauvais"})
    assert response.status_code == 429


def test_logout_is_post_only(client_for: Callable[[User | None], Client]) -> None:
    client = client_for(UserFactory.create())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session.get("_auth_user_id")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:home")
    assert client.session.get("_auth_user_id") is None


@pytest.mark.parametrize("next_value", ["²", "home", "pages:home", "demarches/", "//evil.example/"])
def test_logout_next_that_is_not_a_local_path_goes_home(
    client_for: Callable[[User | None], Client], next_value: str
) -> None:
    # A bare word used to reach redirect() and be resolved as a view name: a 500 (found by the fuzzer).
    client = client_for(UserFactory.create())
    response = client.post(reverse("accounts:logout"), {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:home")


# --- magic link -----------------------------------------------------------------------


def _link_from_outbox() -> str:
    match = re.search(r"https?://\S+", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(0)


def test_magic_link_same_answer_whether_or_not_the_email_exists(client: Client) -> None:
    UserFactory.create(email="awa@example.org")
    known = client.post(reverse("accounts:magic_link"), {"email": "awa@example.org"})
    unknown = client.post(reverse("accounts:magic_link"), {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 200
    for response, email in ((known, "awa@example.org"), (unknown, "personne@example.org")):
        assert "Vérifiez votre messagerie" in response.content.decode()
        assert "accounts/magic_link_sent.html" in [t.name for t in response.templates]
        assert response.context["email"] == email
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["awa@example.org"]


def test_magic_link_signs_in_once_and_only_on_post(client: Client) -> None:
    user = UserFactory.create(email="awa@example.org")
    client.post(reverse("accounts:magic_link") + "?next=/suivi/", {"email": "awa@example.org"})
    link = _link_from_outbox()
    assert "sesame=" in link
    path = link.split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert logged_in_user(client) is None  # GET never signs in (mail scanners open links)
    token = page.context["token"]
    response = client.post(reverse("accounts:magic_login"), {"sesame": token, "next": page.context["next"]})
    assert response.status_code == 302
    assert response["Location"] == "/suivi/"
    assert logged_in_user(client) == user
    # One-time: the same token does not work twice.
    again = Client().post(reverse("accounts:magic_login"), {"sesame": token})
    assert again.status_code == 400
    assert "plus valable" in again.content.decode()


def test_magic_link_refuses_an_external_next(client: Client) -> None:
    UserFactory.create(email="awa@example.org")
    client.post(reverse("accounts:magic_link"), {"email": "awa@example.org", "next": EXTERNAL})
    link = _link_from_outbox()
    assert "evil.example.com" not in link
    found = re.search(r"sesame=([^&\s]+)", link)
    assert found is not None, link
    token = found.group(1)
    response = client.post(reverse("accounts:magic_login"), {"sesame": token, "next": EXTERNAL})
    assert response["Location"] == reverse("accounts:dashboard")


def test_magic_link_with_a_forged_token_fails(client: Client) -> None:
    response = client.post(reverse("accounts:magic_login"), {"sesame": "AAAAforged"})
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_magic_link_is_rate_limited(client: Client) -> None:
    for _n in range(5):
        assert client.post(reverse("accounts:magic_link"), {"email": "awa@example.org"}).status_code == 200
    response = client.post(reverse("accounts:magic_link"), {"email": "awa@example.org"})
    assert response.status_code == 429


# --- password reset -------------------------------------------------------------------


def test_password_reset_full_flow(client: Client) -> None:
    user = UserFactory.create(email="awa@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "awa@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nouveau mot de passe pour Archipel"
    path = _link_from_outbox().split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un-Nouveau-mdp-2026", "new_password2": "un-Nouveau-mdp-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("un-Nouveau-mdp-2026")
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200


def test_password_reset_for_an_unknown_email_looks_the_same(client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_is_rate_limited_per_ip(client: Client) -> None:
    for _n in range(5):
        assert client.post(reverse("accounts:password_reset"), {"email": "a@example.org"}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.org"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_password_reset_pages_are_french(client: Client) -> None:
    assert "Mot de passe oublié" in client.get(reverse("accounts:password_reset")).content.decode()
    assert "Vérifiez votre messagerie" in client.get(reverse("accounts:password_reset_done")).content.decode()
    bad = client.get(reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}))
    assert bad.status_code == 200
    assert "plus valable" in bad.content.decode()


@pytest.mark.django_db
def test_the_session_user_is_loaded_as_the_orm_would(client: Client) -> None:
    """``EmailBackend.get_user`` reads the row with a prepared statement (apps/core/sql.py):
    the same user as the ORM's, nobody for a deactivated or deleted account."""
    user = UserFactory.create(email="session@example.org", birth_date=None)
    loaded = EmailBackend().get_user(user.pk)
    reference = User.objects.get(pk=user.pk)
    assert loaded is not None and loaded.pk == user.pk
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(reference, field.attname), field.name
    assert loaded._state.adding is False and loaded._state.db == "default"

    client.force_login(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert EmailBackend().get_user(user.pk) is None
    assert client.get(reverse("accounts:dashboard")).status_code == 302  # signed out: to the sign-in page
    assert EmailBackend().get_user(user.pk + 1_000_000) is None
