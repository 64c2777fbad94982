"""Forms of the map, the directory of actors and the « portes ouvertes »: they parse; the
services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateTimeInput
from apps.initiatives.forms import quartiers
from apps.initiatives.models import Actor, Category, Initiative, OpenDoor


class QuartierChoiceField(forms.ModelChoiceField[Any]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=quartiers(), label=_("Quartier"), **kwargs)


class ResidentEntryForm(forms.ModelForm[Actor]):
    """What a resident chooses to show about themselves (never their e-mail address)."""

    class Meta:
        model = Actor
        fields = ["name", "skills", "territory", "description", "show_initiatives"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"name": _("Votre prénom, un surnom… Ce nom sera visible de toutes et tous.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = quartiers()


class InitiativeChoices(forms.ModelMultipleChoiceField[Initiative]):
    def label_from_instance(self, obj: Initiative) -> str:
        return obj.title


class OrganisationForm(forms.ModelForm[Actor]):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (Actor.Kind.ASSOCIATION, Actor.Kind.ASSOCIATION.label),
            (Actor.Kind.COLLECTIVE, Actor.Kind.COLLECTIVE.label),
        ],
        widget=forms.RadioSelect,
    )
    initiatives = InitiativeChoices(
        label=_("Initiatives auxquelles elle participe"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Parmi les initiatives publiques que vous portez ou avez rejointes."),
    )
    website = forms.URLField(label=_("Site web (facultatif)"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Actor
        fields = ["kind", "name", "skills", "territory", "description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"name": _("Nom de l'association ou du collectif"), "skills": _("Ce qu'elle propose")}

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = quartiers()
        field = self.fields["initiatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if choices is not None:
            field.queryset = choices


class ContactForm(forms.Form):
    message = forms.CharField(label=_("Votre message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))
    reply_to = forms.CharField(
        label=_("Comment vous répondre (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Un téléphone ou un e-mail : transmis seulement à la personne à qui vous écrivez."),
    )


class MessageReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Ce qui ne va pas"),
        max_length=250,
        help_text=_("Par exemple : propos insultants, démarchage, harcèlement."),
    )


class DirectoryFilterForm(forms.Form):
    """The directory's filters: invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Savoir-faire ou nom"), max_length=100, required=False)
    quartier = QuartierChoiceField(required=False, empty_label=_("Tous les quartiers"))
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Tous")), *Actor.Kind.choices], required=False)


class MapFilterForm(forms.Form):
    quartier = QuartierChoiceField(required=False, empty_label=_("Tous les quartiers"))
    theme = forms.ChoiceField(label=_("Thème"), choices=[("", _("Tous les thèmes")), *Category.choices], required=False)


class OpenDoorForm(forms.ModelForm[OpenDoor]):
    class Meta:
        model = OpenDoor
        fields = ["starts_at", "ends_at", "place", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


def clean_filters(form: forms.Form) -> dict[str, Any]:
    """The valid filters of a GET form, each one on its own (a bad quartier keeps the theme)."""
    form.is_valid()
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
