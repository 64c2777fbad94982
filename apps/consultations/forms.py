"""Forms of the public pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.consultations.models import Statement

MAX_LENGTH = Statement._meta.get_field("text").max_length


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Votre affirmation"),
        max_length=MAX_LENGTH,
        min_length=10,
        help_text=_(
            "Une idée courte et claire, sur laquelle les autres pourront se dire d'accord ou non "
            "(280 caractères au plus)."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Écrivez votre affirmation."),
            "min_length": _("Votre affirmation est trop courte : %(limit_value)d caractères au moins."),
            "max_length": _(
                "Votre affirmation est trop longue : %(limit_value)d caractères au plus "
                "(vous en avez écrit %(show_value)d)."
            ),
        },
    )
