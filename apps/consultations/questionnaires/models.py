"""Questionnaires, their questions, the sites of a multi-site session, the responses and the
paper forms typed twice.

A response keeps its answers as one JSON object ``{question id: value}``: a questionnaire is read
whole (results, export), never one answer at a time, and one row per response keeps the export
of 250,000 answers a single streamed scan."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory


class Questionnaire(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    # Signed: answering needs an account and each person answers once (a unique constraint).
    # Anonymous: no account needed, the quartier and age band are asked (optional).
    signed = models.BooleanField(_("réponses signées (une par personne, compte nécessaire)"), default=False)
    results_public = models.BooleanField(_("résultats publics"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:questionnaire", args=[self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        SCALE = "scale", _("Échelle")
        RANKING = "ranking", _("Classement")
        TEXT = "text", _("Texte libre")
        MATRIX = "matrix", _("Tableau (une réponse par ligne)")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("type de question"), max_length=10, choices=Kind)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=True)
    # Options (choices, items to rank, matrix columns); matrix rows apart.
    options = models.JSONField(_("options"), default=list, blank=True)
    rows = models.JSONField(_("lignes du tableau"), default=list, blank=True)
    scale_min = models.SmallIntegerField(_("minimum de l'échelle"), default=1)
    scale_max = models.SmallIntegerField(_("maximum de l'échelle"), default=5)
    # Shown only when the answer to an earlier choice question includes this option (its index).
    condition_question = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="dependents"
    )
    condition_option = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="consultations_question_position"),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="consultations_scale_ordered"),
            models.CheckConstraint(
                condition=Q(condition_question__isnull=True) | Q(condition_option__isnull=False),
                name="consultations_condition_has_option",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def has_options(self) -> bool:
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKING, self.Kind.MATRIX}


class Site(models.Model):
    """One place of a multi-site session (World Wide Views): the same questions, the same day,
    in a room, a quartier, a partner city or online. Its facilitators enter the tables' answers."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Salle")
        QUARTIER = "quartier", _("Quartier")
        CITY = "city", _("Ville partenaire")
        ONLINE = "online", _("En ligne")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("nom du site"), max_length=120)
    kind = models.CharField(_("type de site"), max_length=10, choices=Kind, default=Kind.QUARTIER)
    # The quartier the site's participants are compared with (its reference population).
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    facilitators: models.ManyToManyField[Any, SiteFacilitator] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateurs·rices"),
        blank=True,
        related_name="+",
        through="SiteFacilitator",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "name"], name="consultations_site_name")]

    def __str__(self) -> str:
        return self.name


class SiteFacilitator(models.Model):
    """The facilitator role, held on one site only: it lets its holder enter that site's tables."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("animateur·rice de site")
        verbose_name_plural = _("animateurs·rices de site")
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="consultations_one_facilitator_row")]

    def __str__(self) -> str:
        return f"{self.site_id}:{self.user_id}"


class Channel(models.TextChoices):
    ONLINE = "online", _("En ligne")
    PAPER = "paper", _("Papier")
    MEETING = "meeting", _("Sur place (saisie de l'animateur·rice)")


class Response(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    # Set only for a signed questionnaire; one response per person (partial unique constraint).
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.ONLINE)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    table = models.CharField(_("table"), max_length=20, blank=True)
    # The profile used by cross-tabs: the account's (with consent) or the one written on the form.
    territory = models.ForeignKey(Territory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    age_band = models.CharField(_("tranche d'âge"), max_length=8, blank=True)
    answers = models.JSONField(default=dict)
    # A day, never a time: the order of answers says nothing more than needed.
    day = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "respondent"],
                condition=Q(respondent__isnull=False),
                name="consultations_one_response_per_person",
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "site"], name="consultations_resp_site")]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class DoubleEntry(models.Model):
    """A sheet typed twice by two different people, the second without seeing the first (paper
    forms, a table's totals): equal entries count; different ones list what differs
    (``contested``), which someone other than the first settles by typing the sheet again."""

    class State(models.TextChoices):
        FIRST_ENTRY = "first_entry", _("Première saisie")
        CONFIRMED = "confirmed", _("Confirmé (double saisie concordante)")
        DISPUTED = "disputed", _("Saisies discordantes : à revoir")

    first_entry = models.JSONField(default=dict)
    first_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_entry = models.JSONField(null=True, blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contested = models.JSONField(default=list, blank=True)  # keys that differ between the entries
    state = models.CharField(max_length=12, choices=State, default=State.FIRST_ENTRY)

    class Meta:
        abstract = True


# Each model names its own check (constraint names are global): never the same person twice.
TWO_PEOPLE = Q(second_by__isnull=True) | ~Q(second_by=F("first_by"))


class PaperForm(DoubleEntry):
    """A paper questionnaire typed twice by two different agents; confirmed, it creates the response."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="paper_forms")
    number = models.CharField(_("numéro du questionnaire papier"), max_length=30)
    response = models.OneToOneField(Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("questionnaire papier")
        verbose_name_plural = _("questionnaires papier")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="consultations_one_form_per_number"),
            models.CheckConstraint(condition=TWO_PEOPLE, name="consultations_paper_two_agents"),
        ]

    def __str__(self) -> str:
        return self.number


class ResultsSnapshot(models.Model):
    """A questionnaire's answers added up: one row per (question, answer, quartier, age band,
    site) with its count, a few thousand rows whatever the number of responses. The results page
    reads it instead of scanning every response on each visit; new answers mark it stale and the
    task queue adds everything up again (``questionnaires.snapshots``)."""

    questionnaire = models.OneToOneField(Questionnaire, on_delete=models.CASCADE, primary_key=True, related_name="+")
    stale = models.BooleanField(default=False)
    # When the computation behind ``data`` started: a slower, older computation never
    # overwrites a newer one.
    computed_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("résultats calculés")
        verbose_name_plural = _("résultats calculés")

    def __str__(self) -> str:
        return f"{self.questionnaire_id} ({self.computed_at})"


class TableTotals(DoubleEntry):
    """One table of a multi-site session, added up by its facilitator in one form (8
    participants: 5 « oui », 3 « non »). Typed twice like paper forms: a second person (another
    facilitator of the site or an agent) types the same sheet; equal, it counts (channel
    « meeting »); different, the contested questions are listed and someone other than the first
    settles them. ``first_entry``: ``{"headcount": 8, "counts": {question id: {key: n}}}`` with
    the keys of ``aggregates`` (``""`` = answered, ``"2"`` = option 2, ``"0:1"`` = a matrix cell)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="table_totals")
    table = models.CharField(_("table"), max_length=20)

    class Meta:
        ordering = ["site", "table"]
        verbose_name = _("totaux d'une table")
        verbose_name_plural = _("totaux des tables")
        constraints = [
            models.UniqueConstraint(fields=["site", "table"], name="consultations_one_totals_per_table"),
            models.CheckConstraint(condition=TWO_PEOPLE, name="consultations_table_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}:{self.table}"

    @property
    def headcount(self) -> int:
        entry = self.second_entry if self.state == self.State.CONFIRMED and self.second_entry else self.first_entry
        return int(entry.get("headcount", 0))
