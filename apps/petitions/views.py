"""Public pages of petitions and agoras éphémères: list, page (counts per quartier, committee,
answer and route), the sign page, filing, joining a committee. Signing is one plain form (the
facts a paper sheet asks, kept only as a keyed digest): it works without JavaScript and with the
keyboard alone, and a refused form comes back with everything typed."""

from __future__ import annotations

import hmac

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import ratelimits
from apps.core.backoffice_kit import attach_errors, paginate
from apps.petitions import rules, selectors, services
from apps.petitions.forms import CommitteeJoinForm, PetitionForm, SignatureForm
from apps.petitions.models import Agora, Petition

PAGE_SIZE = 20
STATES = ("collecting", "answer_due", "answered", "rejected")
# Three petitions a day per person; a form sent back with an error does not count.
FILE_LIMIT = {"group": "petitions.file", "rate": "3/d"}


def _petition_or_404(request: HttpRequest, pk: int) -> Petition:
    petition = get_object_or_404(Petition.objects.select_related("territory", "created_process"), pk=pk)
    if not rules.can_view(request.user, petition):
        raise Http404
    return petition


@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("etat", "")
    state = state if state in STATES else ""
    context = paginate(request, selectors.public_petitions(state), PAGE_SIZE)
    selectors.annotate_overdue(list(context["page_obj"].object_list))
    context.update(
        {
            "state": state,
            "base_query": f"etat={state}" if state else "",
            "states": STATES,
            "agoras": list(selectors.public_agoras()[:5]),
        }
    )
    return render(request, "petitions/list.html", context)


@require_GET
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition_or_404(request, pk)
    return render(request, "petitions/detail.html", _detail_context(request, petition))


def _detail_context(request: HttpRequest, petition: Petition) -> dict[str, object]:
    return {
        "petition": petition,
        "counts": selectors.public_counts_by_quartier(petition),
        "totals": selectors.signature_totals(petition),
        "committee": selectors.named_committee(petition),
        "committee_size": selectors.committee_size(petition),
        "answer": selectors.answer_of(petition),
        "overdue": selectors.is_overdue(petition),
        "collecting": rules.is_collecting(petition),
        "sign_refusal": rules.sign_refusal(request.user, petition),
        "has_signed": selectors.has_signed(petition, request.user),
        "is_author": request.user.is_authenticated and petition.author_id == request.user.pk,
        "agoras": [agora for agora in petition.agoras.all() if agora.is_published],
    }


@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_file(request.user):
        raise PermissionDenied
    if request.method == "POST":
        ratelimits.check_successes(request, **FILE_LIMIT)
    form = PetitionForm(request.POST or None, initial={"kind": "petition"})
    similar: list[Petition] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = selectors.similar_petitions(data["title"], data["body"])
        if similar and not data["confirm_new"]:
            form.add_error(
                "confirm_new",
                _("Des pétitions proches existent : signez-en une, ou cochez cette case si la vôtre est différente."),
            )
        else:
            try:
                petition = services.petition_file(
                    author=request.user,
                    **{key: value for key, value in data.items() if key != "confirm_new"},
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                ratelimits.count_success(request, **FILE_LIMIT)
                messages.success(request, _("Merci ! Votre demande est déposée : elle sera publiée après modération."))
                return redirect(petition)
    return render(
        request,
        "petitions/form.html",
        {"form": form, "similar": similar, "rules": selectors.rules_of_the_game()},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@ratelimits.ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def petition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the sign form; POST: sign, or the form again with its errors and what was typed."""
    petition = _petition_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_online(user=request.user, petition=petition, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Votre signature est enregistrée. Merci !"))
            return redirect(petition)
    context = {**_detail_context(request, petition), "form": form}
    return render(request, "petitions/sign.html", context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def committee_join(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    petition = get_object_or_404(Petition.objects.select_related("territory"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not hmac.compare_digest(token.encode(), petition.committee_token.encode()):
        raise Http404
    if not rules.can_join_committee(request.user, petition):
        raise PermissionDenied
    form = CommitteeJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_join(
                user=request.user,
                petition=petition,
                token=token,
                agrees_to_be_named=form.cleaned_data["agrees_to_be_named"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Vous faites partie du comité de cette demande."))
            return redirect(petition)
    return render(request, "petitions/join.html", {"petition": petition, "form": form})


@require_GET
def agora_list(request: HttpRequest) -> HttpResponse:
    return render(request, "petitions/agora_list.html", paginate(request, selectors.public_agoras(), PAGE_SIZE))


@require_GET
def agora_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agora = get_object_or_404(Agora.objects.select_related("territory", "petition"), pk=pk)
    if not rules.can_view_agora(request.user, agora):
        raise Http404
    return render(request, "petitions/agora.html", {"agora": agora, **selectors.agora_detail(agora)})
