"""Writes of the accounts app: sign-up, profile. The RGPD export and deletion live in
:mod:`apps.accounts.rgpd` and are re-exported here for the views and older callers."""

from __future__ import annotations

import datetime
import enum
from typing import Final

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.rgpd import account_delete, account_export_data
from apps.accounts.rgpd.erase import _delete_sessions
from apps.core.models import Territory

__all__ = [
    "_delete_sessions",
    "account_delete",
    "account_export_data",
    "account_signup",
    "profile_update",
]


class Unchanged(enum.Enum):
    """A field the caller did not send (a sentinel, since None is a value: "no birth date")."""

    TOKEN = 0


UNCHANGED: Final = Unchanged.TOKEN


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
        # Unconfirmed until the mailed link is opened (apps/accounts/verification.py).
        verification=User.Verification.NONE,
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
    birth_date: datetime.date | Unchanged | None = UNCHANGED,
) -> User:
    """Withdrawing the consent erases the age band and gender at once. The birth date, once
    fixed by a first ballot, is refused here (``verification.check_birth_date_change``)."""
    fields = ["display_name", "home_territory", "email_frequency", "demographics_consent", "age_band", "gender"]
    if not isinstance(birth_date, Unchanged):
        from apps.accounts.verification import check_birth_date_change

        # Read under a row lock: a ballot may be fixing the birth date at this very moment.
        locked = User.objects.select_for_update().filter(pk=user.pk).values_list("birth_date_locked_at", flat=True)
        user.birth_date_locked_at = locked.first()
        check_birth_date_change(user, birth_date)
        user.birth_date = birth_date
        fields.append("birth_date")
    user.display_name = display_name.strip()
    user.home_territory = home_territory
    user.email_frequency = email_frequency
    user.demographics_consent = demographics_consent
    user.age_band, user.gender = _demographics(demographics_consent, age_band, gender)
    user.full_clean()
    user.save(update_fields=fields)
    return user
