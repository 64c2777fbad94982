"""Accounts: people sign in with their email address.

Age band and gender are optional, asked with explicit consent, and used only for the
representativeness statistics; deleting an account erases every personal field and
keeps the contributions, shown as from a deleted participant.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        email = self.normalize_email(email or extra.pop("username", ""))
        extra.setdefault("username", email.lower())
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    class AgeBand(models.TextChoices):
        UNDER_18 = "u18", _("Moins de 18 ans")
        A18_29 = "18-29", _("18 à 29 ans")
        A30_44 = "30-44", _("30 à 44 ans")
        A45_59 = "45-59", _("45 à 59 ans")
        A60_74 = "60-74", _("60 à 74 ans")
        A75 = "75+", _("75 ans et plus")

    class Gender(models.TextChoices):
        WOMAN = "f", _("Femme")
        MAN = "m", _("Homme")
        OTHER = "x", _("Autre / non binaire")

    class Verification(models.TextChoices):
        # What the city knows of the person, from least to most: nothing yet (a new sign-up),
        # a confirmed email (the signed link was opened), or an identity and address checked
        # by the city (an agent at a counter, or a match in the census list). Votes name the
        # level they require (``REQUIRABLE_VERIFICATIONS``); ``meets_verification`` compares.
        NONE = "none", _("Adresse électronique non confirmée")
        EMAIL = "email", _("Adresse électronique confirmée")
        VERIFIED = "verified", _("Identité et adresse vérifiées par la Ville")

    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Tout de suite")
        DAILY = "daily", _("Un résumé par jour")
        NEVER = "never", _("Jamais (seulement sur le site)")

    email = models.EmailField(_("adresse électronique"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=80)
    home_territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("quartier de résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    demographics_consent = models.BooleanField(_("accord pour les statistiques de représentativité"), default=False)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("genre"), max_length=2, choices=Gender.choices, blank=True)
    email_frequency = models.CharField(
        _("courriels de notification"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    # Declared by the person, needed only where a vote has an age condition (from 16 in most budgets).
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    # Set at the first ballot attempt (``lock_birth_date``): a birth date refused for age cannot
    # then be retyped by its owner; an agent at a counter corrects it.
    birth_date_locked_at = models.DateTimeField(_("date de naissance fixée le"), null=True, blank=True, editable=False)
    verification = models.CharField(
        _("niveau de vérification du compte"), max_length=10, choices=Verification.choices, default=Verification.NONE
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        return public_name(self.display_name, self.is_deleted)

    def meets_verification(self, level: str) -> bool:
        """True when the account's level is at least ``level`` (none < email < verified).
        An unknown level is never met: a typo in a rule must not open a vote to everyone."""
        if level not in VERIFICATION_RANK or self.verification not in VERIFICATION_RANK:
            return False
        return VERIFICATION_RANK[self.verification] >= VERIFICATION_RANK[level]


VERIFICATION_RANK = {level: rank for rank, level in enumerate(User.Verification.values)}
# The levels a vote may require: "none" would mean "any account", which no vote should.
REQUIRABLE_VERIFICATIONS = [
    (value, label) for value, label in User.Verification.choices if value != User.Verification.NONE
]


class VerificationRecord(models.Model):
    """How the city came to know a person's identity and address: who checked, when, how.
    The account keeps only the resulting level; this is the trail behind it."""

    class Method(models.TextChoices):
        COUNTER = "counter", _("Vérification à l'accueil par un agent")
        CENSUS = "census", _("Correspondance avec la liste électorale ou de recensement")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_records")
    level = models.CharField(_("niveau"), max_length=10, choices=User.Verification.choices)
    method = models.CharField(_("méthode"), max_length=10, choices=Method.choices)
    territory = models.ForeignKey(
        "core.Territory", verbose_name=_("quartier"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        User, verbose_name=_("vérifié par"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("vérifié le"), default=timezone.now)

    class Meta:
        ordering = ["-verified_at", "-pk"]
        verbose_name = _("vérification de compte")
        verbose_name_plural = _("vérifications de comptes")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_method_display()} ({self.verified_at:%Y-%m-%d})"


class CensusImport(models.Model):
    """One upload of the city's electoral or census list. Only keyed digests of its rows are
    kept (``CensusEntry``), never the names, birth dates or addresses, and they are deleted at
    ``purge_on`` (one year at most) or when a new list replaces this one."""

    city = models.ForeignKey("core.Territory", verbose_name=_("ville"), on_delete=models.CASCADE, related_name="+")
    imported_by = models.ForeignKey(
        User, verbose_name=_("importée par"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("importée le"), default=timezone.now)
    purge_on = models.DateField(_("supprimée le"))
    row_count = models.PositiveIntegerField(_("nombre de personnes"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("liste de recensement importée")
        verbose_name_plural = _("listes de recensement importées")

    def __str__(self) -> str:
        return f"{self.city} — {self.imported_at:%Y-%m-%d}"


class CensusEntry(models.Model):
    """One person of the list, as an HMAC of their normalised name, birth date and address
    (``apps.accounts.census.census_digest``): matching needs the key, reading a backup does not
    give the list back."""

    census = models.ForeignKey(CensusImport, on_delete=models.CASCADE, related_name="entries")
    digest = models.CharField(max_length=64, db_index=True)
    quartier = models.ForeignKey("core.Territory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # One entry proves one account: the same identity cannot verify a second account.
    claimed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["census", "digest"], name="unique_census_digest")]
        verbose_name = _("personne de la liste de recensement")
        verbose_name_plural = _("personnes de la liste de recensement")

    def __str__(self) -> str:
        return self.digest[:12]


def public_name(display_name: str, is_deleted: bool | None) -> str:
    """The name an account is shown under (``User.public_name``, and rows read without the model)."""
    return str(_("Participant·e supprimé·e")) if is_deleted else display_name
