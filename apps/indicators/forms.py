from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import CatalogueIndicator, Thresholds


class ReferenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier INSEE par IRIS (CSV)"),
        help_text=_(
            "Le fichier « Population » par IRIS publié par l'INSEE, avec une colonne QUARTIER ajoutée "
            "(nom du quartier de chaque IRIS). 20 Mo au maximum."
        ),
    )


class ThresholdsForm(forms.ModelForm[Thresholds]):
    class Meta:
        model = Thresholds
        fields = ["min_ratio", "min_participants"]


class CatalogueForm(forms.ModelForm[CatalogueIndicator]):
    class Meta:
        model = CatalogueIndicator
        fields = ["measure", "title", "definition", "order"]

    def validate_unique(self) -> None:
        """Saving a measure already in the catalogue renames it (the service updates)."""


class StructureChoiceForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicateurs suivis par la structure"),
        queryset=CatalogueIndicator.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
