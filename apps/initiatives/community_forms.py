"""Forms of « rejoindre », the time given and the récit: they parse; the services write."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import DateInput
from apps.initiatives.models import HelpOffer, Initiative

# Hours as people type them: "2", "2,5", "1.75".
HOURS_RE = re.compile(r"^\d{1,2}(?:[.,]\d{1,2})?$", re.ASCII)


class JoinForm(forms.ModelForm[HelpOffer]):
    class Meta:
        model = HelpOffer
        fields = ["skills", "message", "contact"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class HoursField(forms.Field):
    """Hours with a decimal comma, parsed to a ``Decimal``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": "6", "maxlength": "5"}))
        kwargs.setdefault("help_text", _("Par exemple 2 ou 2,5."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not HOURS_RE.match(text):
            raise forms.ValidationError(_("Indiquez un nombre d'heures, par exemple 2 ou 2,5."))
        return Decimal(text.replace(",", "."))


class PersonField(forms.ModelChoiceField[User]):
    """People by their public name (never their e-mail address, which ``str(user)`` may show)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.public_name


class TimeForm(forms.Form):
    person = PersonField(label=_("Qui a donné ce temps ?"), queryset=User.objects.none())
    day = forms.DateField(label=_("Date"), widget=DateInput())
    hours = HoursField(label=_("Heures données"))
    activity = forms.CharField(label=_("Ce qui a été fait"), max_length=200)
    skills = forms.CharField(
        label=_("Savoir-faire pratiqués"),
        max_length=300,
        help_text=_("Séparés par des virgules : animation, menuiserie, comptabilité…"),
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by("display_name", "pk")


class StoryForm(forms.ModelForm[Initiative]):
    class Meta:
        model = Initiative
        fields = ["story"]
        widgets = {"story": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["story"].required = True


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Regrouper avec le projet"),
        queryset=Initiative.objects.none(),
        help_text=_(
            "Quand les porteur·ses d'idées proches ont choisi d'unir leurs forces : cette idée se ferme et ses "
            "porteur·ses deviennent co-porteur·ses du projet choisi."
        ),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = targets


class JuryDrawForm(forms.Form):
    """Resident seats of a jury drawn by lot: the people of a sortition draw who accepted."""

    draw = forms.ModelChoiceField(label=_("Tirage au sort"), queryset=Initiative.objects.none())
    seats = forms.IntegerField(label=_("Nombre de sièges d'habitant·es à pourvoir"), min_value=1, max_value=20)
    term_end = forms.DateField(label=_("Fin du mandat"), widget=DateInput())

    def __init__(self, *args: Any, draws: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draw = self.fields["draw"]
        assert isinstance(draw, forms.ModelChoiceField)
        draw.queryset = draws
