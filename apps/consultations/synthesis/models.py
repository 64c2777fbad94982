"""A synthesis of the free-text contributions of a process (its conversations' statements and its
questionnaires' free-text answers): themes found by clustering, reviewed by agents (renamed,
merged, summarised), then published. Every contribution of a theme is cited (a link to the
statement or the answer), never copied: hiding a statement or deleting an answer removes it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import Statement
from apps.consultations.questionnaires.models import Question, Response
from apps.core.models import Process


class Synthesis(models.Model):
    class State(models.TextChoices):
        COMPUTING = "computing", _("Calcul en cours")
        DRAFT = "draft", _("À relire")
        PUBLISHED = "published", _("Publiée")
        FAILED = "failed", _("Échec du calcul")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="syntheses")
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.COMPUTING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, while computing
    requested_themes = models.PositiveSmallIntegerField(_("nombre de thèmes demandé"), null=True, blank=True)
    contributions = models.PositiveIntegerField(default=0)
    unclassified = models.PositiveIntegerField(default=0)
    silhouette = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("synthèse")
        verbose_name_plural = _("synthèses")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="consultations_published_synthesis_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:synthesis", args=[self.pk])


class Theme(models.Model):
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("titre du thème"), max_length=150)
    summary = models.TextField(_("résumé"), blank=True)
    key_terms = models.JSONField(default=list, blank=True)
    # Contributions by quartier: {territory pk or "": count}, as computed (summed on merges).
    quartiers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """One contribution in a theme: a statement, or the free-text answer to one question of a
    response. ``representative`` marks the quotes shown with the theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="citations")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    closeness = models.FloatField(default=0.0)
    representative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-representative", "-closeness", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(statement__isnull=False) & Q(response__isnull=True) & Q(question__isnull=True))
                | (Q(statement__isnull=True) & Q(response__isnull=False) & Q(question__isnull=False)),
                name="consultations_citation_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id}:{self.statement_id or self.response_id}"
