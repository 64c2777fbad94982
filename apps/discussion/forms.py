"""Forms of the comment actions: the reason of a report, the public reason of a hiding."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du signalement"),
        max_length=250,
        help_text=_("Par exemple : propos injurieux, données personnelles, publicité."),
    )


class HideForm(forms.Form):
    """Hiding from a comment's page: the reason is shown in the comment's place."""

    reason = forms.CharField(
        label=_("Motif du masquage"),
        max_length=250,
        help_text=_("Ce motif est affiché publiquement à la place du commentaire."),
    )


class QueueHideForm(forms.Form):
    """Hiding from the moderation queue (one short field per reported comment)."""

    reason = forms.CharField(
        label=_("Motif du masquage (affiché publiquement)"),
        max_length=250,
        error_messages={"required": _("Indiquez le motif du masquage : il est affiché publiquement.")},
    )
