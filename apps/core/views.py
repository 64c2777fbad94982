"""Pages the platform answers itself: the rate-limit page (django-ratelimit's RATELIMIT_VIEW)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Fields never shown back: secrets, tokens and plumbing.
_HIDDEN_MARKERS = ("password", "csrf", "token", "secret", "otp")
_HIDDEN_FIELDS = frozenset({"next", "action", "stance", "parent", "confirm"})
# Names of the usual text fields, so the person recognises what they typed.
_LABELS = {
    "title": _("Titre"),
    "body": _("Texte"),
    "text": _("Texte"),
    "summary": _("Résumé"),
    "description": _("Description"),
    "address": _("Adresse"),
    "reason": _("Motif"),
    "message": _("Message"),
    "email": _("Adresse électronique"),
    "display_name": _("Nom affiché"),
    "first_name": _("Prénom"),
    "last_name": _("Nom"),
    "full_name": _("Nom"),
    "phone": _("Téléphone"),
    "motivation": _("Motivation"),
}


@dataclass(frozen=True)
class TypedField:
    name: str
    label: str
    value: str


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True


def typed_fields(request: HttpRequest) -> list[TypedField]:
    """What the person typed in the refused POST, without passwords or tokens."""
    if request.method != "POST":
        return []
    fields = []
    for name, values in request.POST.lists():
        lowered = name.lower()
        if lowered in _HIDDEN_FIELDS or any(marker in lowered for marker in _HIDDEN_MARKERS):
            continue
        value = "\n".join(value for value in values if value.strip())
        # Short codes, ids and coordinates are not worth a text box; words and sentences are.
        if len(value.strip()) < 3 or _is_number(value):
            continue
        fields.append(TypedField(name=name, label=str(_LABELS.get(lowered, _("Autre champ"))), value=value))
    return fields


def _retry_text(seconds: int | None) -> str:
    if seconds is None or seconds <= 0:
        return str(_("Merci de patienter quelques minutes avant de réessayer."))
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Merci de patienter : vous pourrez réessayer dans %(minutes)s minute.",
        "Merci de patienter : vous pourrez réessayer dans %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    retry_after: int | None = getattr(request, "ratelimit_retry_after", None)
    response = render(
        request,
        "429.html",
        {"typed_fields": typed_fields(request), "retry_text": _retry_text(retry_after)},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
