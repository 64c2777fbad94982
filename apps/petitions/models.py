"""Petitions, interpellation and auto-saisine; agoras éphémères.

A resident or a group files a petition (text, recipient, territory). A moderator publishes it
or refuses it with a public reason. Published, it collects signatures (online, one per account;
on paper, entered by agents, one per person) until its closing date; past its threshold the city
owes a reasoned answer (the shared ``answers`` primitive) by its answer deadline, and the answer
chooses a route. An auto-saisine is a petition of its own kind asking the city to open a process
or a workshop; accepted, it creates a draft process.

The rules of the game (threshold, verification, duration, answer deadline) are set per kind of
petition and per territory level (``PetitionRule``) and frozen on the petition when it is
published, so that changing them never changes a running collection (CONSUL #5321).

An agora éphémère is a short problem-solving forum born of a conflict or of a petition: its
stakeholders, 2 to 4 sittings (the shared ``sittings``), a shared diagnosis, an action plan whose
items become commitments of the follow-up, and a dated closing report.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import REQUIRABLE_VERIFICATIONS
from apps.core.models import Process, Service, Territory
from apps.core.richtext import render_rich_text


class Kind(models.TextChoices):
    PETITION = "petition", _("Pétition")
    SAISINE = "saisine", _("Demande d'auto-saisine")


class Route(models.TextChoices):
    """What the city's answer does with a petition past its threshold."""

    COUNCIL = "council", _("Inscription à l'ordre du jour d'une instance")
    AGORA = "agora", _("Ouverture d'une agora éphémère")
    WORKSHOP = "workshop", _("Projet de mandat d'atelier citoyen")
    PROCESS = "process", _("Ouverture d'une démarche (auto-saisine)")
    REFUSED = "refused", _("Refus motivé")


class PetitionRule(models.Model):
    """The rules of the game of one kind of petition at one territory level."""

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("échelon territorial"), max_length=12, choices=Territory.Kind.choices)
    threshold = models.PositiveIntegerField(_("seuil de signatures"))
    verification = models.CharField(
        _("vérification exigée des signataires"),
        max_length=10,
        choices=REQUIRABLE_VERIFICATIONS,
        default="email",
    )
    duration_days = models.PositiveSmallIntegerField(_("durée de la collecte (en jours)"), default=90)
    answer_days = models.PositiveSmallIntegerField(_("délai de réponse de la Ville (en jours)"), default=60)
    # Answers are signed and commitments followed within a process (answers and followup key
    # everything by process): the one that hosts this level's petitions.
    process = models.ForeignKey(
        Process,
        verbose_name=_("démarche qui porte les réponses et les engagements"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "level"]
        verbose_name = _("règle du jeu des pétitions")
        verbose_name_plural = _("règles du jeu des pétitions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "level"], name="petition_rule_one_per_kind_level"),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="petition_rule_threshold_positive"),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="petition_rule_duration_positive"),
            models.CheckConstraint(condition=Q(answer_days__gte=1), name="petition_rule_answer_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_level_display()}"


class Petition(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("En attente de modération")
        REJECTED = "rejected", _("Refusée à la modération")
        COLLECTING = "collecting", _("Signatures en cours")
        CLOSED = "closed", _("Collecte close")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.PETITION)
    title = models.CharField(_("titre"), max_length=160)
    body = models.TextField(_("texte de la pétition"))
    body_html = models.TextField(editable=False, blank=True)
    recipient = models.CharField(
        _("destinataire"), max_length=200, help_text=_("Par exemple « le maire », « le conseil de quartier »…")
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire concerné"), on_delete=models.PROTECT, related_name="+"
    )
    # A group files under its name (« Collectif des parents de l'école Talensac »).
    group_name = models.CharField(_("au nom du collectif"), max_length=150, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.PENDING)
    rejection_reason = models.TextField(_("motif public du refus"), blank=True)
    # Frozen from the rules of the game when published (never changed afterwards).
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="+")
    threshold = models.PositiveIntegerField(_("seuil de signatures"))
    verification = models.CharField(_("vérification exigée"), max_length=10, choices=REQUIRABLE_VERIFICATIONS)
    answer_days = models.PositiveSmallIntegerField(_("délai de réponse (en jours)"))
    duration_days = models.PositiveSmallIntegerField(_("durée de la collecte (en jours)"))
    published_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(_("fin de la collecte"), null=True, blank=True)
    # Set by the signature that reaches the threshold; the answer is due ``answer_days`` later.
    reached_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField(_("réponse due le"), null=True, blank=True)
    signature_count = models.PositiveIntegerField(default=0)
    # The route the published answer took, and what it created.
    route = models.CharField(_("suite donnée"), max_length=10, choices=Route.choices, blank=True)
    created_process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("démarche ouverte")
    )
    # Where another module put it (the council meeting, the draft workshop): see answering.py.
    route_url = models.CharField(max_length=300, blank=True, editable=False)
    # Members of the committee join through this secret link given to the author.
    committee_token = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("pétition")
        verbose_name_plural = _("pétitions")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1), name="petition_threshold_positive"),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="petition_rejection_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_at"], name="petition_state_published")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body_html = render_rich_text(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state in {self.State.COLLECTING, self.State.CLOSED, self.State.REJECTED}

    @property
    def threshold_reached(self) -> bool:
        return self.reached_at is not None


class CommitteeMember(models.Model):
    """A member of the citizens' committee behind a petition; named publicly only if they agree."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    public_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    agrees_to_be_named = models.BooleanField(_("j'accepte que mon nom soit affiché avec la pétition"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("membre du comité")
        verbose_name_plural = _("membres du comité")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "user"], condition=Q(user__isnull=False), name="petition_committee_once"
            ),
        ]

    def __str__(self) -> str:
        return self.public_name or str(self.pk)


class Signature(models.Model):
    """One person's signature. ``person_key`` is what makes it unique on its petition, online and
    on paper alike: ``p:<HMAC-SHA256>`` of the normalised family name, first name, birth date and
    postcode + street (see :func:`apps.petitions.services.person_key`), keyed by a secret derived
    from ``SECRET_KEY``. The same person written twice (case, accents, spaces), or signing online
    after an agent typed their sheet, gives the same key; no name, birth date or address is ever
    stored. An online signature also keeps its account (one signature per account).
    (Signatures made before the online form asked for the identity have ``u:<account id>``.)

    The row keeps the quartier counted (the signer's home quartier at signing, or the one the
    agent read on the paper form) and the channel: the counts per quartier come from it.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Sur papier")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    person_key = models.CharField(max_length=80)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day only: a finer time would let whoever sees two rows link them to other records.
    signed_on = models.DateField()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "person_key"], name="petition_one_signature_per_person"),
            models.UniqueConstraint(
                fields=["petition", "user"], condition=Q(user__isnull=False), name="petition_one_signature_per_account"
            ),
        ]
        indexes = [models.Index(fields=["petition", "territory", "channel"], name="signature_counts")]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.pk}"


