"""Verification levels made real: the e-mail confirmation link, a sign-up that does not tell
who has an account, the agent's check at a counter, and the birth date fixed at the first ballot.

Levels go none < email < verified (``User.meets_verification``). A new sign-up is ``none``
until the signed link mailed to it is opened; an agent at a counter (or a match in the census
list, :mod:`apps.accounts.census`) makes it ``verified`` and records who, when and how in a
``VerificationRecord``, audited.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import rules, services
from apps.accounts.models import User, VerificationRecord
from apps.accounts.tasks import send_account_email
from apps.core.models import Territory, audit

CONFIRMATION_SALT = "accounts.email-confirmation"
# Long enough for a person who reads their mail once a weekend; the link only proves that the
# mailbox receives mail, so reusing it before it expires changes nothing.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=3)


# --- e-mail confirmation ----------------------------------------------------------------------


def confirmation_token(user: User) -> str:
    """Signed, timestamped; bound to the address, so it dies if the address changes."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=CONFIRMATION_SALT, compress=True)


def confirmation_link(user: User, next_url: str = "") -> str:
    query = {"jeton": confirmation_token(user)}
    if next_url:
        query["next"] = next_url
    return settings.SITE_URL + reverse("accounts:confirm_email") + "?" + urlencode(query)


def _send_confirmation(user: User, next_url: str) -> None:
    body = render_to_string(
        "accounts/email/confirm_email.txt",
        {"user": user, "link": confirmation_link(user, next_url), "days": CONFIRMATION_MAX_AGE.days},
    )
    send_account_email(subject=_("Confirmez votre adresse pour Archipel"), body=body, to=user.email)


def confirmation_send(*, user: User, next_url: str = "") -> bool:
    """Mail a new confirmation link (after the commit). False when there is nothing to confirm."""
    if user.verification != User.Verification.NONE or user.is_deleted or not user.is_active:
        return False
    transaction.on_commit(lambda: _send_confirmation(user, next_url))
    return True


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Raise ``ValidationError`` (French, code ``expired`` or ``invalid``) or return the account,
    raised to ``email`` if it was ``none``. Confirming twice is harmless; a higher level stays."""
    try:
        data: Any = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Ce lien de confirmation a expiré. Connectez-vous et demandez-en un nouveau depuis « Mon espace »."),
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid") from error
    invalid = ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid")
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise invalid
    user = User.objects.filter(pk=data["u"], is_active=True, is_deleted=False).first()
    if user is None or user.email.lower() != data.get("e"):
        raise invalid
    # A conditional update: two clicks at once, or a click after an agent's check, never lower it.
    User.objects.filter(pk=user.pk, verification=User.Verification.NONE).update(verification=User.Verification.EMAIL)
    user.refresh_from_db(fields=["verification"])
    return user


# --- sign-up that does not enumerate accounts ---------------------------------------------------


def _send_existing_notice(user: User) -> None:
    body = render_to_string(
        "accounts/email/signup_existing.txt",
        {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
    )
    send_account_email(subject=_("Tentative de création de compte avec votre adresse"), body=body, to=user.email)


def signup_request(
    *,
    email: str,
    display_name: str,
    password: str,
    home_territory: Territory | None = None,
    demographics_consent: bool = False,
    age_band: str = "",
    gender: str = "",
    next_url: str = "",
) -> User | None:
    """Create an unconfirmed account and mail its confirmation link; or, when the address
    already has an account, mail its owner instead. The caller answers the same page either
    way, so sign-up no longer tells anyone who has an account. Returns the new account or None."""
    email = User.objects.normalize_email(email.strip())
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = services.account_signup(
                    email=email,
                    display_name=display_name,
                    password=password,
                    home_territory=home_territory,
                    demographics_consent=demographics_consent,
                    age_band=age_band,
                    gender=gender,
                )
        except (IntegrityError, ValidationError) as error:
            # Two sign-ups of one address at once: the second is the "existing" case.
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise ValidationError(_("Le compte n'a pas pu être créé. Vérifiez le formulaire.")) from error
        else:
            confirmation_send(user=user, next_url=next_url)
            return user
    # The same password hashing as a creation, so the answer takes the same time.
    User().set_password(password)
    if existing.is_active and not existing.is_deleted:
        transaction.on_commit(lambda: _send_existing_notice(existing))
    return None


# --- birth date ------------------------------------------------------------------------------


def lock_birth_date(*, user: User) -> None:
    """Fix the birth date (called at the first ballot attempt): its owner can no longer change it,
    only an agent at a counter can. Idempotent; nothing to fix while the account has none, so
    that a person who has not given it yet can still do so."""
    if user.birth_date is None or user.birth_date_locked_at is not None:
        return
    now = timezone.now()
    updated = User.objects.filter(pk=user.pk, birth_date__isnull=False, birth_date_locked_at__isnull=True).update(
        birth_date_locked_at=now
    )
    if updated:
        user.birth_date_locked_at = now
    else:
        user.refresh_from_db(fields=["birth_date", "birth_date_locked_at"])


BIRTH_DATE_LOCKED = _(
    "Votre date de naissance est fixée depuis votre premier vote : seul un agent à l'accueil de la mairie "
    "peut la corriger, sur présentation d'une pièce d'identité."
)


def check_birth_date_change(user: User, birth_date: datetime.date | None) -> None:
    """The owner's own change of birth date, refused once it is fixed."""
    if user.birth_date_locked_at is not None and birth_date != user.birth_date:
        raise ValidationError({"birth_date": str(BIRTH_DATE_LOCKED)})


