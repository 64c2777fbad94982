"""Back-office page of the directory of actors (``/gestion/initiatives/annuaire/``): agents of a
quartier validate the associations and collectives residents propose, and take down any entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.backoffice_kit import actor, paginate, redirect, render_page, staff_required
from apps.core.params import parse_id
from apps.core.rules_kit import require
from apps.initiatives import directory, directory_messages, rules
from apps.initiatives.models import Actor, ActorMessage

PER_PAGE = 30


@staff_required
@require_http_methods(["GET", "POST"])
def actors(request: HttpRequest) -> HttpResponse:
    agent = actor(request)
    require(rules.can_manage(agent))
    if request.method == "POST":
        entry = get_object_or_404(Actor.objects.select_related("territory"), pk=parse_id(request.POST.get("actor")))
        require(rules.can_moderate_actor(agent, entry))
        publish = request.POST.get("action") == "publish"
        try:
            directory.actor_moderate(agent=agent, actor=entry, publish=publish)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = _("« %(name)s » est publiée.") if publish else _("« %(name)s » n'est pas publiée.")
            messages.success(request, done % {"name": entry.name})
        return redirect(reverse("initiatives_admin:actors"))
    context = {
        "pending": list(directory.pending_actors(agent)[:100]),
        **paginate(request, directory.moderated_actors(agent), PER_PAGE),
    }
    return render_page(request, "initiatives/backoffice/actors.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def reported_messages(request: HttpRequest) -> HttpResponse:
    """Messages of the directory their recipients reported, in the agent's quartiers: close the
    report, or stop the sender from writing through the directory (``directory_messages.BLOCK``)."""
    agent = actor(request)
    require(rules.can_manage(agent))
    if request.method == "POST":
        found = get_object_or_404(
            ActorMessage.objects.select_related("actor__territory"), pk=parse_id(request.POST.get("message"))
        )
        require(rules.can_moderate_actor(agent, found.actor))
        block = request.POST.get("action") == "block"
        try:
            directory_messages.message_handle(agent=agent, message=found, block_sender=block)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("L'expéditeur·rice ne peut plus écrire par l'annuaire pendant un an.")
                if block
                else _("Le signalement est classé."),
            )
        return redirect(reverse("initiatives_admin:actor_messages"))
    context = paginate(request, directory_messages.reported_messages(agent), PER_PAGE)
    return render_page(request, "initiatives/backoffice/actor_messages.html", context)
