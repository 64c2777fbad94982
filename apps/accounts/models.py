"""Accounts: people sign in with their email address.

Age band and gender are optional, asked with explicit consent, and used only for the
representativeness statistics; deleting an account erases every personal field and
keeps the contributions, shown as from a deleted participant.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
        # What the city knows of the person: a confirmed email, or an identity and address
        # checked by an agent (at a desk, or with a proof of address). Votes may require either.
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
    verification = models.CharField(
        _("niveau de vérification du compte"), max_length=10, choices=Verification.choices, default=Verification.EMAIL
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        return str(_("Participant·e supprimé·e")) if self.is_deleted else self.display_name