# --- the agent's check at a counter ---------------------------------------------------------


@transaction.atomic
def counter_verify(
    *,
    agent: User,
    person: User,
    quartier: Territory,
    birth_date: datetime.date | None = None,
) -> VerificationRecord:
    """An agent saw an identity document and a proof of address: the account becomes
    ``verified`` in ``quartier``; a birth date given here replaces the person's and is fixed.
    Used as well to correct the quartier or the birth date of a verified person."""
    if not rules.can_verify_person(agent, person):
        raise PermissionDenied(_("Ce compte ne relève pas de votre périmètre."))
    if not rules.verifiable_quartiers(agent).filter(pk=quartier.pk).exists():
        raise ValidationError({"quartier": _("Choisissez un quartier de votre périmètre.")})
    person = User.objects.select_for_update().get(pk=person.pk)
    previous = {
        "level": person.verification,
        "quartier": person.home_territory.name if person.home_territory else None,
    }
    birth_date_changed = birth_date is not None and birth_date != person.birth_date
    person.verification = User.Verification.VERIFIED
    person.home_territory = quartier
    fields = ["verification", "home_territory"]
    if birth_date is not None:
        person.birth_date = birth_date
        person.birth_date_locked_at = person.birth_date_locked_at or timezone.now()
        fields += ["birth_date", "birth_date_locked_at"]
    person.full_clean(validate_unique=False)
    person.save(update_fields=fields)
    record = VerificationRecord(
        user=person,
        level=User.Verification.VERIFIED,
        method=VerificationRecord.Method.COUNTER,
        territory=quartier,
        verified_by=agent,
    )
    record.full_clean()
    record.save()
    # The audit log says what changed, not the birth date itself (it is kept longer than the account).
    audit(
        agent,
        "account.verified",
        person,
        method=VerificationRecord.Method.COUNTER,
        quartier=quartier.name,
        previous_level=previous["level"],
        previous_quartier=previous["quartier"],
        birth_date_changed=birth_date_changed,
    )
    return record


# --- personal data (for the RGPD export and deletion) -------------------------------------------


def verification_export(user: User) -> dict[str, Any]:
    """The verification part of the account export (RGPD articles 15 and 20)."""
    records = VerificationRecord.objects.filter(user=user).select_related("territory").order_by("verified_at", "pk")
    return {
        "verification": user.verification,
        "birth_date": user.birth_date.isoformat() if user.birth_date else None,
        "birth_date_locked_at": user.birth_date_locked_at.isoformat() if user.birth_date_locked_at else None,
        "verification_records": [
            {
                "level": r.level,
                "method": r.method,
                "territory": r.territory.name if r.territory else None,
                "verified_at": r.verified_at.isoformat(),
            }
            for r in records
        ],
    }


def verification_erase(user: User) -> None:
    """For the account deletion: the trail of checks goes (the audit log keeps that an agent
    acted), and a census entry this account claimed is freed."""
    from apps.accounts.models import CensusEntry

    VerificationRecord.objects.filter(user=user).delete()
    CensusEntry.objects.filter(claimed_by=user).update(claimed_by=None, claimed_at=None)
    User.objects.filter(pk=user.pk).update(
        birth_date=None, birth_date_locked_at=None, verification=User.Verification.NONE
    )
