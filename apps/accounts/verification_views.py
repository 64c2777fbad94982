"""The resident's side of verification: open the confirmation link, ask for a new one, and
prove residence against the census list ("Vérifier mon adresse")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from apps.accounts import census, verification
from apps.accounts.forms import CensusCheckForm
from apps.accounts.models import User
from apps.core.http import safe_next_url
from apps.core.ratelimits import ratelimit

# Each attempt checks one (name, birth date, address): a few an hour keeps anyone from trying
# every birth date of a neighbour whose name and address they know.
CENSUS_RATE_PER_ACCOUNT = "5/h"
CENSUS_RATE_PER_ADDRESS = "30/h"


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def confirm_email(request: HttpRequest) -> HttpResponse:
    """GET only shows a button: mail scanners that open links do not act for the person."""
    next_url = safe_next_url(request, reverse("accounts:dashboard"))
    token = request.POST.get("jeton") or request.GET.get("jeton") or ""
    if request.method == "GET":
        return render(request, "accounts/confirm_email.html", {"token": token, "next": next_url})
    try:
        user = verification.email_confirm(token=token)
    except ValidationError as error:
        context = {"error": error.messages[0], "expired": error.code == "expired", "next": next_url}
        return render(request, "accounts/confirm_email.html", context, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, _("Votre adresse électronique est confirmée."))
        return redirect(next_url)
    messages.success(request, _("Votre adresse électronique est confirmée. Connectez-vous pour participer."))
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": next_url}))


@require_POST
@login_required
@ratelimit(key="user", rate="3/h", method="POST", block=True)
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if verification.confirmation_send(user=user):
        messages.success(
            request,
            _("Un nouveau lien vient d'être envoyé à %(email)s. Il est valable %(days)s jours.")
            % {"email": user.email, "days": verification.CONFIRMATION_MAX_AGE.days},
        )
    else:
        messages.info(request, _("Votre adresse électronique est déjà confirmée."))
    return redirect(safe_next_url(request, reverse("accounts:dashboard")))


def _census_limited(request: HttpRequest) -> bool:
    by_account = is_ratelimited(
        request, group="accounts.census", key="user", rate=CENSUS_RATE_PER_ACCOUNT, method="POST", increment=True
    )
    by_address = is_ratelimited(
        request, group="accounts.census.ip", key="ip", rate=CENSUS_RATE_PER_ADDRESS, method="POST", increment=True
    )
    return bool(by_account or by_address)


@require_http_methods(["GET", "POST"])
@login_required
def census_check(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, object] = {
        "available": census.census_available(),
        "confirmed": user.meets_verification(User.Verification.EMAIL),
        "verified": user.meets_verification(User.Verification.VERIFIED),
    }
    can_try = context["available"] and context["confirmed"] and not context["verified"]
    form = CensusCheckForm(request.POST or None)
    status = 200
    if request.method == "POST" and not can_try:
        status = 400
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _census_limited(request):
            form.add_error(
                None,
                _(
                    "Trop de tentatives de vérification. Merci de patienter une heure : ce que vous avez "
                    "saisi est conservé. Vous pouvez aussi vous présenter à l'accueil d'une mairie."
                ),
            )
            status = 429
        else:
            try:
                census.census_match(
                    user=user,
                    nom=data["nom"],
                    prenom=data["prenom"],
                    birth_date=data["birth_date"],
                    address=data["address"],
                    postal_code=data["postal_code"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                messages.success(request, _("Votre adresse est vérifiée : votre compte est vérifié par la Ville."))
                return redirect("accounts:dashboard")
    elif form.is_bound:
        status = 400
    return render(request, "accounts/census_check.html", {**context, "form": form}, status=status)
