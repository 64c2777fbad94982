"""Accounts: sign-up, sign-in (password or emailed link), profile, "Mon espace", RGPD.

Views parse the input, call one service and render; every ``next`` goes through
``safe_next_url`` so nobody can bounce a resident to another site after signing in.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from sesame.utils import get_query_string, get_user

from apps.accounts import services, verification
from apps.accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    MagicLinkForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignupForm,
)
from apps.accounts.models import User
from apps.accounts.rgpd.overview import export_overview
from apps.accounts.tasks import send_account_email
from apps.core import plugs
from apps.core.http import safe_next_url
from apps.core.ratelimits import ratelimit
from apps.core.registry import quartier_notice
from apps.notifications import selectors as notification_selectors

PASSWORD_BACKEND = "apps.accounts.backends.EmailBackend"  # noqa: S105 (a dotted path, not a secret)


def _posted_email(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the email typed in the form, so one account cannot be hammered
    from many addresses."""
    return request.POST.get("email", "").strip().lower()


def _apply_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _dashboard_url() -> str:
    return reverse("accounts:dashboard")


# Sign-ups that would create an account or send a mail are counted; a form sent back with
# errors is not, so that a person who mistypes their password is never locked out. Per client
# address the limit fits a counter or a public meeting on one Wi-Fi; per e-mail address it stops
# anyone from flooding one mailbox with confirmation or "someone tried" mails.
SIGNUP_RATE_PER_ADDRESS = "50/h"
SIGNUP_RATE_PER_EMAIL = "3/h"


def _signup_limited(request: HttpRequest) -> bool:
    by_address = is_ratelimited(
        request, group="accounts.signup", key="ip", rate=SIGNUP_RATE_PER_ADDRESS, method="POST", increment=True
    )
    by_email = is_ratelimited(
        request,
        group="accounts.signup.email",
        key=_posted_email,
        rate=SIGNUP_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )
    return bool(by_address or by_email)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, _dashboard_url())
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _signup_limited(request):
            # The form comes back with what was typed (a password is never sent back).
            form.add_error(
                None,
                _(
                    "Trop de tentatives de création de compte depuis cette connexion ou pour cette adresse. "
                    "Merci de patienter une heure avant de renvoyer le formulaire : ce que vous avez saisi "
                    "est conservé, sauf le mot de passe."
                ),
            )
            return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=429)
        try:
            verification.signup_request(
                email=data["email"],
                display_name=data["display_name"],
                password=data["password"],
                home_territory=data.get("home_territory"),
                demographics_consent=data["demographics_consent"],
                age_band=data["age_band"],
                gender=data["gender"],
                next_url="" if next_url == _dashboard_url() else next_url,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            # The same page whether the address was new or already had an account.
            return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    status = 400 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
@ratelimit(key=_posted_email, rate="5/m", method="POST", block=True)
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, _dashboard_url())
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(next_url)
        # One message whether the address is unknown or the password wrong: the form
        # must not tell who has an account.
        form.add_error(None, _("Adresse électronique ou mot de passe incorrect."))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(safe_next_url(request, reverse("pages:home")))


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
@ratelimit(key=_posted_email, rate="5/h", method="POST", block=True)
def magic_link(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, _dashboard_url())
    form = MagicLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"].strip(), is_active=True, is_deleted=False
        ).first()
        if user is not None:
            link = request.build_absolute_uri(reverse("accounts:magic_login")) + get_query_string(user)
            link += "&" + urlencode({"next": next_url})
            body = render_to_string("accounts/email/magic_link.txt", {"user": user, "link": link})
            send_account_email(subject=_("Votre lien de connexion à Archipel"), body=body, to=user.email)
        # Same page whether the address exists or not.
        return render(request, "accounts/magic_link_sent.html", {"email": form.cleaned_data["email"]})
    status = 400 if form.is_bound else 200
    return render(request, "accounts/magic_link.html", {"form": form, "next": next_url}, status=status)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def magic_login(request: HttpRequest) -> HttpResponse:
    """GET only shows a button: mail scanners that open links must not burn the one-time
    token nor open a session; the POST signs in."""
    next_url = safe_next_url(request, _dashboard_url())
    token = request.POST.get("sesame") or request.GET.get("sesame") or ""
    if request.method == "POST":
        user = get_user(token, update_last_login=False) if token else None
        if user is not None and not user.is_deleted:
            login(request, user, backend=PASSWORD_BACKEND)
            messages.success(request, _("Vous êtes connecté·e."))
            return redirect(next_url)
        return render(request, "accounts/magic_login.html", {"invalid": True, "next": next_url}, status=400)
    return render(request, "accounts/magic_login.html", {"token": token, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial: dict[str, Any] = {
        "display_name": user.display_name,
        "home_territory": user.home_territory_id,
        "email_frequency": user.email_frequency,
        "demographics_consent": user.demographics_consent,
        "age_band": user.age_band,
        "gender": user.gender,
        "birth_date": user.birth_date,
    }
    locked = user.birth_date_locked_at is not None
    # A module may tie the person to a quartier for a while (a budget vote counts the quartier
    # of the first ballot): the profile says so next to the field.
    notice = quartier_notice(user)
    form = ProfileForm(request.POST or None, initial=initial, birth_date_locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_update(
                user=user,
                display_name=data["display_name"],
                home_territory=data.get("home_territory"),
                email_frequency=data["email_frequency"],
                demographics_consent=data["demographics_consent"],
                age_band=data["age_band"],
                gender=data["gender"],
                birth_date=services.UNCHANGED if locked else data.get("birth_date"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            if notice and getattr(data.get("home_territory"), "pk", None) != initial["home_territory"]:
                messages.warning(request, notice)
            return redirect("accounts:profile")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "birth_date_locked": locked, "quartier_notice": notice},
        status=status,
    )


@require_http_methods(["GET"])
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        # Modules add their sections (« Où en est mon idée ? ») and links.
        "sections": plugs.account_sections(request),
        "follows": notification_selectors.follows_of(user),
        "unread": notification_selectors.unread_count(user),
    }
    return render(request, "accounts/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = services.account_export_data(request.user)  # type: ignore[arg-type]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        filename = f"archipel-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    overview = export_overview(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/export.html", {"overview": overview})


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(key="user", rate="5/m", method="POST", block=True)
def delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=user)
        logout(request)
        messages.success(request, _("Votre compte est supprimé. Vos contributions restent, sans votre nom."))
        return redirect("pages:home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


password_reset = ratelimit(key="ip", rate="5/h", method="POST", block=True)(
    auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm,
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = ratelimit(key="ip", rate="10/h", method="POST", block=True)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
