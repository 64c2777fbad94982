"""The trust barometer page (``/reponses/<pk>/barometre/``): two optional questions for a person
who received a reasoned answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.answers import barometer
from apps.answers.models import Answer
from apps.core.ratelimits import ratelimit

SCALE_CHOICES = [
    ("1", _("1 — Pas du tout")),
    ("2", _("2 — Plutôt non")),
    ("3", _("3 — Moyennement")),
    ("4", _("4 — Plutôt oui")),
    ("5", _("5 — Tout à fait")),
]


class BarometerForm(forms.Form):
    heard = forms.TypedChoiceField(
        label=_("Vous sentez-vous entendu·e ?"),
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    clear = forms.TypedChoiceField(
        label=_("La réponse est-elle claire ?"),
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _answer(request: HttpRequest, pk: int) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("process"), pk=pk)
    if not barometer.can_reply(request.user, answer):
        raise Http404
    return answer


def _source_url(answer: Answer) -> str:
    source: Any = answer.source
    return str(source.get_absolute_url()) if hasattr(source, "get_absolute_url") else reverse("accounts:dashboard")


@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="30/10m", method="POST", block=True)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    answer = _answer(request, pk)
    done = barometer.has_replied(request.user, answer)
    form = BarometerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not done and form.is_valid():
        try:
            barometer.barometer_reply(
                person=request.user,
                answer=answer,
                heard=form.cleaned_data["heard"],
                clear=form.cleaned_data["clear"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Merci : votre avis est enregistré, sans lien avec votre nom."))
            return redirect(_source_url(answer))
    status = 400 if request.method == "POST" and not done else 200
    if request.method == "POST" and done:
        messages.info(request, _("Vous avez déjà donné votre avis sur cette réponse : merci !"))
        return redirect(_source_url(answer))
    return render(
        request,
        "answers/barometer.html",
        {"answer": answer, "source": answer.source, "source_url": _source_url(answer), "form": form, "done": done},
        status=status,
    )
