"""Forms of the sessions of a call, the receipts and the closing report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput
from apps.initiatives.forms import MoneyField
from apps.initiatives.models import Attachment, Initiative


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Nom de la session"), max_length=120)
    cutoff = forms.DateField(
        label=_("Dépôts jusqu'au (inclus)"),
        widget=DateInput(),
        help_text=_("Les dossiers déposés jusqu'à ce jour sont examinés ensemble à cette session."),
    )
    examines_on = forms.DateField(label=_("Examen le"), widget=DateInput())
    tranche = MoneyField(
        label=_("Part de l'enveloppe ouverte à cette session (€)"),
        help_text=_("Ce qu'une session ne dépense pas s'ajoute à la suivante."),
    )


class ExamineForm(forms.Form):
    conforming = forms.ModelMultipleChoiceField(
        label=_("Dossiers conformes aux critères publiés"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Refusez ou réorientez d'abord, avec leurs motifs, les dossiers qui ne remplissent pas les critères."
        ),
    )
    note = forms.CharField(
        label=_("Précision ajoutée aux motifs (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, dossiers: QuerySet[Initiative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["conforming"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = dossiers
        field.label_from_instance = lambda dossier: f"{dossier.title} — {dossier.amount_requested} €"  # type: ignore[method-assign,assignment]
        self.initial.setdefault("conforming", list(dossiers))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=Attachment.Kind.choices, widget=forms.RadioSelect, initial="receipt"
    )
    label = forms.CharField(
        label=_("Ce que c'est"), max_length=200, help_text=_("Par exemple : facture du loueur de barnums.")
    )
    amount = MoneyField(
        label=_("Montant (€)"), required=False, help_text=_("Le montant du justificatif, s'il y en a un.")
    )
    upload = forms.FileField(
        label=_("Le fichier"),
        help_text=_("Un document PDF ou une photo (JPEG, PNG, WebP), 10 Mo au maximum."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf,image/jpeg,image/png,image/webp"}),
    )


class ReportForm(forms.Form):
    done = forms.CharField(label=_("Ce qui a été fait"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    participants = forms.IntegerField(label=_("Nombre de participant·es"), min_value=0, max_value=1_000_000)
    participants_note = forms.CharField(
        label=_("Qui a participé"),
        max_length=500,
        required=False,
        help_text=_("Par exemple : des familles, l'école, deux associations."),
    )
    spent = MoneyField(label=_("Dépensé (€)"))
    difference_note = forms.CharField(
        label=_("Si la dépense diffère de l'aide, pourquoi"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Le bilan"),
        choices=[("validate", _("Valider : le projet est clos")), ("return", _("Renvoyer pour le compléter"))],
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Message au porteur ou à la porteuse"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour renvoyer le bilan : dites ce qu'il faut compléter."),
    )
