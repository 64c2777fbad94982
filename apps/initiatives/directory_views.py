"""Public pages of the directory of actors (``/initiatives/acteurs/``): the list with its
filters, an entry, writing to it, a resident's own entry (opt in, edit, withdraw) and proposing
an association or a collective. Plain forms: everything works without JavaScript."""

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
from apps.core import ratelimits
from apps.core.backoffice_kit import attach_errors, paginate
from apps.core.rules_kit import require
from apps.initiatives import directory, directory_messages, rules
from apps.initiatives.models import Actor, ActorMessage
from apps.initiatives.showcase_forms import (
    ContactForm,
    DirectoryFilterForm,
    MessageReportForm,
    OrganisationForm,
    ResidentEntryForm,
    clean_filters,
)

PER_PAGE = 20
# Successful messages only (a form sent back with an error does not count).
CONTACT_LIMIT = {"group": "initiatives.actor_contact", "rate": "10/h"}


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@require_GET
def actors(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    filters = clean_filters(form)
    quartier = filters.get("quartier")
    queryset = directory.published_actors(
        text=filters.get("q", ""), territory_id=quartier.pk if quartier else None, kind=filters.get("type", "")
    )
    user = request.user
    context = {
        "form": form,
        "own_entry": directory.resident_entry(user) if user.is_authenticated else None,
        **paginate(request, queryset, PER_PAGE),
    }
    return TemplateResponse(request, "initiatives/actors.html", context)


def _actor(request: HttpRequest, pk: int) -> Actor:
    actor = get_object_or_404(Actor.objects.select_related("territory", "person"), pk=pk)
    if not rules.can_see_actor(request.user, actor):
        raise Http404
    return actor


@require_GET
def actor(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _actor(request, pk)
    user = request.user
    context = {
        "actor": entry,
        "initiatives": directory.linked_initiatives(entry),
        "can_contact": rules.can_contact_actor(user, entry),
        "is_own": user.is_authenticated and entry.person_id == user.pk,
    }
    return TemplateResponse(request, "initiatives/actor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to an entry: the message reaches the person behind it, no address is shown."""
    entry = _actor(request, pk)
    user = cast(User, request.user)
    require(rules.can_contact_actor(user, entry))
    if request.method == "POST":
        ratelimits.check_successes(request, **CONTACT_LIMIT)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory_messages.actor_contact(sender=user, actor=entry, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            ratelimits.count_success(request, **CONTACT_LIMIT)
            messages.success(request, _("Votre message est transmis."))
            return HttpResponseRedirect(entry.get_absolute_url())
    context = {"actor": entry, "form": form, "blocked": directory_messages.is_blocked(user)}
    return TemplateResponse(request, "initiatives/actor_contact.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """A message received through the directory, for the person it was written to (404 for
    anyone else, its sender included): read it, report it."""
    found = get_object_or_404(ActorMessage.objects.select_related("actor", "sender"), pk=pk)
    user = cast(User, request.user)
    if not rules.can_read_actor_message(user, found):
        raise Http404
    form = MessageReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directory_messages.message_report(user=user, message=found, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Merci : un·e agent·e du quartier va lire votre signalement."))
            return HttpResponseRedirect(found.get_absolute_url())
    return TemplateResponse(
        request, "initiatives/actor_message.html", {"message": found, "form": form}, status=_status(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_entry(request: HttpRequest) -> HttpResponse:
    """Choose to appear in the directory, change what shows, or leave it."""
    user = cast(User, request.user)
    require(rules.can_list_self(user))
    entry = directory.resident_entry(user)
    initial = {"name": user.public_name, "territory": user.home_territory_id} if entry is None else None
    form = ResidentEntryForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ResidentEntryForm.Meta.fields}
        try:
            saved = directory.resident_entry_save(person=user, **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Votre fiche est enregistrée dans l'annuaire."))
            return HttpResponseRedirect(saved.get_absolute_url())
    context = {"form": form, "entry": entry, "proposed": Actor.objects.filter(person=user).exclude(kind="resident")}
    return TemplateResponse(request, "initiatives/actor_mine.html", context, status=_status(request))


@login_required
@require_POST
def my_entry_withdraw(request: HttpRequest) -> HttpResponse:
    if directory.resident_entry_withdraw(person=cast(User, request.user)):
        messages.success(request, _("Vous n'apparaissez plus dans l'annuaire : votre fiche est supprimée."))
    return HttpResponseRedirect(reverse("initiatives:actors"))


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """Propose an association or a collective; it shows once an agent validated it."""
    user = cast(User, request.user)
    require(rules.can_list_self(user))
    form = OrganisationForm(
        request.POST or None, choices=directory.participations(user), initial={"territory": user.home_territory_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory.organisation_propose(person=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Merci ! La fiche sera publiée dès qu'un·e agent·e du quartier l'aura validée.")
            )
            return HttpResponseRedirect(reverse("initiatives:my_entry"))
    return TemplateResponse(request, "initiatives/actor_propose.html", {"form": form}, status=_status(request))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Who proposed an association or a collective takes its entry out."""
    entry = get_object_or_404(Actor, pk=pk)
    user = cast(User, request.user)
    require(entry.kind != Actor.Kind.RESIDENT and entry.person_id == user.pk)
    directory.organisation_withdraw(person=user, actor=entry)
    messages.success(request, _("La fiche « %(name)s » est retirée de l'annuaire.") % {"name": entry.name})
    return HttpResponseRedirect(reverse("initiatives:my_entry"))
