"""Back-office forms: a questionnaire, a question, a site of a multi-site session."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.consultations.questionnaires.models import Question, Questionnaire, Site
from apps.core.models import Process, Territory


class QuestionnaireForm(forms.ModelForm[Questionnaire]):
    class Meta:
        model = Questionnaire
        fields = ["process", "title", "description", "signed", "results_public"]
        labels = {"process": _("Démarche")}
        error_messages = {
            "title": {"required": _("Donnez un titre au questionnaire.")},
            "process": {"required": _("Choisissez la démarche du questionnaire.")},
        }

    def __init__(self, *args: Any, processes: QuerySet[Process], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes  # type: ignore[attr-defined]


class QuestionnaireSettingsForm(forms.ModelForm[Questionnaire]):
    class Meta:
        model = Questionnaire
        fields = ["title", "description", "signed", "results_public"]
        error_messages = {"title": {"required": _("Donnez un titre au questionnaire.")}}


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()) for line in value.splitlines() if line.strip()]


class QuestionForm(forms.ModelForm[Question]):
    options_text = forms.CharField(
        label=_("Réponses possibles (une par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour un choix, un classement ou les colonnes d'un tableau."),
    )
    rows_text = forms.CharField(
        label=_("Lignes du tableau (une par ligne)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    condition_number = forms.IntegerField(
        label=_("Numéro de la réponse qui déclenche la condition"),
        required=False,
        min_value=1,
        help_text=_("1 pour la première réponse de la question choisie ci-dessus."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required", "scale_min", "scale_max", "condition_question"]
        labels = {"condition_question": _("Poser seulement si, à la question…")}
        error_messages = {"text": {"required": _("Écrivez la question.")}}

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.questionnaire = questionnaire
        field = self.fields["condition_question"]
        earlier = questionnaire.questions.filter(kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE])
        if self.instance.pk is not None:
            # Editing: only a question asked before this one; the typed lines start as stored.
            earlier = earlier.filter(position__lt=self.instance.position)
            self.initial.setdefault("options_text", "\n".join(str(o) for o in self.instance.options))
            self.initial.setdefault("rows_text", "\n".join(str(r) for r in self.instance.rows))
            if self.instance.condition_option is not None:
                self.initial.setdefault("condition_number", self.instance.condition_option + 1)
        field.queryset = earlier  # type: ignore[attr-defined]
        field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.options = _lines(data.get("options_text") or "")
        self.instance.rows = _lines(data.get("rows_text") or "")
        number = data.get("condition_number")
        if data.get("condition_question") is not None:
            if number is None:
                self.add_error("condition_number", _("Indiquez le numéro de la réponse qui fait poser la question."))
            else:
                self.instance.condition_option = number - 1
        else:
            self.instance.condition_option = None
        return data


class SiteForm(forms.ModelForm[Site]):
    facilitator_emails = forms.CharField(
        label=_("Adresses électroniques des animateurs·rices (une par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chaque personne doit avoir un compte ; elle pourra saisir les tables de ce site seulement."),
    )

    class Meta:
        model = Site
        fields = ["name", "kind", "territory"]
        error_messages = {"name": {"required": _("Donnez un nom au site.")}}

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.questionnaire = questionnaire
        self.fields["territory"].queryset = Territory.objects.filter(kind=Territory.Kind.QUARTIER)  # type: ignore[attr-defined]

    def clean_facilitator_emails(self) -> list[Any]:
        emails = [line.lower() for line in _lines(self.cleaned_data.get("facilitator_emails") or "")]
        users = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {user.email.lower() for user in users})
        if missing:
            raise forms.ValidationError(
                _("Aucun compte pour : %(emails)s. La personne doit d'abord créer son compte.")
                % {"emails": ", ".join(missing)}
            )
        return users


class PaperNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Numéro écrit sur le questionnaire papier"),
        max_length=30,
        error_messages={"required": _("Indiquez le numéro écrit sur le questionnaire papier.")},
    )
