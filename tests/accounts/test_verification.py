"""Item 7 (confirmed address, levels, birth date fixed), item 6 (sign-up does not enumerate),
item 10 (notice at sign-up) and item 16 (dashboard wording)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from urllib.parse import unquote

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts import services, verification
from apps.accounts.models import User
from apps.budgets.models import Budget
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-Mot-de-passe-long-2026"


def signup_data(**extra: str) -> dict[str, str]:
    return {"email": "nouvelle@example.org", "display_name": "Nadia", "password": PASSWORD, **extra}


def confirm_url(token: str) -> str:
    return reverse("accounts:confirm_email") + "?jeton=" + token


# --- levels ------------------------------------------------------------------------------------


def test_levels_are_ordered_none_email_verified() -> None:
    none, email, verified = (User(verification=level) for level in ("none", "email", "verified"))
    assert [none.meets_verification(level) for level in ("none", "email", "verified")] == [True, False, False]
    assert [email.meets_verification(level) for level in ("none", "email", "verified")] == [True, True, False]
    assert [verified.meets_verification(level) for level in ("none", "email", "verified")] == [True, True, True]
    # A misspelt requirement is never met.
    assert not verified.meets_verification("verifed")


def test_an_unconfirmed_sign_up_cannot_vote_where_a_confirmed_address_is_required(client: Client) -> None:
    client.post(reverse("accounts:signup"), signup_data())
    user = User.objects.get(email="nouvelle@example.org")
    required = Budget._meta.get_field("required_verification")
    assert required.default == "email"
    assert not user.meets_verification(required.default)
    # A vote cannot require "none" (any account): the budget rules offer email or verified only.
    assert [value for value, _label in required.choices] == ["email", "verified"]  # type: ignore[union-attr]


def test_factories_and_existing_accounts_stay_confirmed() -> None:
    assert UserFactory.create().verification == "email"


# --- the confirmation link -----------------------------------------------------------------------


def test_opening_the_link_shows_a_button_and_the_button_confirms(client: Client) -> None:
    user = UserFactory.create(verification="none")
    token = verification.confirmation_token(user)
    page = client.get(confirm_url(token))
    assert page.status_code == 200
    assert "Confirmer mon adresse" in page.content.decode()
    user.refresh_from_db()
    assert user.verification == "none"  # a mail scanner opening the link does nothing
    response = client.post(reverse("accounts:confirm_email"), {"jeton": token})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert user.verification == "email"
    # Twice is harmless.
    again = client.post(reverse("accounts:confirm_email"), {"jeton": token})
    assert again.status_code == 302
    user.refresh_from_db()
    assert user.verification == "email"


def test_confirming_never_lowers_a_verified_account(client: Client) -> None:
    user = UserFactory.create(verification="verified")
    client.post(reverse("accounts:confirm_email"), {"jeton": verification.confirmation_token(user)})
    user.refresh_from_db()
    assert user.verification == "verified"


def test_the_link_expires_after_three_days(client: Client) -> None:
    user = UserFactory.create(verification="none")
    token = verification.confirmation_token(user)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        response = client.post(reverse("accounts:confirm_email"), {"jeton": token})
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.verification == "none"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=23)):
        assert client.post(reverse("accounts:confirm_email"), {"jeton": token}).status_code == 302


def test_a_tampered_or_foreign_token_is_refused(client: Client) -> None:
    user = UserFactory.create(verification="none")
    other = UserFactory.create(verification="none")
    token = verification.confirmation_token(user)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        # The right payload for another account, signed without the salt (or with another one).
        signing.dumps({"u": other.pk, "e": other.email.lower()}, compress=True),
        signing.dumps({"u": other.pk, "e": other.email.lower()}, salt="sesame", compress=True),
        "",
    ]
    for value in forged:
        response = Client().post(reverse("accounts:confirm_email"), {"jeton": value})
        assert response.status_code == 400, value
        assert "n&#x27;est pas valide" in response.content.decode()
    # A token of the old address dies with an address change.
    User.objects.filter(pk=user.pk).update(email="changee@example.org")
    assert client.post(reverse("accounts:confirm_email"), {"jeton": token}).status_code == 400
    assert set(User.objects.filter(pk__in=[user.pk, other.pk]).values_list("verification", flat=True)) == {"none"}


def test_the_unconfirmed_dashboard_offers_a_new_link_limited_per_hour(
    client_for: Callable[[User | None], Client], mails: list[EmailMessage]
) -> None:
    user = UserFactory.create(verification="none")
    client = client_for(user)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "pas encore confirmée" in page and reverse("accounts:resend_confirmation") in page
    for _n in range(3):
        assert client.post(reverse("accounts:resend_confirmation")).status_code == 302
    assert len(mails) == 3
    assert client.post(reverse("accounts:resend_confirmation")).status_code == 429
    link = re.search(r"/comptes/confirmer/\?\S+", str(mails[-1].body))
    assert link is not None
    client.post(reverse("accounts:confirm_email"), {"jeton": unquote(link.group(0).split("jeton=")[1])})
    user.refresh_from_db()
    assert user.verification == "email"
    assert "pas encore confirmée" not in client.get(reverse("accounts:dashboard")).content.decode()


# --- item 6: sign-up does not enumerate accounts ---------------------------------------------------

# CSRF tokens (form fields and htmx headers) are masked anew at every response.
_CSRF = re.compile(r"[A-Za-z0-9]{64}")


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(mails: list[EmailMessage]) -> None:
    owner = UserFactory.create(email="prise@example.org", display_name="Awa")
    fresh = Client().post(reverse("accounts:signup"), signup_data(email="libre@example.org"))
    taken = Client().post(reverse("accounts:signup"), signup_data(email="prise@example.org"))
    assert fresh.status_code == taken.status_code == 200
    normalised = [
        _CSRF.sub("", r.content.decode()).replace("libre@example.org", "X").replace("prise@example.org", "X")
        for r in (fresh, taken)
    ]
    assert normalised[0] == normalised[1]
    assert "Un compte existe déjà" not in normalised[1]
    assert fresh.cookies.keys() == taken.cookies.keys()
    # The new address got its confirmation link; the owner got a warning with ways back in.
    assert [m.to for m in mails] == [["libre@example.org"], ["prise@example.org"]]
    warning = mails[1].body
    assert "Quelqu'un vient de demander la création d'un compte" in warning
    assert reverse("accounts:login") in warning and reverse("accounts:password_reset") in warning
    assert "/comptes/confirmer/" not in warning
    # No second account, and the owner's password is untouched.
    assert User.objects.filter(email__iexact="prise@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("motdepasse-solide-42")


def test_signup_with_an_existing_address_in_other_case_sends_no_confirmation(mails: list[EmailMessage]) -> None:
    UserFactory.create(email="awa@example.org")
    Client().post(reverse("accounts:signup"), signup_data(email="AWA@example.org"))
    assert User.objects.filter(email__iexact="awa@example.org").count() == 1
    assert len(mails) == 1 and "Quelqu'un vient de demander" in mails[0].body


# --- item 10: the information notice --------------------------------------------------------------


def test_signup_shows_the_information_notice(client: Client) -> None:
    html = client.get(reverse("accounts:signup")).content.decode()
    assert "Vos données personnelles" in html
    for words in ("responsable du traitement", "article 6-1-e", "consentement", "tant que votre compte existe", "CNIL"):
        assert words in html, words
    assert 'href="/confidentialite/"' in html


# --- item 16: wording -----------------------------------------------------------------------------


def test_dashboard_says_mes_abonnements_and_no_zero_plurals(client_for: Callable[[User | None], Client]) -> None:
    html = client_for(UserFactory.create()).get(reverse("accounts:dashboard")).content.decode()
    assert "Mes abonnements" in html and "Ce que je suis" not in html
    assert "0 commentaires" not in html and "Vous n'avez pas encore écrit de commentaire." in html
    assert "0 notifications" not in html and "Aucune notification non lue" in html


# --- birth date fixed at the first ballot ------------------------------------------------------------


def test_lock_birth_date_is_idempotent_and_waits_for_a_date() -> None:
    user = UserFactory.create()
    verification.lock_birth_date(user=user)
    user.refresh_from_db()
    assert user.birth_date_locked_at is None  # nothing to fix yet: the person may still give it
    User.objects.filter(pk=user.pk).update(birth_date=datetime.date(2011, 5, 4))
    user.refresh_from_db()
    verification.lock_birth_date(user=user)
    first = user.birth_date_locked_at
    assert first is not None
    verification.lock_birth_date(user=user)
    user.refresh_from_db()
    assert user.birth_date_locked_at == first


def _profile(**extra: str) -> dict[str, str]:
    return {"display_name": "Awa", "home_territory": "", "email_frequency": "daily", **extra}


def test_the_profile_sets_the_birth_date_until_it_is_fixed(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create()
    client = client_for(user)
    assert client.post(reverse("accounts:profile"), _profile(birth_date="04/05/2011")).status_code == 302
    user.refresh_from_db()
    assert user.birth_date == datetime.date(2011, 5, 4)
    # Refused for age at a ballot: the ballot fixes it.
    verification.lock_birth_date(user=user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "corrigée par un agent à" in page
    assert re.search(r'<input[^>]*name="birth_date"[^>]*disabled', page)
    response = client.post(reverse("accounts:profile"), _profile(birth_date="04/05/2001", display_name="Awa B."))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.birth_date == datetime.date(2011, 5, 4)
    assert user.display_name == "Awa B."  # the rest of the profile still saves


def test_the_service_refuses_a_fixed_birth_date_change() -> None:
    user = UserFactory.create(birth_date=datetime.date(2011, 5, 4))
    verification.lock_birth_date(user=user)
    with pytest.raises(ValidationError) as caught:
        services.profile_update(
            user=user,
            display_name="Awa",
            home_territory=None,
            email_frequency="daily",
            demographics_consent=False,
            birth_date=datetime.date(2001, 5, 4),
        )
    assert "accueil de la mairie" in str(caught.value)
    user.refresh_from_db()
    assert user.birth_date == datetime.date(2011, 5, 4)


def test_a_bad_birth_date_is_a_french_error_that_keeps_the_form(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create()
    response = client_for(user).post(reverse("accounts:profile"), _profile(birth_date="31/02/2011", display_name="Zoé"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "JJ/MM/AAAA" in html and 'value="Zoé"' in html
