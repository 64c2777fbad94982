"""Forms of the agenda: they parse and validate input (in French); the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.agenda.models import AgendaItem, Event, Outcome, Registration, Sequence, SignInCount
from apps.core.forms import DateTimeInput
from apps.core.models import Process, Territory

TEXT_ROWS = 6


class EventForm(forms.ModelForm[Event]):
    title = forms.CharField(label=_("Titre"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Début"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Fin"), widget=DateTimeInput(), required=False)
    place = forms.CharField(label=_("Lieu"), max_length=250, help_text=_("Nom du lieu et adresse."))
    online_url = forms.URLField(
        label=_("Lien pour suivre en ligne"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("Pour une réunion hybride : l'adresse de la visioconférence."),
    )
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        help_text=_("Pour un rendez-vous de quartier : participation, débat, actualités."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "territory",
            "process",
            "summary",
            "access_info",
            "step_free",
            "online_url",
            "registration_enabled",
            "capacity",
            "is_published",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": TEXT_ROWS}),
            "access_info": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["kind", "title", "territory", "process", "starts_at", "ends_at", "place", "summary", "agenda"]

    def __init__(
        self,
        *args: Any,
        territories: QuerySet[Territory],
        processes: QuerySet[Process],
        event: Event | None = None,
        **kwargs: Any,
    ) -> None:
        if event is not None and event.sitting is not None:
            sitting = event.sitting
            kwargs.setdefault(
                "initial",
                {
                    "title": sitting.title,
                    "starts_at": sitting.starts_at,
                    "ends_at": sitting.ends_at,
                    "place": sitting.place,
                    "agenda": sitting.agenda,
                },
            )
        kwargs["instance"] = event
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = territories
        process = self.fields["process"]
        assert isinstance(process, forms.ModelChoiceField)
        process.queryset = processes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        if cleaned.get("capacity") is not None and not cleaned.get("registration_enabled"):
            self.add_error("capacity", _("Une jauge n'a de sens qu'avec l'inscription proposée : cochez-la."))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        return dict(self.cleaned_data)

    def _post_clean(self) -> None:
        # The service validates the model (with its sitting): the form checks only the fields.
        pass


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Il est affiché sur la page du rendez-vous et envoyé aux personnes inscrites."),
    )


class RegistrationForm(forms.ModelForm[Registration]):
    class Meta:
        model = Registration
        fields = ["childcare", "interpretation", "sign_language", "step_free"]

    def _post_clean(self) -> None:
        pass


class ItemForm(forms.ModelForm[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = ["sequence", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": _("Le sujet que vous proposez")}

    def _post_clean(self) -> None:
        pass


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Mise en forme légère possible (Markdown). Il est publié sur la page du rendez-vous."),
    )


class OutcomeForm(forms.ModelForm[Outcome]):
    class Meta:
        model = Outcome
        fields = ["sequence", "item", "title", "text", "link", "commitment", "answer", "link_url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "link_url": _("Pour une proposition ou une demande d'atelier : son adresse, par exemple /propositions/12/.")
        }

    def __init__(
        self, *args: Any, items: QuerySet[AgendaItem], commitments: QuerySet[Any], answers: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("item", items), ("commitment", commitments), ("answer", answers)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def _post_clean(self) -> None:
        pass


SEQUENCE_CHOICES = Sequence.choices


class SignInForm(forms.Form):
    """One number per (quartier, age band, first time) cell of the paper sheets."""

    def __init__(
        self, *args: Any, territories: list[Territory], initial_counts: dict[tuple[int, str, bool], int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells: list[tuple[Territory, list[tuple[str, str, list[forms.BoundField]]]]] = []
        for territory in territories:
            rows = []
            for band, label in SignInCount.AgeBand.choices:
                bound = []
                for first in (True, False):
                    name = f"n-{territory.pk}-{band}-{'1' if first else '0'}"
                    self.fields[name] = forms.IntegerField(
                        label=_("%(quartier)s, %(band)s, %(first)s")
                        % {
                            "quartier": territory.name,
                            "band": label,
                            "first": _("première fois") if first else _("déjà venu·es"),
                        },
                        min_value=0,
                        max_value=10000,
                        required=False,
                        initial=initial_counts.get((territory.pk, band, first)) or None,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "number-input"}),
                    )
                    bound.append(self[name])
                rows.append((band, str(label), bound))
            self.cells.append((territory, rows))

    def counts(self) -> dict[tuple[int, str, bool], int]:
        result: dict[tuple[int, str, bool], int] = {}
        for name, value in self.cleaned_data.items():
            if not value:
                continue
            _prefix, territory, band, first = name.split("-", 3)
            # Age bands contain a dash ("18-29"): split from the right for the flag.
            band_first = f"{band}-{first}"
            band_value, flag = band_first.rsplit("-", 1)
            result[(int(territory), band_value, flag == "1")] = int(value)
        return result


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
