"""Forms of the sortition module (French labels and errors, no JavaScript needed)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Process, Territory
from apps.sortition import bridge
from apps.sortition.models import Draw, PoolMember
from apps.sortition.services import MAX_UPLOAD_BYTES, NEXT_STATUSES, validate_purge_on


class DrawCreateForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    purpose = forms.CharField(
        label=_("À quoi sert ce tirage"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Par exemple : composer le panel de l'atelier citoyen sur les mobilités."),
    )
    territory = forms.ModelChoiceField(label=_("Territoire"), queryset=Territory.objects.none())
    process = forms.ModelChoiceField(label=_("Démarche (facultatif)"), queryset=Process.objects.none(), required=False)
    panel_size = forms.IntegerField(label=_("Taille du panel"), min_value=1, max_value=1000)
    algorithm = forms.ChoiceField(label=_("Méthode"), choices=Draw.Algorithm.choices, initial=Draw.Algorithm.LEXIMIN)
    list_source = forms.ChoiceField(label=_("Source de la liste"), choices=Draw.ListSource.choices)
    legal_basis = forms.CharField(
        label=_("Base légale du traitement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : mission d'intérêt public (article 6-1-e du RGPD), délibération du …"),
    )
    purge_on = forms.DateField(
        label=_("Date de suppression des données personnelles"),
        widget=DateInput(),
        help_text=_("Dans le futur, au plus tard dans deux ans (format AAAA-MM-JJ)."),
    )

    def __init__(
        self, *args: Any, territories: QuerySet[Territory], processes: QuerySet[Process], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]
        self.fields["process"].queryset = processes  # type: ignore[attr-defined]

    def clean_purge_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["purge_on"]
        try:
            validate_purge_on(value, timezone.localdate())
        except ValidationError as error:
            raise ValidationError(error.message_dict["purge_on"]) from None
        return value


def _read_upload(upload: Any, label: str) -> bytes:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Le fichier « %(name)s » dépasse 5 Mo.") % {"name": upload.name})
    data: bytes = upload.read()
    return data


class PoolImportForm(forms.Form):
    people = forms.FileField(
        label=_("Liste des personnes (CSV)"),
        required=False,
        help_text=_(
            "Une ligne par personne, une colonne d'identifiant (par exemple pool_member_identifier) et une colonne "
            "par catégorie. Les autres colonnes (nom, courriel, téléphone, adresse) servent seulement à inviter "
            "les personnes tirées : elles ne sont ni utilisées pour le tirage ni publiées. 5 Mo au plus."
        ),
    )
    categories = forms.FileField(
        label=_("Quotas (CSV)"),
        help_text=_("Colonnes category,feature,min,max : une ligne par valeur de chaque catégorie. 5 Mo au plus."),
    )

    def __init__(self, *args: Any, people_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].required = people_required
        self.fields["people"].widget.attrs["accept"] = ".csv,text/csv"
        self.fields["categories"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_people(self) -> bytes | None:
        upload = self.cleaned_data.get("people")
        return _read_upload(upload, "people") if upload else None

    def clean_categories(self) -> bytes:
        return _read_upload(self.cleaned_data["categories"], "categories")


#: A date and time typed the French way whatever the browser (no ``datetime-local`` picker).
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y %Hh", "%d/%m/%Y", "%Y-%m-%dT%H:%M"]


class SeedForm(forms.Form):
    """The announcement: the future public event whose result will be the seed."""

    seed_source = forms.CharField(
        label=_("Événement public qui fournira la graine"),
        max_length=300,
        help_text=_(
            "Un événement à venir dont personne ne choisit le résultat, nommé sans ambiguïté. Par exemple : "
            "« les 5 numéros et 2 étoiles du tirage EuroMillions du mardi 15 décembre 2026, dans l'ordre "
            "croissant »."
        ),
    )
    seed_event_at = forms.DateTimeField(
        label=_("Résultat connu à partir du"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Date et heure de publication du résultat, au format JJ/MM/AAAA HH:MM (par exemple 15/12/2026 22:00). "
            "Le tirage sera impossible avant."
        ),
        error_messages={"invalid": _("Indiquez la date et l'heure au format JJ/MM/AAAA HH:MM.")},
    )
    seed_commitment = forms.CharField(
        label=_("Empreinte SHA-256 d'un secret (facultatif)"),
        max_length=64,
        required=False,
        help_text=_(
            "Pour combiner le résultat avec un secret que vous révélerez au tirage : choisissez un secret, "
            "gardez-le, et collez ici son empreinte (printf %s 'mon secret' | sha256sum). Sans secret, "
            "la graine est le résultat de l'événement seul, ce qui suffit."
        ),
    )


class FinalDrawForm(forms.Form):
    """The draw: the published result of the announced event (and the secret, if committed)."""

    event_result = forms.CharField(
        label=_("Résultat publié de l'événement"),
        max_length=150,
        help_text=_("Recopiez-le tel qu'il est publié, par exemple « 04 17 22 31 45 — 03 11 »."),
    )
    secret = forms.CharField(
        label=_("Secret dont l'empreinte a été publiée"),
        max_length=200,
        required=False,
        strip=False,
    )

    def __init__(self, *args: Any, draw: Draw, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if draw.seed_mode != Draw.SeedMode.COMMIT_REVEAL:
            del self.fields["secret"]


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=())

    def __init__(self, *args: Any, member: PoolMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = NEXT_STATUSES.get(member.status, set())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (v, label) for v, label in PoolMember.Status.choices if v in allowed
        ]
        self.fields["status"].widget.attrs["id"] = f"id_status_{member.pk}"


class VolunteerForm(forms.Form):
    """The questions of the quota file, then a phone number and the consent."""

    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=30,
        required=False,
        help_text=_("Pour vous joindre si vous êtes tiré·e au sort."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces réponses servent au tirage au sort et que la Ville me contacte si je suis tiré·e. "
            "Elles ne sont jamais publiées avec mon nom et sont supprimées à la date indiquée."
        ),
        required=True,
        error_messages={"required": _("Votre accord est nécessaire pour participer au tirage.")},
    )

    def __init__(self, *args: Any, draw: Draw, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[str] = []
        questions: dict[str, forms.Field] = {}
        for index, (category, values) in enumerate(bridge.features_and_choices(draw.categories_csv)):
            name = f"q{index}"
            self.questions.append(category)
            questions[name] = forms.ChoiceField(
                label=bridge.column_label(category),
                choices=[(v, v) for v in values],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choisissez une réponse.")},
            )
        self.fields = {**questions, **self.fields}

    def features(self) -> dict[str, str]:
        return {category: self.cleaned_data[f"q{i}"] for i, category in enumerate(self.questions)}
