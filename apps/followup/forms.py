"""The only query-string parameters of the public follow-up list (allowlist)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Territory
from apps.followup.models import Commitment


class CommitmentFilterForm(forms.Form):
    quartier = forms.ModelChoiceField(
        label=_("Quartier"),
        required=False,
        to_field_name="slug",
        empty_label=_("Tous les quartiers"),
        queryset=Territory.objects.exclude(kind=Territory.Kind.CITY),
    )
    etat = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous les états")), *Commitment.State.choices, ("retard", _("En retard"))],
    )
