"""Back-office forms: they parse and validate input; the services write."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.covers import CoverFormMixin
from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Phase, Process, Role, Service, Territory, Theme
from apps.core.registry import phase_kind_choices
from apps.core.uploads import validate_image_upload
from apps.followup.models import Commitment

# --- processes and phases ---------------------------------------------------------------


class ProcessForm(CoverFormMixin, forms.ModelForm[Process]):
    slug = forms.SlugField(
        label=_("Identifiant dans l'adresse"),
        required=False,
        max_length=200,
        help_text=_("Laissez vide pour le déduire du titre."),
    )

    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "territory",
            "themes",
            "participation_level",
            "rules_open",
            "rules_closed",
            "rules_decider",
            "rules_use",
            "answer_due",
            "falc_summary",
            "is_published",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "answer_due": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the territories in the person's scope: an agent of one quartier cannot
        # create or move a process elsewhere.
        territory_field = self.fields["territory"]
        assert isinstance(territory_field, forms.ModelChoiceField)
        territory_field.queryset = territories
        themes_field = self.fields["themes"]
        assert isinstance(themes_field, forms.ModelMultipleChoiceField)
        themes_field.queryset = Theme.objects.all()


def _module_kind_choices() -> list[tuple[str, str]]:
    # An empty first choice, so that the spare rows of the formset stay unchanged
    # (and ignored) when left blank.
    return [("", str(_("Choisir…"))), *phase_kind_choices()]


class PhaseForm(forms.ModelForm[Phase]):
    module_kind = forms.ChoiceField(label=_("Module et type d'étape"), choices=_module_kind_choices)

    class Meta:
        model = Phase
        fields = ["title", "description", "starts_at", "ends_at"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = ["module_kind", "title", "description", "starts_at", "ends_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["module_kind"] = f"{self.instance.module}:{self.instance.kind}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("La fin de l'étape doit venir après son début."))
        module_kind = cleaned.get("module_kind")
        if module_kind:
            cleaned["module"], cleaned["kind"] = module_kind.split(":", 1)
        return cleaned


class BasePhaseFormSet(BaseInlineFormSet[Phase, Process, PhaseForm]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        by_module: dict[str, list[PhaseForm]] = {}
        for form in kept:
            by_module.setdefault(form.cleaned_data["module"], []).append(form)
        errors: list[ValidationError] = []
        for forms_of_module in by_module.values():
            ordered = sorted(forms_of_module, key=lambda f: f.cleaned_data["starts_at"])
            for previous, current in itertools.pairwise(ordered):
                if current.cleaned_data["starts_at"] < previous.cleaned_data["ends_at"]:
                    message = _("Les étapes « %(first)s » et « %(second)s » du même module se chevauchent.") % {
                        "first": previous.cleaned_data["title"],
                        "second": current.cleaned_data["title"],
                    }
                    current.add_error("starts_at", message)
                    errors.append(ValidationError(message))
        if errors:
            raise ValidationError(errors)


PhaseFormSet = inlineformset_factory(
    Process,
    Phase,
    form=PhaseForm,
    formset=BasePhaseFormSet,
    extra=2,
    can_delete=True,
    fields=["title", "description", "starts_at", "ends_at"],
)


# --- commitments ------------------------------------------------------------------------


class CommitmentCreateForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    service = forms.ModelChoiceField(label=_("Service responsable"), required=False, queryset=Service.objects.all())
    planned_date = forms.DateField(label=_("Date prévue"), required=False, widget=DateInput())
    territory = forms.ModelChoiceField(label=_("Quartier"), required=False, queryset=Territory.objects.all())
    made_with_residents = forms.BooleanField(label=_("Fait avec les habitants"), required=False)


class CommitmentEditForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service responsable"), required=False, queryset=Service.objects.all())
    planned_date = forms.DateField(label=_("Date prévue"), required=False, widget=DateInput())
    made_with_residents = forms.BooleanField(label=_("Fait avec les habitants"), required=False)


class CommitmentUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date du point d'étape"), widget=DateInput(), initial=datetime.date.today)
    body = forms.CharField(label=_("Point d'étape (public)"), widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(label=_("Avancement (%)"), min_value=0, max_value=100)
    state = forms.ChoiceField(label=_("État"), choices=Commitment.State.choices)
    # A plain file field: validate_image_upload gives the French errors (bomb, format, weight).
    photo = forms.FileField(
        label=_("Photo (facultative)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    photo_alt = forms.CharField(
        label=_("Texte alternatif de la photo"),
        required=False,
        max_length=250,
        help_text=_("Obligatoire si vous joignez une photo : décrivez ce qu'elle montre."),
    )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_image_upload(photo)
        return photo

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt", _("Décrivez la photo : le texte alternatif est obligatoire quand une photo est jointe.")
            )
        return cleaned


# --- audit -------------------------------------------------


AUDIT_ACTIONS = [
    ("process.create", _("Démarche créée")),
    ("process.update", _("Démarche modifiée")),
    ("proposal.paper_entry", _("Contribution papier saisie")),
    ("proposal.assign", _("Proposition affectée")),
    ("proposal.status", _("État de proposition changé")),
    ("proposal.answer", _("Réponse argumentée publiée")),
    ("proposal.note", _("Note interne ajoutée")),
    ("commitment.create", _("Engagement créé")),
    ("commitment.edit", _("Engagement modifié")),
    ("commitment.update", _("Point d'étape publié")),
    ("comment.hide", _("Commentaire masqué")),
    ("comment.unhide", _("Commentaire réaffiché")),
    ("comment.reports_dismissed", _("Signalements classés")),
    ("answer_template.save", _("Modèle de réponse enregistré")),
    ("role.grant", _("Rôle accordé")),
    ("role.revoke", _("Rôle retiré")),
]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Toutes")), *AUDIT_ACTIONS])


# --- roles ------------------------------------------------------------------------------


class RoleFilterForm(forms.Form):
    """The only query-string parameter of the role list (allowlist)."""

    role = forms.ChoiceField(label=_("Rôle"), required=False, choices=[("", _("Tous")), *Role.choices])


class RoleGrantForm(forms.Form):
    """Find a person by the exact address of their account, pick a role and one scope among
    those the administrator may hand out (the choices are the allowlist)."""

    CITY_WIDE = "ville"

    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        help_text=_("L'adresse exacte de son compte Archipel."),
        error_messages={
            "required": _("Indiquez l'adresse électronique de la personne."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[("", _("Choisir un rôle")), *Role.choices],
        error_messages={
            "required": _("Choisissez le rôle à accorder."),
            "invalid_choice": _("Choisissez un rôle de la liste."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Périmètre"),
        help_text=_("Vous ne pouvez accorder un rôle que dans votre propre périmètre."),
        error_messages={
            "required": _("Choisissez le périmètre du rôle."),
            "invalid_choice": _("Choisissez un périmètre de la liste : celui-ci n'est pas dans le vôtre."),
        },
    )

    def __init__(
        self,
        *args: Any,
        city_wide: bool,
        territories: QuerySet[Territory],
        processes: QuerySet[Process],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._territories = territories
        self._processes = processes
        choices: list[tuple[Any, Any]] = [("", _("Choisir un périmètre"))]
        if city_wide:
            choices.append((self.CITY_WIDE, _("Toute la ville")))
        territory_choices = [(f"t{t.pk}", t.name) for t in territories]
        if territory_choices:
            choices.append((_("Territoires"), territory_choices))
        process_choices = [(f"d{p.pk}", f"{p.title} — {p.territory.name}") for p in processes]
        if process_choices:
            choices.append((_("Démarches"), process_choices))
        scope_field = self.fields["scope"]
        assert isinstance(scope_field, forms.ChoiceField)
        scope_field.choices = choices

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True, is_deleted=False).first()
        if user is None:
            raise ValidationError(_("Aucun compte actif n'utilise cette adresse : vérifiez-la."))
        return user

    def clean_scope(self) -> tuple[Territory | None, Process | None]:
        value: str = self.cleaned_data["scope"]
        if value == self.CITY_WIDE:
            return None, None
        # The value is one of the offered choices: the object is in the allowed querysets.
        if value.startswith("t"):
            return self._territories.get(pk=int(value[1:])), None
        return None, self._processes.get(pk=int(value[1:]))


class SignatureDelegationForm(RoleGrantForm):
    """« Délégation de signature »: an agent of the administrator's scope, a title, a scope."""

    title = forms.CharField(
        label=_("Qualité du ou de la signataire"),
        max_length=150,
        help_text=_(
            "Affichée avec la signature, par exemple « directrice du dialogue citoyen, par délégation du maire »."
        ),
        error_messages={"required": _("Indiquez la qualité sous laquelle la personne signe.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["role"]
        self.fields["scope"].help_text = _("La personne signera les réponses des démarches de ce périmètre.")
        self.order_fields(["email", "title", "scope"])