class Agora(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("En cours")
        CLOSED = "closed", _("Close")

    MIN_SITTINGS = 2
    MAX_SITTINGS = 4

    title = models.CharField(_("titre"), max_length=200)
    problem = models.TextField(_("le problème à résoudre"))
    territory = models.ForeignKey(Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="+")
    petition = models.ForeignKey(
        Petition, null=True, blank=True, on_delete=models.SET_NULL, related_name="agoras", verbose_name=_("pétition")
    )
    # Where its action plan is followed up (commitments are keyed by process).
    process = models.ForeignKey(
        Process, verbose_name=_("démarche de suivi des engagements"), on_delete=models.PROTECT, related_name="+"
    )
    diagnosis = models.TextField(_("diagnostic partagé"), blank=True)
    diagnosis_html = models.TextField(editable=False, blank=True)
    report = models.TextField(_("rapport de clôture"), blank=True)
    report_html = models.TextField(editable=False, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sittings = GenericRelation(
        "sittings.Sitting", content_type_field="body_type", object_id_field="body_id", related_query_name="agora"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agora éphémère")
        verbose_name_plural = _("agoras éphémères")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | (Q(closed_on__isnull=False) & ~Q(report="")),
                name="agora_closed_with_dated_report",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.diagnosis_html = render_rich_text(self.diagnosis)
        self.report_html = render_rich_text(self.report)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("petitions:agora", kwargs={"pk": self.pk})

    def sitting_url(self, sitting: models.Model) -> str:
        return reverse("petitions:agora", kwargs={"pk": self.pk}) + f"#seance-{sitting.pk}"


class Stakeholder(models.Model):
    """Who takes part: residents, associations, city services, élus. Organisations are public;
    a person's name only when they agree."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Habitant·e")
        ASSOCIATION = "association", _("Association")
        SERVICE = "service", _("Service de la Ville")
        ELU = "elu", _("Élu·e")

    agora = models.ForeignKey(Agora, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    contact_name = models.CharField(_("nom de la personne"), max_length=120, blank=True)
    name_is_public = models.BooleanField(_("la personne accepte que son nom soit publié"), default=False)
    # Where the invitation (the agora's problem and its sittings) is sent; never published.
    email = models.EmailField(_("adresse électronique pour l'invitation"), blank=True)
    invited_on = models.DateField(_("invitée le"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("partie prenante")
        verbose_name_plural = _("parties prenantes")

    def __str__(self) -> str:
        return self.organisation or self.get_kind_display()

    @property
    def public_label(self) -> str:
        name = self.contact_name if self.name_is_public else ""
        parts = [part for part in (self.organisation, name) if part]
        return " — ".join(parts) or str(self.get_kind_display())


class ActionItem(models.Model):
    """One item of an agora's action plan; closing the agora makes it a commitment."""

    agora = models.ForeignKey(Agora, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service responsable"), null=True, blank=True, on_delete=models.SET_NULL
    )
    planned_date = models.DateField(_("date prévue"), null=True, blank=True)
    commitment = models.ForeignKey(
        "followup.Commitment", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")

    def __str__(self) -> str:
        return self.title
