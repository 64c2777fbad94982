"""Draws by lot of citizen panels (the web side of :mod:`apps.sortition.engine`).

A draw keeps what anyone needs to verify it (the hashes of the pool and quota files, the
public seed, the computed distribution, the audit report) and, separately, the personal
data needed to invite the people drawn, which is purged at ``purge_on`` (RGPD).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory


def _new_salt() -> str:
    return secrets.token_hex(16)


class Draw(models.Model):
    class Algorithm(models.TextChoices):
        LEXIMIN = "leximin", _("Leximin (le plus équitable)")
        LEGACY = "legacy", _("Méthode gloutonne historique (comparaison)")

    class ListSource(models.TextChoices):
        ELECTORAL_ROLL = "electoral_roll", _("Liste électorale")
        SOCIAL_LANDLORD = "social_landlord", _("Fichier de locataires d'un bailleur social")
        VOLUNTEERS = "volunteers", _("Appel à volontaires")
        OTHER = "other", _("Autre liste")

    class SeedMode(models.TextChoices):
        PUBLIC_EVENT = "public_event", _("Résultat d'un événement public annoncé à l'avance")
        COMMIT_REVEAL = "commit_reveal", _("Secret engagé à l'annonce, combiné au résultat d'un événement public")
        LEGACY = "legacy", _("Graine saisie par l'agent (ancienne procédure, sans événement public)")

    class State(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        POOL_LOADED = "pool_loaded", _("Liste importée")
        COMPUTING = "computing", _("Calcul en cours")
        COMPUTED = "computed", _("Probabilités calculées")
        DRAWN = "drawn", _("Tirage effectué")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    purpose = models.TextField(_("à quoi sert ce tirage"), blank=True)
    process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.SET_NULL, related_name="draws", verbose_name=_("démarche")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="draws", verbose_name=_("territoire")
    )
    panel_size = models.PositiveSmallIntegerField(_("taille du panel"))
    algorithm = models.CharField(_("méthode"), max_length=10, choices=Algorithm.choices, default=Algorithm.LEXIMIN)
    # The seed nobody can choose (see ``apps.sortition.engine.timeline`` for why): the
    # announcement names a future public event (``seed_source``, known after ``seed_event_at``),
    # makes the page public, freezes the pool and publishes the hashes of the pool file and of
    # the distribution; optionally the agent also commits to a secret (SHA-256 published). The
    # draw, refused before ``seed_event_at``, takes the event's result (and reveals the secret):
    # ``seed`` is derived from them.
    seed_mode = models.CharField(_("origine de la graine"), max_length=16, choices=SeedMode.choices, blank=True)
    seed = models.CharField(_("graine publique"), max_length=200, blank=True)
    seed_source = models.CharField(_("événement public qui fournit la graine"), max_length=300, blank=True)
    seed_event_at = models.DateTimeField(_("résultat connu à partir du"), null=True, blank=True)
    seed_event_result = models.CharField(_("résultat publié de l'événement"), max_length=200, blank=True)
    seed_commitment = models.CharField(_("empreinte SHA-256 du secret"), max_length=64, blank=True)
    seed_secret = models.CharField(_("secret révélé"), max_length=200, blank=True)
    seed_announced_at = models.DateTimeField(_("tirage annoncé le"), null=True, blank=True)
    # SHA-256 of the canonical distribution text (``engine.draw.canonical_description``),
    # published at the announcement with ``pool_sha256``.
    distribution_sha256 = models.CharField(max_length=64, blank=True)
    # RGPD: where the list comes from, on what legal basis, and when personal data goes.
    list_source = models.CharField(_("source de la liste"), max_length=20, choices=ListSource.choices)
    legal_basis = models.TextField(_("base légale du traitement"))
    purge_on = models.DateField(_("date de suppression des données personnelles"))
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What verification needs: public, kept after the purge.
    # SHA-256 of the list as imported (observers holding the raw extract can check it).
    people_sha256 = models.CharField(max_length=64, blank=True)
    # The pseudonymised pool file the engine runs on (pseudonym + category columns, sorted by
    # pseudonym, UTF-8, "\n"): published once the seed is announced, kept after the purge.
    pool_csv = models.TextField(blank=True)
    pool_sha256 = models.CharField(max_length=64, blank=True)
    categories_sha256 = models.CharField(max_length=64, blank=True)
    categories_csv = models.TextField(blank=True)
    distribution = models.JSONField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    is_published = models.BooleanField(_("rapport publié"), default=False)
    # Secret key of the public pseudonyms of this draw's members: a pseudonym cannot be
    # computed from an identifier of the list without it (see ``bridge.pseudonym_for``).
    pseudonym_salt = models.CharField(max_length=64, default=_new_salt, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tirage au sort")
        verbose_name_plural = _("tirages au sort")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sortition:detail", kwargs={"slug": self.slug})


class PoolMember(models.Model):
    """One person of the pool. ``features`` (the stratification values) stay after the purge;
    ``personal`` (name, contact) is emptied at ``Draw.purge_on``."""

    class Status(models.TextChoices):
        POOL = "pool", _("Dans la liste")
        SELECTED = "selected", _("Tiré·e au sort")
        INVITED = "invited", _("Invité·e")
        CONFIRMED = "confirmed", _("A accepté")
        DECLINED = "declined", _("A décliné")
        ALTERNATE = "alternate", _("Remplaçant·e")

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="members")
    identifier = models.CharField(max_length=100)
    pseudonym = models.CharField(max_length=24)
    features = models.JSONField(default=dict)
    personal = models.JSONField(default=dict, blank=True)
    probability = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.POOL)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["draw", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "identifier"], name="one_pool_member_per_identifier"),
            models.UniqueConstraint(fields=["draw", "pseudonym"], name="one_pool_member_per_pseudonym"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class DrawAttempt(models.Model):
    """Every computation and every draw is kept and shown: a draw cannot be silently re-run."""

    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Aperçu (calcul des probabilités)")
        FINAL = "final", _("Tirage définitif")
        ALTERNATES = "alternates", _("Tirage de remplaçant·es")

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    seed = models.CharField(max_length=200, blank=True)
    outcome = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # The final draw happens once: a second one is refused by the database too.
            models.UniqueConstraint(fields=["draw"], condition=models.Q(kind="final"), name="one_final_draw_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} {self.kind}"


class VolunteerApplication(models.Model):
    """A resident who answered the call for volunteers of a draw (``list_source`` volunteers).

    ``features`` holds the answers to the stratification questions (values of the quota file);
    the applications become the pool when an agent builds it.
    """

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    features = models.JSONField(default=dict)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draw", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "user"], name="one_application_per_person_and_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} — {self.pk}"
