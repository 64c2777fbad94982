"""Public pages of « rejoindre », the time given (with its attestation) and the récits. Each view
parses input, asks one rule, calls one service, renders or redirects."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.core.backoffice_kit import attach_errors, paginate
from apps.core.params import parse_id, parse_int
from apps.core.pdf import pdf_download
from apps.core.rules_kit import require
from apps.initiatives import community, rules, selectors
from apps.initiatives.attestation import time_attestation, time_entries
from apps.initiatives.community_forms import JoinForm, StoryForm, TimeForm
from apps.initiatives.models import HelpOffer, Initiative, TimeGiven
from apps.initiatives.review import annual_review

PER_PAGE = 12


def _visible(request: HttpRequest, pk: int) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.select_related("territory"), pk=pk)
    if not rules.can_see_initiative(request.user, initiative):
        raise Http404
    return initiative


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """« Rejoindre »: offer help to a project (a plain form: it works without JavaScript)."""
    initiative = _visible(request, pk)
    user = cast(User, request.user)
    already = HelpOffer.objects.filter(initiative=initiative, person=user).exists()
    require(already or rules.can_join(user, initiative))
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        require(not already)
        if form.is_valid():
            try:
                community.help_offer(person=user, initiative=initiative, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, _("Merci ! Le porteur ou la porteuse du projet est prévenu·e de votre proposition.")
                )
                return HttpResponseRedirect(initiative.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"initiative": initiative, "form": form, "already": already}
    return TemplateResponse(request, "initiatives/join.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def time_given(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's (or agent's) page of who joined and the time given, with a form to add time."""
    initiative = _visible(request, pk)
    user = cast(User, request.user)
    require(rules.can_record_time(user, initiative))
    form = TimeForm(request.POST or None, people=community.time_people(initiative))
    if request.method == "POST" and form.is_valid():
        try:
            community.time_record(actor=user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Le temps donné est enregistré ; la personne peut télécharger son attestation.")
            )
            return HttpResponseRedirect(request.path)
    status = 400 if request.method == "POST" else 200
    context = {
        "initiative": initiative,
        "form": form,
        "offers": list(HelpOffer.objects.filter(initiative=initiative).select_related("person")),
        "co_holders": set(initiative.co_holders.values_list("person_id", flat=True)),
        "can_add_co_holder": rules.can_add_co_holder(user, initiative),
        "entries": list(TimeGiven.objects.filter(initiative=initiative).select_related("person")),
    }
    return TemplateResponse(request, "initiatives/time.html", context, status=status)


@login_required
@require_GET
def attestation(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own attestation of the time they gave to the project (nobody else's)."""
    initiative = get_object_or_404(Initiative.objects.select_related("territory"), pk=pk)
    user = cast(User, request.user)
    if not time_entries(user, initiative):
        raise Http404
    name = slugify(f"attestation-temps-donne-{initiative.pk}")
    return pdf_download(time_attestation(user, initiative), f"{name}.pdf", cache_control="private, no-store")


@login_required
@require_http_methods(["GET", "POST"])
def story(request: HttpRequest, pk: int) -> HttpResponse:
    """Write or correct the récit of a realised project."""
    initiative = _visible(request, pk)
    user = cast(User, request.user)
    require(rules.can_tell_story(user, initiative))
    form = StoryForm(request.POST or None, initial={"story": initiative.story})
    if request.method == "POST" and form.is_valid():
        try:
            community.story_tell(actor=user, initiative=initiative, story=form.cleaned_data["story"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le récit est publié."))
            return HttpResponseRedirect(initiative.get_absolute_url() + "#recit")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "initiatives/story.html", {"initiative": initiative, "form": form}, status=status)


@require_GET
def stories(request: HttpRequest) -> HttpResponse:
    """Récits of realised projects: what residents did, told by them."""
    queryset = selectors.stories()
    return TemplateResponse(request, "initiatives/stories.html", paginate(request, queryset, PER_PAGE))


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """The annual review of the fund (``?annee=2027``; this year by default), for the conseil de
    quartier and anyone: figures only, no person named."""
    this_year = timezone.localdate().year
    year = parse_int(request.GET.get("annee"), default=this_year, minimum=2000, maximum=this_year) or this_year
    context = {"review": annual_review(year), "years": list(range(this_year, this_year - 5, -1))}
    return TemplateResponse(request, "initiatives/review.html", context)


@login_required
@require_POST
def co_holder(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder makes someone who joined the project a co-holder (a button on the time page)."""
    initiative = _visible(request, pk)
    user = cast(User, request.user)
    require(rules.can_add_co_holder(user, initiative))
    person_id = parse_id(request.POST.get("person"))
    person = User.objects.filter(pk=person_id, is_active=True).first() if person_id is not None else None
    try:
        if person is None:
            raise ValidationError(_("Choisissez une personne qui a rejoint le projet."))
        community.co_holder_add(actor=user, initiative=initiative, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s porte maintenant le projet avec vous.") % {"name": person.public_name})
    return HttpResponseRedirect(reverse("initiatives:time", kwargs={"pk": initiative.pk}))
