"""Writes of the accounts app: sign-up, profile. The RGPD export and deletion live in
:mod:`apps.accounts.rgpd` and are re-exported here for the views and older callers."""

from __future__ import annotations

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.rgpd import account_delete, account_export_data
from apps.accounts.rgpd.erase import _anonymise_budget_votes, _delete_sessions
from apps.core.models import Territory

__all__ = [
    "_anonymise_budget_votes",
    "_delete_sessions",
    "account_delete",
    "account_export_data",
    "account_signup",
    "profile_update",
]


def _demographics(consent: bool, age_band: str, gender: str) -> tuple[str, str]:
    # Without consent nothing is stored, whatever the form posted: the consent is the
    # only legal basis for keeping these two sensitive-ish answers.
    if not consent:
        return "", ""
    return (
        age_band if age_band in User.AgeBand.values else "",
        gender if gender in User.Gender.values else "",
    )


@transaction.atomic
def account_signup(
    *,
    email: str,
    display_name: str,
    password: str,
    home_territory: Territory | None = None,
    demographics_consent: bool = False,
    age_band: str = "",
    gender: str = "",
) -> User:
    email = User.objects.normalize_email(email.strip())
    age_band, gender = _demographics(demographics_consent, age_band, gender)
    user = User(
        email=email,
        username=email.lower(),
        display_name=display_name.strip(),
        home_territory=home_territory,
        demographics_consent=demographics_consent,
        age_band=age_band,
        gender=gender,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    home_territory: Territory | None,
    email_frequency: str,
    demographics_consent: bool,
    age_band: str = "",
    gender: str = "",
) -> User:
    """Withdrawing the consent erases the age band and gender at once."""
    user.display_name = display_name.strip()
    user.home_territory = home_territory
    user.email_frequency = email_frequency
    user.demographics_consent = demographics_consent
    user.age_band, user.gender = _demographics(demographics_consent, age_band, gender)
    user.full_clean()
    user.save(
        update_fields=[
            "display_name",
            "home_territory",
            "email_frequency",
            "demographics_consent",
            "age_band",
            "gender",
        ]
    )
    return user
