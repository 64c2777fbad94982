"""Forms of the councils back office: they parse and validate input; the services write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.covers import CoverFormMixin
from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Process, Service, Territory
from apps.councils.models import College, Council, Decision, Membership
from apps.councils.services import COUNCIL_FIELDS
from apps.sittings.models import Sitting

if TYPE_CHECKING:
    from apps.sortition.selectors import Draw

MARKDOWN_ROWS = 8


class CouncilForm(CoverFormMixin, forms.ModelForm[Council]):
    slug = forms.SlugField(
        label=_("Identifiant dans l'adresse"),
        required=False,
        max_length=200,
        help_text=_("Laissez vide pour le déduire du nom."),
    )

    class Meta:
        model = Council
        fields = list(COUNCIL_FIELDS)
        widgets = {"mission": forms.Textarea(attrs={"rows": MARKDOWN_ROWS})}

    def __init__(
        self, *args: Any, territories: QuerySet[Territory], processes: QuerySet[Process], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = territories
        process = self.fields["process"]
        assert isinstance(process, forms.ModelChoiceField)
        process.queryset = processes
        process.help_text = _("Les engagements que la Ville prend sur les décisions de l'instance y seront suivis.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        seats = sum(
            cleaned.get(name) or 0
            for name in ("seats_drawn", "seats_volunteers", "seats_local_actors", "seats_elected")
        )
        if not self.errors and seats == 0:
            self.add_error("seats_drawn", _("Prévoyez au moins un siège dans un des collèges."))
        return cleaned


class MembershipForm(forms.Form):
    college = forms.ChoiceField(label=_("Collège"), choices=College.choices)
    origin = forms.ChoiceField(label=_("Origine"), choices=Membership.Origin.choices)
    full_name = forms.CharField(
        label=_("Nom complet"),
        max_length=150,
        required=False,
        help_text=_("Donnée personnelle : visible seulement en gestion et sur l'attestation de participation."),
    )
    public_name = forms.CharField(
        label=_("Nom affiché sur le site"),
        max_length=80,
        required=False,
        help_text=_("Laissez vide pour afficher le prénom et l'initiale du nom (ou un pseudonyme choisi)."),
    )
    user_email = forms.EmailField(
        label=_("Adresse électronique du compte (facultatif)"),
        required=False,
        help_text=_("Relie le mandat à un compte : la personne pourra télécharger son attestation."),
    )
    term_start = forms.DateField(label=_("Début du mandat"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Fin du mandat"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour appliquer la durée de mandat de l'instance."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("user_email")
        cleaned["user"] = None
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("user_email", _("Aucun compte actif n'utilise cette adresse."))
            cleaned["user"] = user
        if not cleaned.get("full_name") and not email and "user_email" not in self.errors:
            self.add_error("full_name", _("Indiquez le nom de la personne ou l'adresse de son compte."))
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("La fin du mandat doit venir après son début."))
        return cleaned


class ImportForm(forms.Form):
    draw: forms.ModelChoiceField[Draw] = forms.ModelChoiceField(
        label=_("Tirage au sort"),
        queryset=None,
        empty_label=_("Choisir…"),
    )
    term_start = forms.DateField(label=_("Début du mandat"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Fin du mandat"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour appliquer la durée de mandat de l'instance."),
    )

    def __init__(self, *args: Any, draws: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draw = self.fields["draw"]
        assert isinstance(draw, forms.ModelChoiceField)
        draw.queryset = draws

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("La fin du mandat doit venir après son début."))
        return cleaned


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Date de fin du mandat"), widget=DateInput())


class AlternateChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pseudonym} — {obj.draw.title}"


class ResignForm(forms.Form):
    resigned_on = forms.DateField(label=_("Date de la démission"), widget=DateInput())
    alternate = AlternateChoiceField(
        label=_("Remplaçant·e tiré·e au sort"),
        queryset=None,
        required=False,
        empty_label=_("Aucun·e"),
        help_text=_("Personne tirée au sort comme remplaçante : elle complète le mandat en cours."),
    )
    replacement_name = forms.CharField(
        label=_("Ou nom de la personne qui remplace"),
        max_length=150,
        required=False,
        help_text=_(
            "Par exemple un·e volontaire ou un nouvel acteur local. Laissez vide s'il n'y a pas de remplacement."
        ),
    )

    def __init__(self, *args: Any, alternates: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        alternate = self.fields["alternate"]
        assert isinstance(alternate, forms.ModelChoiceField)
        alternate.queryset = alternates


class RenewalForm(forms.Form):
    held_on = forms.DateField(label=_("Date du renouvellement"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.ModelForm[Sitting]):
    """A council meeting: a sitting with a start only."""

    # Council meetings always had a shorter place than workshop sessions.
    place = Sitting._meta.get_field("place").formfield(max_length=200)

    class Meta:
        model = Sitting
        fields = ["title", "starts_at", "place", "agenda", "minutes", "is_published"]
        labels = {"starts_at": capfirst(_("date et heure")), "is_published": capfirst(_("publiée sur le site"))}
        widgets = {
            "starts_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": MARKDOWN_ROWS}),
        }


class MeetingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.starts_at:%d/%m/%Y})"


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = [
            "kind",
            "title",
            "subject",
            "text",
            "decided_on",
            "outcome",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "meeting",
            "is_published",
        ]
        widgets = {"decided_on": DateInput(), "text": forms.Textarea(attrs={"rows": MARKDOWN_ROWS})}
        field_classes = {"meeting": MeetingChoiceField}

    def __init__(self, *args: Any, meetings: QuerySet[Sitting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = meetings

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("kind") == Decision.Kind.DECISION
            and not cleaned.get("outcome")
            and "outcome" not in self.errors
        ):
            self.add_error("outcome", _("Indiquez le sens de la décision sur le projet."))
        return cleaned


class CommitForm(forms.Form):
    process: forms.ModelChoiceField[Process] = forms.ModelChoiceField(
        label=_("Démarche où suivre l'engagement"), queryset=Process.objects.none()
    )
    title = forms.CharField(label=_("Titre de l'engagement"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    service = forms.ModelChoiceField(label=_("Service responsable"), queryset=Service.objects.all(), required=False)
    planned_date = forms.DateField(label=_("Date prévue"), required=False, widget=DateInput())

    def __init__(self, *args: Any, processes: QuerySet[Process], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        process = self.fields["process"]
        assert isinstance(process, forms.ModelChoiceField)
        process.queryset = processes
