"""Forms of the synthesis back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.consultations.synthesis.models import Synthesis, Theme
from apps.core.models import Process


class StartForm(forms.Form):
    process = forms.ModelChoiceField(
        label=_("Démarche"),
        queryset=Process.objects.none(),
        error_messages={"required": _("Choisissez la démarche."), "invalid_choice": _("Choisissez la démarche.")},
    )
    themes = forms.IntegerField(
        label=_("Nombre de thèmes"),
        required=False,
        min_value=2,
        max_value=12,
        help_text=_("Laissez vide pour que le nombre soit choisi automatiquement (entre 2 et 8)."),
        error_messages={
            "min_value": _("Au moins 2 thèmes."),
            "max_value": _("Au plus 12 thèmes."),
            "invalid": _("Écrivez un nombre entier."),
        },
    )

    def __init__(self, *args: Any, processes: QuerySet[Process], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["process"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = processes


class SynthesisForm(forms.ModelForm[Synthesis]):
    class Meta:
        model = Synthesis
        fields = ["title", "introduction"]
        error_messages = {"title": {"required": _("Donnez un titre à la synthèse.")}}


class ThemeForm(forms.ModelForm[Theme]):
    class Meta:
        model = Theme
        fields = ["title", "summary"]
        error_messages = {"title": {"required": _("Donnez un titre au thème.")}}


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Garder le thème"), queryset=Theme.objects.none())
    merged = forms.ModelChoiceField(label=_("Y fondre le thème"), queryset=Theme.objects.none())

    def __init__(self, *args: Any, synthesis: Synthesis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("into", "merged"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = synthesis.themes.all()
            field.error_messages = {
                "required": _("Choisissez un thème."),
                "invalid_choice": _("Choisissez un thème de cette synthèse."),
            }


class ModerationForm(forms.Form):
    ACTIONS = [("accept", _("Accepter (publier)")), ("reject", _("Refuser (masquer avec un motif public)"))]
    action = forms.ChoiceField(
        label=_("Décision"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez : accepter ou refuser.")},
    )
    reason = forms.CharField(
        label=_("Motif public du refus"),
        required=False,
        max_length=300,
        help_text=_("Affiché à la place des affirmations refusées (par exemple : « Propos injurieux »)."),
    )
    statements = forms.TypedMultipleChoiceField(
        label=_("Affirmations"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Cochez au moins une affirmation."),
            "invalid_choice": _("Une des affirmations cochées n’est plus à modérer : rechargez la page."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["statements"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices
