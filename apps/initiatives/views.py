"""Public pages of the initiatives module (``/initiatives/``): the open door, an idea's page (its
progress and delays for its holder), the calls with their published decisions, the resource
directory. Each view parses input, asks one rule, calls one service, renders or redirects."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.core.backoffice_kit import attach_errors, paginate
from apps.core.params import parse_id
from apps.core.rules_kit import require
from apps.initiatives import closing_rules, directory, matchfunding, open_doors, rules, selectors, services
from apps.initiatives.forms import FileForm, PledgeForm, SubmitForm
from apps.initiatives.models import Call, Help, Initiative
from apps.initiatives.sessions import RULE_TEXT

PER_PAGE = 20
FUNDED_STAGES = (Initiative.Stage.FUNDED, Initiative.Stage.REALISED)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    ideas = selectors.public_initiatives().order_by("-created_at", "-pk")
    territory = parse_id(request.GET.get("quartier"))
    if territory is not None:
        ideas = ideas.filter(territory_id=territory)
    return TemplateResponse(
        request,
        "initiatives/home.html",
        {
            "calls": list(selectors.published_calls()[:10]),
            "quartiers": list(selectors.quartiers_with_ideas()),
            "selected": territory,
            **paginate(request, ideas, PER_PAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    require(rules.can_file(request.user))
    user = cast(User, request.user)
    form = FileForm(request.POST or None, initial={"territory": user.home_territory_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            initiative = services.initiative_file(holder=user, helps=data.pop("helps"), **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre idée est déposée. Un·e référent·e vous sera désigné·e au plus tard le %(due)s.")
                % {"due": initiative.referent_due.strftime("%d/%m/%Y")},
            )
            return HttpResponseRedirect(initiative.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "initiatives/file.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("territory", "referent", "call"), pk=pk)
    if not rules.can_see_initiative(request.user, initiative):
        raise Http404
    form = None
    if rules.can_submit(request.user, initiative):
        form = SubmitForm(request.POST or None, calls=selectors.open_calls(initiative))
    if request.method == "POST":
        require(form is not None)
        assert form is not None
        if form.is_valid():
            try:
                services.initiative_submit(holder=cast(User, request.user), initiative=initiative, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Votre idée est présentée à l'appel."))
                return HttpResponseRedirect(initiative.get_absolute_url())
    progress = rules.can_see_progress(request.user, initiative)
    # The project it joined is named only to those who may see it (a private idea stays private).
    joined = initiative.merged_into
    if joined is not None and not rules.can_see_initiative(request.user, joined):
        joined = None
    campaign = initiative.call is not None and initiative.call.match_ratio > 0 and initiative.stage in FUNDED_STAGES
    context = {
        "campaign": matchfunding.totals(initiative) if campaign else None,
        "pledge_form": PledgeForm() if matchfunding.can_pledge(request.user, initiative) else None,
        "my_pledges": list(initiative.pledges.filter(donor=request.user)) if request.user.is_authenticated else [],
        "initiative": initiative,
        "joined": joined,
        "decision": getattr(initiative, "decision", None),
        "progress": progress,
        "steps": list(initiative.steps.all()) if progress else [],
        "delays": selectors.delays(initiative) if progress else None,
        "resources": list(selectors.resources_for(initiative)) if progress else [],
        "similar": selectors.similar_initiatives(initiative),
        "submit_form": form,
        "community": selectors.community(request.user, initiative),
        "open_doors": list(open_doors.upcoming_open_doors().filter(initiative=initiative)[:5]),
        "can_announce": rules.can_announce_open_door(request.user, initiative),
        "actors": directory.actors_of(initiative) if initiative.is_public else [],
        "can_close": closing_rules.can_see_attachments(request.user, initiative)
        and initiative.stage in closing_rules.CLOSING_STAGES,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "initiatives/detail.html", context, status=status)


@login_required
@require_POST
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """A promise of money to a supported project: it gets a payment reference to pay the régie."""
    initiative = get_object_or_404(Initiative.objects.select_related("call"), pk=pk)
    if not rules.can_see_initiative(request.user, initiative):
        raise Http404
    require(matchfunding.can_pledge(request.user, initiative))
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            made = matchfunding.pledge_create(
                donor=cast(User, request.user), initiative=initiative, amount=form.cleaned_data["amount"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Merci ! Votre promesse de %(amount)s € est enregistrée avec la référence %(reference)s : "
                    "payez à la régie de la mairie ou sur la plateforme partenaire en la rappelant. "
                    "Elle comptera, abondée par le fonds, dès que le paiement sera reçu."
                )
                % {"amount": made.amount, "reference": made.reference},
            )
    else:
        messages.error(request, " ".join(str(message) for message in form.errors.get("amount", [])))
    return HttpResponseRedirect(initiative.get_absolute_url() + "#financement")


@require_GET
def call(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Call.objects.select_related("territory"), slug=slug)
    if not rules.can_see_call(request.user, found):
        raise Http404
    return TemplateResponse(
        request,
        "initiatives/call.html",
        {
            "call": found,
            "jury": list(found.jury.all()),
            "sittings": list(found.sittings.filter(is_published=True)),
            "decisions": list(selectors.published_decisions(found)),
            "sessions": list(found.sessions.all()),
            "rule_text": RULE_TEXT,
        },
    )


@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    queryset = selectors.published_resources()
    if kind in Help.values:
        queryset = queryset.filter(kind=kind)
    else:
        kind = ""
    return TemplateResponse(
        request,
        "initiatives/resources.html",
        {"kinds": Help.choices, "selected": kind, **paginate(request, queryset, PER_PAGE)},
    )
