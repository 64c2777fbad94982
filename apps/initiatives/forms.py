"""Forms of the initiatives module: they parse and validate input; the services write."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import DateInput, DateTimeInput
from apps.core.models import Process, Territory
from apps.initiatives.models import Call, Channel, Decision, Help, Initiative, JuryMember, Resource
from apps.initiatives.services import CALL_FIELDS, RESOURCE_FIELDS, STEP_KINDS
from apps.sittings.models import Sitting

# Euros as people type them: "150", "150,50", "1 500.5" — ASCII digits only, two decimals at most.
MONEY_RE = re.compile(r"^\d{1,10}(?:[.,]\d{1,2})?$", re.ASCII)


class MoneyField(forms.Field):
    """An amount in euros with cents, parsed to a ``Decimal`` (never a float)."""

    MAX_TYPED = 20

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "size": "12", "maxlength": str(self.MAX_TYPED)})
        )
        kwargs.setdefault("help_text", _("En euros, par exemple 350 ou 350,50."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        if not text:
            return None
        if len(text) > self.MAX_TYPED or not MONEY_RE.match(text):
            raise forms.ValidationError(_("Indiquez un montant en euros, par exemple 350 ou 350,50."))
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))


def quartiers() -> QuerySet[Territory]:
    return Territory.objects.exclude(kind=Territory.Kind.CITY).order_by("name")


class FileForm(forms.ModelForm[Initiative]):
    """The idea in plain words: what, where, who, what help. Two minutes."""

    helps = forms.MultipleChoiceField(
        label=_("De quoi avez-vous besoin ?"),
        choices=Help.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez tout ce qui pourrait aider ; rien n'est obligatoire."),
    )

    class Meta:
        model = Initiative
        fields = ["title", "description", "place", "territory", "who", "category", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = quartiers()
        self.fields["category"].help_text = _("« Ne rentre dans aucune case » est une réponse qui a toute sa place.")


class CounterFileForm(FileForm):
    """The same idea, typed by an agent after a conversation at a counter, by phone or outside."""

    channel = forms.ChoiceField(
        label=_("Où avez-vous reçu cette idée ?"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    holder_name = forms.CharField(label=_("Nom de la personne"), max_length=150)
    holder_contact = forms.CharField(
        label=_("Téléphone ou e-mail de la personne"),
        max_length=200,
        required=False,
        help_text=_("Pour la rappeler ; effacé à la clôture de l'idée ou si elle le demande."),
    )

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = territories.exclude(kind=Territory.Kind.CITY).order_by("name")


class ReferentForm(forms.Form):
    referent = forms.ModelChoiceField(label=_("Référent·e"), queryset=User.objects.none())

    def __init__(self, *args: Any, agents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agents
        field.label_from_instance = lambda user: str(user.display_name)  # type: ignore[method-assign,assignment]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Étape"), choices=[(k.value, k.label) for k in STEP_KINDS])
    resources = forms.ModelMultipleChoiceField(
        label=_("Ressources proposées"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Ce qui a été fait ou convenu"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resources"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = resources


class SubmitForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Appel"), queryset=Call.objects.none())
    amount_requested = MoneyField(label=_("Montant demandé (€)"))

    def __init__(self, *args: Any, calls: QuerySet[Call], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = calls


class CallForm(forms.ModelForm[Call]):
    budget = MoneyField(label=_("Enveloppe (€)"))
    max_amount = MoneyField(label=_("Aide maximale par projet (€)"))
    match_ratio = forms.DecimalField(
        label=_("Abondement par euro promis (matchfunding)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10),
        max_digits=4,
        decimal_places=2,
        help_text=_("1 : chaque euro reçu est doublé par le fonds. Vide ou 0 : pas de matchfunding."),
    )
    match_cap_project = MoneyField(
        label=_("Abondement maximal par projet (€)"), required=False, help_text=_("Vide : sans plafond.")
    )
    match_cap_donor = MoneyField(
        label=_("Promesse abondée au plus par donateur·rice (€)"), required=False, help_text=_("Vide : sans plafond.")
    )
    slug = forms.SlugField(
        label=_("Identifiant dans l'adresse"),
        required=False,
        max_length=200,
        help_text=_("Laissez vide pour le déduire du titre."),
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "rules": forms.Textarea(attrs={"rows": 5}),
            "criteria": forms.Textarea(attrs={"rows": 5}),
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "decides_on": DateInput(),
        }

    def __init__(
        self, *args: Any, territories: QuerySet[Territory], processes: QuerySet[Process], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = territories.order_by("name")
        process = self.fields["process"]
        assert isinstance(process, forms.ModelChoiceField)
        process.queryset = processes
        process.help_text = _("Chaque aide accordée y devient un engagement suivi, « initiative habitante ».")

    def _post_clean(self) -> None:
        # The service validates the whole call (and its slug); the form only parses it.
        pass


class JuryMemberForm(forms.ModelForm[JuryMember]):
    class Meta:
        model = JuryMember
        fields = ["name", "college", "designation", "term_end"]
        widgets = {"term_end": DateInput()}

    def _post_clean(self) -> None:
        pass


class SittingForm(forms.Form):
    title = forms.CharField(label=_("Titre de la séance"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DateTimeInput())
    place = forms.CharField(label=_("Lieu"), max_length=250)
    agenda = forms.CharField(label=_("Ordre du jour"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Décision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    amount = MoneyField(
        label=_("Montant accordé (€)"), required=False, help_text=_("Seulement si l'aide est accordée.")
    )
    conditions = forms.CharField(
        label=_("Conditions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasons = forms.CharField(label=_("Motifs (publiés)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    sitting = forms.ModelChoiceField(label=_("Séance du jury"), queryset=Sitting.objects.none(), required=False)

    def __init__(self, *args: Any, sittings: QuerySet[Sitting] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sittings is None:
            del self.fields["sitting"]
        else:
            field = self.fields["sitting"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = sittings
            field.required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        granting = cleaned.get("outcome") in Decision.GRANTING
        if granting and not cleaned.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant accordé."))
        if cleaned.get("outcome") == Decision.Outcome.CONDITIONS and not (cleaned.get("conditions") or "").strip():
            self.add_error("conditions", _("Écrivez les conditions de l'aide."))
        if not granting:
            cleaned["amount"] = Decimal("0.00")
        return cleaned


class PaymentForm(forms.Form):
    amount = MoneyField(label=_("Montant versé (€)"))
    paid_on = forms.DateField(label=_("Date du versement"), widget=DateInput())
    reference = forms.CharField(label=_("Référence (mandat, reçu)"), max_length=100)


class ResourceForm(forms.ModelForm[Resource]):
    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "conditions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = territories.order_by("name")

    def _post_clean(self) -> None:
        pass


class PledgeForm(forms.Form):
    amount = MoneyField(label=_("Montant de votre promesse (€)"))


class ReconcileForm(forms.Form):
    reference = forms.CharField(label=_("Référence de paiement"), max_length=20, required=False)
    amount = MoneyField(label=_("Montant reçu (€)"), required=False)
    statement = forms.FileField(
        label=_("Ou le relevé de la régie (CSV : référence;montant)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = not cleaned.get("statement") and not (cleaned.get("reference") and cleaned.get("amount"))
        if missing and "amount" not in self.errors:
            self.add_error("reference", _("Indiquez la référence et le montant reçus, ou joignez le relevé."))
        return cleaned
