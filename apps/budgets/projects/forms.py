"""Forms of the budgets' projects part (French labels and errors; invalid input is kept)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from apps.budgets.models import Budget, Envelope, EnvelopeCriterion, Project, ProjectStatus
from apps.budgets.projects.analysis import DECISIONS
from apps.budgets.projects.config import DEFAULT_CRITERIA, EDITABLE_FIELDS, FROZEN_FIELDS
from apps.budgets.projects.eligibility import REASON_TEMPLATES, RULES, WITHIN_ENVELOPE
from apps.budgets.projects.selectors import SORTS
from apps.core import maps
from apps.core.covers import CoverFormMixin
from apps.core.models import Service

CRITERIA_FIELDS = {
    "population": "weight_population",
    "priority_population": "weight_priority_population",
    "equal": "weight_equal",
}


def envelope_label(envelope: Envelope) -> str:
    name = envelope.territory.name if envelope.territory else str(_("Toute la ville"))
    amount = f"{envelope.amount:,}".replace(",", "\u202f")
    return f"{name} ({amount} €)"


class EnvelopeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return envelope_label(obj)


class BudgetForm(forms.ModelForm):  # type: ignore[type-arg]
    """The rules of a budget. Once frozen, the frozen fields are shown disabled (read-only):
    the browser does not send them and Django ignores them anyway."""

    weight_population = forms.DecimalField(
        label=EnvelopeCriterion.Source.POPULATION.label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Poids en %."),
    )
    weight_priority_population = forms.DecimalField(
        label=EnvelopeCriterion.Source.PRIORITY_POPULATION.label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Poids en %."),
    )
    weight_equal = forms.DecimalField(
        label=EnvelopeCriterion.Source.EQUAL.label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Poids en %. Les trois poids font 100 % au total."),
    )

    class Meta:
        model = Budget
        fields = list(EDITABLE_FIELDS)
        widgets = {"rules_falc": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance: Budget | None = self.instance if self.instance.pk else None
        weights = dict(DEFAULT_CRITERIA)
        if instance is not None:
            weights = {source: Decimal(0) for source in CRITERIA_FIELDS}
            weights.update({c.source: c.weight for c in instance.criteria.all()})
        for source, name in CRITERIA_FIELDS.items():
            self.fields[name].initial = weights.get(source, Decimal(0))
        self.frozen = bool(instance and instance.rules_are_frozen)
        for name in self.fields:
            if read_only or (self.frozen and (name in FROZEN_FIELDS or name in CRITERIA_FIELDS.values())):
                self.fields[name].disabled = True
        self.fields["completion"].required = False
        self.fields["max_choices"].help_text = _("Bulletins « approbation » et « classement ».")

    def criteria(self) -> dict[str, Decimal]:
        return {source: self.cleaned_data[name] for source, name in CRITERIA_FIELDS.items()}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ProjectForm(CoverFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    envelope = EnvelopeChoiceField(
        label=_("Quartier (enveloppe)"),
        queryset=Envelope.objects.none(),
        empty_label=_("Choisir…"),
        help_text=_("Le quartier où le projet sera réalisé, ou « Toute la ville »."),
    )

    class Meta:
        model = Project
        fields = ["title", "description", "address", "envelope", "estimated_cost", "collective"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "description": _("Ce que vous proposez, pour qui, pourquoi. Mise en forme simple possible (Markdown)."),
            "estimated_cost": _("En euros, sans centimes. Les services de la Ville vérifieront ce coût."),
            "address": _("Une adresse, un lieu connu, un équipement…"),
        }

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["envelope"].queryset = (  # type: ignore[attr-defined]
            Envelope.objects.filter(budget=budget)
            .select_related("territory")
            .order_by(F("territory__name").asc(nulls_first=True))
        )
        self.fields["estimated_cost"].validators.append(MinValueValidator(1))
        self.fields["estimated_cost"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        # static/js/maps.js: street suggestions under the field (a plain text field without it).
        self.fields["address"].widget.attrs.update(
            {"data-address-search": "adresse-suggestions", "data-search-url": maps.address_search_url()}
        )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne à inviter"),
        help_text=_("Elle doit avoir un compte ; elle apparaîtra comme co-porteuse quand elle aura accepté."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    enveloppe = forms.TypedChoiceField(label=_("Quartier (enveloppe)"), required=False, coerce=str)
    etat = forms.ChoiceField(label=_("État"), required=False)
    tri = forms.ChoiceField(label=_("Trier par"), required=False)

    SORT_LABELS = {
        "recent": _("Les plus récents"),
        "numero": _("Numéro sur le bulletin"),
        "cout": _("Coût croissant"),
        "titre": _("Titre (A → Z)"),
    }

    def __init__(
        self, *args: Any, envelopes: list[Envelope], statuses: list[tuple[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enveloppe"].choices = [  # type: ignore[attr-defined]
            ("", _("Tous")),
            *[(str(e.pk), envelope_label(e)) for e in envelopes],
        ]
        self.fields["etat"].choices = [  # type: ignore[attr-defined]
            ("", _("Tous")),
            *(statuses or ProjectStatus.choices),
        ]
        self.fields["tri"].choices = [  # type: ignore[attr-defined]
            (key, self.SORT_LABELS[key]) for key in SORTS
        ]

    def params(self) -> dict[str, str]:
        """Only valid, allowlisted values (invalid ones are dropped)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: str(value).strip() for key, value in data.items() if value not in (None, "")}


class AnalysisForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Avis des services"),
        choices=[(s.value, s.label) for s in DECISIONS],
        widget=forms.RadioSelect,
    )
    city_cost = forms.IntegerField(
        label=_("Coût estimé par la Ville (€)"),
        required=False,
        min_value=1,
        help_text=_("Laissez vide pour garder le coût estimé par le porteur."),
    )
    checks = forms.MultipleChoiceField(
        label=_("Critères d'éligibilité respectés"),
        choices=[(code, label) for code, label in RULES if code != WITHIN_ENVELOPE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Le critère de coût est vérifié automatiquement à partir du coût retenu."),
    )
    reason = forms.CharField(
        label=_("Avis motivé (public)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Obligatoire quand le projet n'est pas réalisable : il est publié sur la page du projet."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ProjectStatus.NOT_FEASIBLE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Expliquez publiquement pourquoi le projet n'est pas réalisable."))
        return data


class BulkAnalysisForm(forms.Form):
    UNDER_ANALYSIS = "under_analysis"
    FEASIBLE = "feasible"
    NOT_FEASIBLE = "not_feasible"
    COST = "cost"
    ACTIONS = [
        (UNDER_ANALYSIS, _("Passer « En cours d'analyse »")),
        (FEASIBLE, _("Déclarer réalisables (tous les critères sont respectés)")),
        (NOT_FEASIBLE, _("Déclarer non réalisables, avec un motif")),
        (COST, _("Fixer le coût estimé par la Ville")),
    ]

    projects = forms.ModelMultipleChoiceField(
        label=_("Projets cochés"),
        queryset=Project.objects.none(),
        error_messages={"required": _("Cochez au moins un projet.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Choisir…")), *ACTIONS])
    reason_template = forms.ChoiceField(
        label=_("Motif type (non réalisable)"),
        required=False,
        choices=[("", _("Aucun : motif écrit ci-dessous")), *REASON_TEMPLATES],
    )
    reason = forms.CharField(
        label=_("Motif public (complète ou remplace le motif type)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    city_cost = forms.IntegerField(label=_("Coût estimé par la Ville (€)"), required=False, min_value=1)

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.filter(budget=budget).select_related(  # type: ignore[attr-defined]
            "envelope__territory", "budget__process__territory"
        )

    def clean(self) -> dict[str, Any]:
        from apps.budgets.projects.eligibility import reason_text

        data = super().clean() or {}
        action = data.get("action")
        reason = " ".join(
            part
            for part in (reason_text(data.get("reason_template") or ""), (data.get("reason") or "").strip())
            if part
        )
        data["full_reason"] = reason
        if action == self.NOT_FEASIBLE and not reason:
            self.add_error("reason", _("Choisissez un motif type ou écrivez le motif public."))
        if action == self.COST and not data.get("city_cost"):
            self.add_error("city_cost", _("Indiquez le coût estimé par la Ville."))
        return data


class AnalysisFilterForm(ProjectFilterForm):
    pass


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Fusionner dans le projet"), queryset=Project.objects.none(), empty_label=_("Choisir…")
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (  # type: ignore[attr-defined]
            Project.objects.filter(budget_id=project.budget_id)
            .exclude(pk=project.pk)
            .exclude(status__in=[ProjectStatus.MERGED, ProjectStatus.WITHDRAWN])
            .order_by("title")
        )


class RealisationForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service responsable de la réalisation"),
        queryset=Service.objects.all(),
        required=False,
        empty_label=_("À préciser plus tard"),
    )
