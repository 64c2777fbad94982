"""Forms of a participatory evaluation (back office)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.workshops.evaluation_models import Evaluation


class EvaluationForm(forms.ModelForm[Evaluation]):
    class Meta:
        model = Evaluation
        fields = ["policy", "contract_action", "context", "questions", "criteria"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.Textarea(attrs={"rows": 5}),
            "criteria": forms.Textarea(attrs={"rows": 5}),
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Titre de la pièce"), max_length=200)
    origin = forms.CharField(
        label=_("Provenance"), max_length=200, required=False, help_text=_("Qui l'a produite, et quand.")
    )
    file = forms.FileField(label=_("Fichier PDF"), help_text=_("PDF uniquement, 10 Mo au maximum."))
    is_public = forms.BooleanField(
        label=_("Publier avec le cahier"),
        required=False,
        initial=True,
        help_text=_("Décochez pour une pièce réservée au panel et aux agents."),
    )
