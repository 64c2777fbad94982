"""Filters of the public process list. Choice fields are the allowlist: any value
that is not a known quartier, theme or state is rejected, never passed to the ORM."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Territory, Theme

STATE_CHOICES = [
    ("", _("Tous les états")),
    ("open", _("En cours")),
    ("upcoming", _("À venir")),
    ("closed", _("Terminées")),
]


class ProcessFilterForm(forms.Form):
    quartier = forms.ChoiceField(label=_("Quartier"), required=False)
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    etat = forms.ChoiceField(label=_("État"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territories = Territory.objects.exclude(kind=Territory.Kind.MICRO).order_by("kind", "name")
        cast(forms.ChoiceField, self.fields["quartier"]).choices = [("", _("Tous les territoires"))] + [
            (territory.slug, territory.name) for territory in territories
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", _("Tous les thèmes"))] + [
            (theme.slug, theme.name) for theme in Theme.objects.order_by("name")
        ]

    def cleaned_or_empty(self) -> dict[str, str]:
        """Valid filters only; an invalid parameter is dropped rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("quartier", "theme", "etat") if name not in self.errors}
