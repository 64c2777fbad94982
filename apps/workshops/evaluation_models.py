"""Participatory evaluation (« évaluation participative »): a workshop whose panel of residents
evaluates a public policy or an action of the contrat de ville.

It is the workshop loop, not a copy of it: the mandate, the panel (drawn by lot or volunteers),
the sittings, the numbered recommendations, the reasoned answers and the follow-up are the
workshop's. An :class:`Evaluation` row turns a workshop into an evaluation and adds what only an
evaluation has: the policy evaluated, the evaluative questions and criteria, and the evidence
files the panel works from (PDF, checked and stored under a random name by ``apps.core.uploads``).
The published « cahier » gathers all of it (:mod:`apps.workshops.cahier`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import UploadPath


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class Evaluation(models.Model):
    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("atelier")
    )
    policy = models.CharField(
        _("politique ou action évaluée"),
        max_length=200,
        help_text=_("Par exemple « Le programme de réussite éducative » ou une action du contrat de ville."),
    )
    contract_action = models.CharField(
        _("axe ou action du contrat de ville"),
        max_length=200,
        blank=True,
        help_text=_("Laissez vide si l'évaluation ne porte pas sur le contrat de ville."),
    )
    context = models.TextField(_("contexte et objectifs de la politique"), blank=True)
    questions = models.TextField(
        _("questions évaluatives"),
        help_text=_("Une question par ligne, par exemple « L'action atteint-elle les jeunes les plus éloignés ? »."),
    )
    criteria = models.TextField(
        _("critères d'évaluation"),
        default="Pertinence\nEfficacité\nCohérence\nImpact",
        help_text=_("Un critère par ligne (pertinence, efficacité, efficience, cohérence, impact…)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation participative")
        verbose_name_plural = _("évaluations participatives")

    def __str__(self) -> str:
        return self.policy

    def question_list(self) -> list[str]:
        return _lines(self.questions)

    def criterion_list(self) -> list[str]:
        return _lines(self.criteria)


class EvidenceFile(models.Model):
    """A document of the evaluation file: a report, a budget statement, a survey, an audition.
    ``is_public`` ones are listed on the cahier; the others are the panel's and the agents'."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("titre"), max_length=200)
    origin = models.CharField(
        _("provenance"), max_length=200, blank=True, help_text=_("Qui l'a produit, et quand (service, année).")
    )
    file = models.FileField(_("fichier PDF"), upload_to=UploadPath("evaluations", kind="pdf"))
    is_public = models.BooleanField(
        _("publié avec le cahier"),
        default=True,
        help_text=_("Décochez pour un document réservé au panel (données internes, par exemple)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce du dossier d'évaluation")
        verbose_name_plural = _("pièces du dossier d'évaluation")

    def __str__(self) -> str:
        return self.title
