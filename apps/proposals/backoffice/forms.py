"""Back-office forms of the proposals module (instruction, answers, answer templates): they
parse and validate input; the services write."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.models import Service, Territory, Theme
from apps.proposals.models import DECISION_STATUSES, AnswerTemplate, Status

DECISION_CHOICES = [(value, label) for value, label in Status.choices if value in DECISION_STATUSES]


# --- instruction ------------------------------------------------------------------------


class InstructionFilterForm(forms.Form):
    """The only query-string parameters the instruction list understands (allowlist)."""

    etat = forms.ChoiceField(label=_("État"), required=False, choices=[("", _("Tous")), *list(Status.choices)])
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        queryset=Territory.objects.none(),
        empty_label=_("Tous"),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), empty_label=_("Tous")
    )
    service = forms.ModelChoiceField(
        label=_("Service instructeur"),
        required=False,
        queryset=Service.objects.all(),
        empty_label=_("Tous"),
    )
    sans_reponse = forms.BooleanField(label=_("Sans réponse"), required=False)

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quartier = self.fields["quartier"]
        assert isinstance(quartier, forms.ModelChoiceField)
        quartier.queryset = territories


class BulkActionForm(forms.Form):
    ASSIGN, ANSWER, STUDY = "assign", "answer", "study"

    ACTION_CHOICES: ClassVar[list[tuple[str, Any]]] = [
        (ASSIGN, _("Affecter à un service")),
        (ANSWER, _("Préparer une réponse avec un modèle (à signer)")),
        (STUDY, _("Passer « À l'étude »")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTION_CHOICES)
    proposals: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Propositions"),
        queryset=None,
        error_messages={"required": _("Cochez au moins une proposition.")},
    )
    service = forms.ModelChoiceField(label=_("Service"), required=False, queryset=Service.objects.all())
    template = forms.ModelChoiceField(
        label=_("Modèle de réponse"),
        required=False,
        queryset=AnswerTemplate.objects.all(),
    )

    def __init__(self, *args: Any, proposals: QuerySet[Any], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposals_field = self.fields["proposals"]
        assert isinstance(proposals_field, forms.ModelMultipleChoiceField)
        proposals_field.queryset = proposals
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        # Only the actions this person may take on this process are offered (and accepted).
        action_field.choices = [choice for choice in self.ACTION_CHOICES if choice[0] in actions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action == self.ASSIGN and not cleaned.get("service"):
            self.add_error("service", _("Choisissez le service à qui affecter les propositions."))
        if action == self.ANSWER and not cleaned.get("template"):
            self.add_error("template", _("Choisissez le modèle de réponse à préparer."))
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note interne (jamais publiée)"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service instructeur"),
        required=False,
        queryset=Service.objects.all(),
        empty_label=_("Aucun service"),
    )


class AnswerForm(forms.Form):
    """The draft of an answer; the signature is added by whoever signs it, never typed."""

    SAVE, SUBMIT = "save", "submit"

    status = forms.ChoiceField(label=_("Décision"), choices=[("", _("Choisir une décision")), *DECISION_CHOICES])
    body = forms.CharField(
        label=_("Réponse argumentée (publique)"),
        widget=forms.Textarea,
        help_text=_(
            "Expliquez la décision : ce qui sera fait, par qui, quand ; ou pourquoi ce ne sera pas fait. "
            "Mise en forme possible : **gras**, *italique*, listes avec « - »."
        ),
    )
    step = forms.ChoiceField(
        choices=[(SAVE, _("Enregistrer le brouillon")), (SUBMIT, _("Soumettre à la signature"))],
        required=False,
        widget=forms.HiddenInput,
    )


class SignForm(forms.Form):
    """Bulk signing: the pending answers the signer has reviewed and ticked."""

    drafts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Réponses à signer"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une réponse à signer.")},
    )

    def __init__(self, *args: Any, drafts: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["drafts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = drafts


class PaperProposalForm(forms.Form):
    paper_author_name = forms.CharField(
        label=_("Nom de l'auteur·rice (tel qu'il sera affiché)"),
        max_length=120,
        help_text=_("Par exemple « Mme D. » ou « Collectif du square » : la personne a accepté cet affichage."),
    )
    title = forms.CharField(label=_("Titre"), max_length=150)
    body = forms.CharField(label=_("Texte de la contribution"), widget=forms.Textarea)
    theme = forms.ModelChoiceField(label=_("Thème"), required=False, queryset=Theme.objects.all())
    territory = forms.ModelChoiceField(label=_("Quartier"), required=False, queryset=Territory.objects.all())
    contact_email = forms.EmailField(
        label=_("Adresse électronique de la personne (facultative)"),
        required=False,
        help_text=_("Pour lui envoyer la réponse de la Ville. Jamais publiée."),
    )
    contact_postal_address = forms.CharField(
        label=_("Adresse postale de la personne (facultative)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Si elle n'a pas d'adresse électronique : la réponse lui sera envoyée par courrier."),
    )


# --- answer templates -------------------------------------------------------------------


class AnswerTemplateForm(forms.ModelForm[AnswerTemplate]):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "status", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Choisir une décision")), *DECISION_CHOICES]
