"""Forms of the workshops module: they parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.covers import CoverFormMixin
from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Process, Role, Service
from apps.sittings.models import Sitting
from apps.sortition import selectors as sortition
from apps.workshops.models import AnswerDecision, PanelMember, RecommendationVote, Workshop


def elected_officials() -> QuerySet[User]:
    return User.objects.filter(role_assignments__role=Role.ELU, is_active=True).distinct().order_by("display_name")


class WorkshopForm(CoverFormMixin, forms.ModelForm[Workshop]):
    note = forms.CharField(
        label=_("Note de révision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si le mandat est déjà publié : elle sera publiée avec sa date."),
    )

    class Meta:
        model = Workshop
        fields = [
            "process",
            "title",
            "slug",
            "question",
            "open_scope",
            "closed_scope",
            "experts",
            "resources",
            "budget_eur",
            "calendar",
            "answerer",
            "answer_due",
        ]
        widgets = {
            "answer_due": DateInput(),
            "question": forms.Textarea(attrs={"rows": 3}),
            "open_scope": forms.Textarea(attrs={"rows": 4}),
            "closed_scope": forms.Textarea(attrs={"rows": 4}),
            "experts": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "calendar": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, processes: QuerySet[Process] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answerer"].queryset = elected_officials()  # type: ignore[attr-defined]
        self.fields["answerer"].label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]
        if self.instance.pk:
            # The process and the address of a workshop do not move once created.
            del self.fields["process"]
            del self.fields["slug"]
            if not self.instance.is_mandate_published:
                del self.fields["note"]
        else:
            del self.fields["note"]
            self.fields["process"].queryset = processes if processes is not None else Process.objects.none()  # type: ignore[attr-defined]
            self.fields["process"].help_text = _(
                "Une démarche dont les étapes accueillent le module « Atelier citoyen »."
            )

    def mandate_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Workshop.MANDATE_FIELDS if name in self.cleaned_data}


class MemberAddForm(forms.Form):
    full_name = forms.CharField(label=_("Nom complet"), max_length=150, help_text=_("Visible des agents seulement."))
    public_name = forms.CharField(
        label=_("Nom affiché publiquement"),
        max_length=80,
        required=False,
        help_text=_("Un prénom ou un pseudonyme ; laissez vide pour n'afficher que le prénom."),
    )
    email = forms.EmailField(
        label=_("Courriel du compte (facultatif)"),
        required=False,
        help_text=_("Si la personne a déjà un compte, sa participation y est rattachée."),
    )
    status = forms.ChoiceField(label=_("Statut"), choices=PanelMember.Status.choices, initial="invited")
    is_alternate = forms.BooleanField(label=_("Remplaçant·e"), required=False)

    def clean_email(self) -> User | None:
        email = self.cleaned_data.get("email")
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte actif n'utilise ce courriel."))
        return user


class DrawImportForm(forms.Form):
    draw: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Tirage au sort"), queryset=None, empty_label=_("— Choisir un tirage —")
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = workshop.process.territory
        nearby = set(territory.ancestor_ids()) | set(territory.descendant_ids())
        self.fields["draw"].queryset = sortition.draws_with_members(  # type: ignore[attr-defined]
            process=workshop.process, territory_ids=nearby, statuses=["selected", "invited", "confirmed", "alternate"]
        )


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=PanelMember.Status.choices)
    is_alternate = forms.BooleanField(label=_("Remplaçant·e"), required=False)


class SessionForm(forms.ModelForm[Sitting]):
    """A panel session: a sitting whose end, place and agenda are required (the attestation
    counts its hours)."""

    class Meta:
        model = Sitting
        fields = ["title", "starts_at", "ends_at", "place", "agenda", "experts_heard", "minutes", "is_published"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "experts_heard": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "agenda": "",
            "minutes": _("Mise en forme simple (Markdown)."),
            "is_published": _("Une séance publiée apparaît sur la page publique de l'atelier."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("ends_at", "agenda"):
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(label=_("Fichier PDF"), help_text=_("PDF uniquement, 10 Mo au maximum."))


class RecommendationCreateForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    text = forms.CharField(label=_("Texte de départ"), widget=forms.Textarea(attrs={"rows": 5}))


class RecommendationEditForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    text = forms.CharField(
        label=_("Texte de la recommandation"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Chaque enregistrement crée une version visible dans l'historique."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VoteForm(forms.Form):
    """One radio group (fieldset) per recommendation; a member may leave some blank."""

    def __init__(self, *args: Any, recommendations: list[Any], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recommendations = recommendations
        for recommendation in recommendations:
            self.fields[f"r{recommendation.pk}"] = forms.ChoiceField(
                label=str(recommendation),
                choices=RecommendationVote.Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(recommendation.pk),
            )

    def choices(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("r") and value}

    def rows(self) -> list[tuple[Any, Any]]:
        return [(r, self[f"r{r.pk}"]) for r in self.recommendations]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Décision"), choices=AnswerDecision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Motifs de la décision"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Les motifs sont obligatoires : expliquez la décision.")},
    )


class CommitmentRowForm(forms.Form):
    title = forms.CharField(label=_("Engagement"), max_length=200, required=False)
    service = forms.ModelChoiceField(label=_("Service responsable"), queryset=Service.objects.all(), required=False)
    planned_date = forms.DateField(label=_("Date prévue"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("planned_date"):
            self.add_error("planned_date", _("Indiquez la date prévue de cet engagement."))
        if data.get("title") and not data.get("service"):
            self.add_error("service", _("Indiquez le service qui porte cet engagement."))
        if not data.get("title") and (data.get("planned_date") or data.get("service")):
            self.add_error("title", _("Décrivez l'engagement en quelques mots."))
        return data


CommitmentFormSet = forms.formset_factory(CommitmentRowForm, extra=2, max_num=5)
