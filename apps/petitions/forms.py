"""Forms of petitions and agoras: they parse and validate input (French messages); the services
write. Every error comes back on the same form with what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import REQUIRABLE_VERIFICATIONS
from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Process, Service, Territory
from apps.petitions.models import Kind, Petition, Route, Stakeholder

TEXT_ROWS = 8


class PetitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ce que vous demandez"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Titre"), min_length=10, max_length=160)
    body = forms.CharField(
        label=_("Texte"),
        min_length=50,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        help_text=_("Expliquez la situation et ce que vous demandez (50 caractères au moins)."),
    )
    recipient = forms.CharField(
        label=_("Destinataire"), max_length=200, help_text=_("Par exemple « le maire », « le conseil de quartier »…")
    )
    territory = forms.ModelChoiceField(label=_("Territoire concerné"), queryset=Territory.objects.none())
    group_name = forms.CharField(
        label=_("Au nom d'un collectif (facultatif)"),
        max_length=150,
        required=False,
        help_text=_("Le nom du collectif, de l'association ou du conseil qui porte la demande."),
    )
    show_my_name = forms.BooleanField(
        label=_("J'accepte que mon nom soit affiché comme membre du comité"), required=False
    )
    confirm_new = forms.BooleanField(
        label=_("Ma demande est différente des pétitions proposées : la déposer quand même"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["territory"]
        field.queryset = Territory.objects.order_by("kind", "name")
        field.empty_label = _("Choisissez un territoire")


class CommitteeJoinForm(forms.Form):
    agrees_to_be_named = forms.BooleanField(
        label=_("J'accepte que mon nom soit affiché avec la pétition"), required=False
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("publish", _("Publier : la collecte commence")), ("reject", _("Refuser, avec un motif public"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif public du refus"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire en cas de refus : il est publié avec le titre de la pétition."),
    )


class IdentityForm(forms.Form):
    """What a paper sheet asks of a signatory, asked online too: the same facts give the same
    identity key, so a person counts once whatever the channel. Only the key is kept."""

    family_name = forms.CharField(label=_("Nom de famille"), max_length=120)
    first_name = forms.CharField(label=_("Prénom"), max_length=120)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    address = forms.CharField(label=_("Adresse"), max_length=250, help_text=_("Numéro et rue."))
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^[0-9]{5}$",
        max_length=5,
        error_messages={"invalid": _("Un code postal a cinq chiffres, par exemple 44000.")},
    )

    def clean_postal_code(self) -> str:
        # RegexField's \d-free pattern already refuses Unicode digits (« ٤٤٠٠٠ »).
        value: str = self.cleaned_data["postal_code"]
        return value


class SignatureForm(IdentityForm):
    """Online signature: the same facts as on paper (the view adds no field of its own)."""


class PaperSignatureForm(IdentityForm):
    territory = forms.ModelChoiceField(
        label=_("Quartier du ou de la signataire"),
        queryset=Territory.objects.none(),
        required=False,
        help_text=_("Sert seulement au décompte par quartier."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["territory"]
        field.queryset = Territory.objects.exclude(kind=Territory.Kind.CITY).order_by("name")
        field.empty_label = _("Quartier inconnu")


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de demande"), choices=Kind.choices)
    level = forms.ChoiceField(label=_("Échelon territorial"), choices=Territory.Kind.choices)
    threshold = forms.IntegerField(label=_("Seuil de signatures"), min_value=1, max_value=1_000_000)
    verification = forms.ChoiceField(label=_("Vérification exigée des signataires"), choices=REQUIRABLE_VERIFICATIONS)
    duration_days = forms.IntegerField(label=_("Durée de la collecte (en jours)"), min_value=1, max_value=730)
    answer_days = forms.IntegerField(label=_("Délai de réponse de la Ville (en jours)"), min_value=1, max_value=365)
    process = forms.ModelChoiceField(
        label=_("Démarche qui porte les réponses et les engagements"), queryset=Process.objects.none()
    )

    def __init__(self, *args: Any, processes: QuerySet[Process], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["process"]
        field.queryset = processes


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Suite donnée"), choices=Route.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Réponse argumentée"), max_length=10000, widget=forms.Textarea(attrs={"rows": TEXT_ROWS})
    )


class AgoraForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    problem = forms.CharField(label=_("Le problème à résoudre"), widget=forms.Textarea(attrs={"rows": 5}))
    territory = forms.ModelChoiceField(label=_("Territoire"), queryset=Territory.objects.none())
    process = forms.ModelChoiceField(label=_("Démarche de suivi des engagements"), queryset=Process.objects.none())
    petition = forms.ModelChoiceField(
        label=_("Pétition d'origine (facultatif)"), queryset=Petition.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        territories: QuerySet[Territory],
        processes: QuerySet[Process],
        petitions: QuerySet[Petition],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("territory", territories), ("process", processes), ("petition", petitions)):
            field: Any = self.fields[name]
            field.queryset = queryset


class AgoraEditForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    problem = forms.CharField(label=_("Le problème à résoudre"), widget=forms.Textarea(attrs={"rows": 5}))
    diagnosis = forms.CharField(
        label=_("Diagnostic partagé"), required=False, widget=forms.Textarea(attrs={"rows": TEXT_ROWS})
    )
    is_published = forms.BooleanField(label=_("Publier la page de l'agora"), required=False)


class StakeholderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Stakeholder.Kind.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    contact_name = forms.CharField(label=_("Nom de la personne"), max_length=120, required=False)
    name_is_public = forms.BooleanField(label=_("La personne accepte que son nom soit publié"), required=False)
    email = forms.EmailField(
        label=_("Adresse électronique pour l'invitation"),
        required=False,
        max_length=254,
        help_text=_("Jamais publiée : elle sert à envoyer l'invitation et les dates des séances."),
    )
    invited_on = forms.DateField(
        label=_("Invitée le"),
        required=False,
        widget=DateInput(),
        help_text=_("Pour une invitation faite autrement (courrier, téléphone)."),
    )


class SittingForm(forms.Form):
    title = forms.CharField(label=_("Titre de la séance"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Début"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Fin"), required=False, widget=DateTimeInput())
    place = forms.CharField(label=_("Lieu"), max_length=250)
    agenda = forms.CharField(label=_("Ordre du jour"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": TEXT_ROWS}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    service = forms.ModelChoiceField(
        label=_("Service responsable"), queryset=Service.objects.order_by("name"), required=False
    )
    planned_date = forms.DateField(label=_("Date prévue"), required=False, widget=DateInput())


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Date de clôture"), widget=DateInput())
    report = forms.CharField(label=_("Rapport de clôture"), widget=forms.Textarea(attrs={"rows": TEXT_ROWS}))
