"""Public pages showing the initiatives: the map (with its list, the text alternative and the
page without JavaScript) and the « portes ouvertes » (list, iCal feed, announcing one)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.core import ical, maps
from apps.core.backoffice_kit import attach_errors, paginate
from apps.core.params import parse_id
from apps.core.rules_kit import require
from apps.initiatives import open_doors, rules, selectors
from apps.initiatives.forms import quartiers
from apps.initiatives.map import MAP_LIMIT, markers
from apps.initiatives.models import Initiative, OpenDoor
from apps.initiatives.showcase_forms import MapFilterForm, OpenDoorForm, clean_filters

PER_PAGE = 20
FEED_PRODID = "-//Archipel//Portes ouvertes des initiatives//FR"


@require_GET
def initiative_map(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET)
    filters = clean_filters(form)
    ideas = selectors.public_initiatives().exclude(stage=Initiative.Stage.CLOSED).order_by("-created_at", "-pk")
    if quartier := filters.get("quartier"):
        ideas = ideas.filter(territory=quartier)
    if theme := filters.get("theme"):
        ideas = ideas.filter(category=theme)
    shown = list(ideas[:MAP_LIMIT])
    return TemplateResponse(
        request,
        "initiatives/map.html",
        {
            "form": form,
            "markers": markers(shown),
            "map_config": maps.map_config(territories=quartiers()),
            "total": len(shown),
            "limit": MAP_LIMIT,
            **paginate(request, shown, PER_PAGE),
        },
    )


@require_GET
def open_door_list(request: HttpRequest) -> HttpResponse:
    territory = parse_id(request.GET.get("quartier"))
    context = {
        "quartiers": list(quartiers()),
        "selected": territory,
        **paginate(request, open_doors.upcoming_open_doors(territory), PER_PAGE),
    }
    return TemplateResponse(request, "initiatives/open_doors.html", context)


@require_GET
def open_door_feed(request: HttpRequest) -> HttpResponse:
    doors = open_doors.upcoming_open_doors()[: open_doors.FEED_LIMIT]
    body = ical.meetings_calendar(
        _("Portes ouvertes des initiatives habitantes"), FEED_PRODID, (open_doors.as_meeting(door) for door in doors)
    )
    return ical.ics_response(body, "portes-ouvertes.ics", private=False)


@login_required
@require_http_methods(["GET", "POST"])
def open_door_announce(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("territory"), pk=pk)
    if not rules.can_see_initiative(request.user, initiative):
        raise Http404
    user = cast(User, request.user)
    require(rules.can_announce_open_door(user, initiative))
    form = OpenDoorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            open_doors.open_door_announce(actor=user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Vos portes ouvertes sont annoncées, ici et dans l'agenda du quartier."))
            return HttpResponseRedirect(request.path)
    context = {"initiative": initiative, "form": form, "doors": list(initiative.open_doors.all())}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "initiatives/open_door_form.html", context, status=status)


@login_required
@require_POST
def open_door_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    door = get_object_or_404(OpenDoor.objects.select_related("initiative__territory"), pk=pk)
    user = cast(User, request.user)
    require(rules.can_announce_open_door(user, door.initiative))
    open_doors.open_door_cancel(actor=user, door=door)
    messages.success(request, _("Les portes ouvertes sont annulées."))
    return HttpResponseRedirect(reverse("initiatives:open_door_announce", kwargs={"pk": door.initiative.pk}))
