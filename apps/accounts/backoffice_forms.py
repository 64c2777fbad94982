"""Forms of the verification back office: find an account, record a counter check, upload
the census list. They parse; the services (verification.py, census.py) write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import BirthDateField
from apps.core.models import Territory

MAX_CENSUS_BYTES = 30 * 1024 * 1024  # a city of 300,000 residents fits


class AccountSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique du compte"),
        help_text=_("L'adresse exacte que la personne utilise pour se connecter."),
        error_messages={
            "required": _("Indiquez l'adresse électronique de la personne."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )


class CounterVerifyForm(forms.Form):
    documents_checked = forms.BooleanField(
        label=_("J'ai vu une pièce d'identité au nom de la personne et un justificatif de domicile de moins de 3 mois"),
        error_messages={"required": _("Cochez cette case après avoir vu les deux documents.")},
    )
    quartier = forms.ModelChoiceField(
        label=_("Quartier de résidence"),
        queryset=Territory.objects.none(),
        help_text=_("D'après le justificatif de domicile. Seuls les quartiers de votre périmètre sont proposés."),
        error_messages={
            "required": _("Choisissez le quartier de résidence."),
            "invalid_choice": _("Choisissez un quartier de votre périmètre."),
        },
    )
    birth_date = BirthDateField(
        required=False,
        help_text=_("D'après la pièce d'identité, au format JJ/MM/AAAA. Laissez vide pour ne pas la changer."),
    )

    def __init__(self, *args: Any, quartiers: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = quartiers  # type: ignore[attr-defined]


class CensusImportForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("Ville"),
        queryset=Territory.objects.none(),
        error_messages={
            "required": _("Choisissez la ville."),
            "invalid_choice": _("Choisissez une ville de la liste."),
        },
    )
    file = forms.FileField(
        label=_("Liste électorale ou de recensement (CSV)"),
        help_text=_(
            "Colonnes : nom, prénom, date de naissance (JJ/MM/AAAA), adresse, code postal, quartier (facultatif). "
            "Séparateur virgule ou point-virgule, UTF-8 ou Windows-1252."
        ),
        error_messages={"required": _("Choisissez le fichier CSV.")},
    )

    def __init__(self, *args: Any, cities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities  # type: ignore[attr-defined]
        if cities.count() == 1:
            self.fields["city"].initial = cities.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CENSUS_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 30 Mo : découpez-le ou retirez les colonnes inutiles."))
        return upload
