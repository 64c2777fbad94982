"""Back-office pages of the agenda (``/gestion/agenda/``). Each view parses input, asks one
permission question, calls one service, then renders or redirects."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.agenda import rules, selectors, services
from apps.agenda.forms import CancelForm, EventForm, MinutesForm, OutcomeForm, SignInForm
from apps.agenda.models import Event, Outcome
from apps.answers.models import Answer
from apps.core.backoffice_kit import (
    actor,
    paginate,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    staff_required,
    territories_in_scope,
)
from apps.core.models import Territory
from apps.core.rules_kit import require
from apps.followup.selectors import public_commitments

FORM_TEMPLATE = "agenda/backoffice/form.html"
PAGE_SIZE = 30


def _event(pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("territory", "process").prefetch_related("sittings"), pk=pk)


def _detail_url(event: Event) -> str:
    return reverse("agenda_admin:detail", kwargs={"pk": event.pk})


def _form_page(
    request: HttpRequest, form: BaseForm, *, event: Event | None, title: str, submit: str, intro: str = "", **extra: Any
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    template = extra.pop("template", FORM_TEMPLATE)
    context = {"form": form, "event": event, "page_title": title, "submit_label": submit, "intro": intro, **extra}
    return render_page(request, template, context, status=status)


def _event_form(request: HttpRequest, event: Event | None = None) -> EventForm:
    return EventForm(
        request.POST or None,
        territories=territories_in_scope(request.user, rules.AGENTS).order_by("name"),
        processes=processes_in_scope(request.user, rules.AGENTS).order_by("title"),
        event=event,
    )


@staff_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require(rules.can_use_agenda_backoffice(request.user))
    context = {
        **paginate(request, selectors.events_for_staff(actor(request)), PAGE_SIZE),
        "can_create": rules.can_create_event(request.user),
    }
    return render_page(request, "agenda/backoffice/list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_event(request.user))
    form = _event_form(request)
    created: list[Event] = []

    def save() -> None:
        created.append(services.event_create(actor=actor(request), **form.values()))

    if saved(request, form, save, success=_("Le rendez-vous est créé.")):
        return redirect(_detail_url(created[0]))
    return _form_page(request, form, event=None, title=_("Nouveau rendez-vous"), submit=_("Créer le rendez-vous"))


@staff_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_read_event_backoffice(request.user, event))
    return render_page(
        request,
        "agenda/backoffice/detail.html",
        {
            "event": event,
            "sitting": event.sitting,
            "summary": selectors.registration_summary(event),
            "languages": selectors.interpretation_languages(event),
            "items": list(event.items.order_by("-support_count", "pk")),
            "outcomes": list(event.outcomes.select_related("commitment", "answer", "item")),
            "signin_total": selectors.signin_total(event),
            "can_manage": rules.can_manage_event(request.user, event),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_manage_event(request.user, event))
    form = _event_form(request, event)
    if saved(
        request,
        form,
        lambda: services.event_update(actor=actor(request), event=event, **form.values()),
        success=_("Le rendez-vous est mis à jour."),
    ):
        return redirect(_detail_url(event))
    return _form_page(request, form, event=event, title=_("Modifier le rendez-vous"), submit=_("Enregistrer"))


@staff_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_manage_event(request.user, event))
    form = CancelForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: services.event_cancel(actor=actor(request), event=event, reason=form.cleaned_data["cancel_reason"]),
        success=_("Le rendez-vous est annulé ; les personnes inscrites sont prévenues."),
    ):
        return redirect(_detail_url(event))
    return _form_page(
        request,
        form,
        event=event,
        title=_("Annuler le rendez-vous"),
        submit=_("Annuler le rendez-vous et prévenir les inscrit·es"),
        intro=_("Le motif est affiché sur la page publique, et envoyé à chaque personne inscrite ou en attente."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_manage_event(request.user, event))
    form = MinutesForm(request.POST or None, initial={"minutes": event.sitting.minutes})
    if saved(
        request,
        form,
        lambda: services.minutes_publish(actor=actor(request), event=event, minutes=form.cleaned_data["minutes"]),
        success=_("Le compte rendu est publié."),
    ):
        return redirect(_detail_url(event))
    return _form_page(
        request, form, event=event, title=_("Compte rendu du rendez-vous"), submit=_("Publier le compte rendu")
    )


@staff_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_manage_event(request.user, event))
    form = OutcomeForm(
        request.POST or None,
        items=event.items.order_by("pk"),
        commitments=public_commitments()
        .filter(territory_id__in=[event.territory_id, event.territory.parent_id])
        .order_by("title"),
        answers=Answer.objects.order_by("-pk"),
        initial={"link": Outcome.Link.COMMITMENT},
    )
    if saved(
        request,
        form,
        lambda: services.outcome_add(actor=actor(request), event=event, **form.cleaned_data),
        success=_("La décision est ajoutée ; elle est publique avec le compte rendu."),
    ):
        return redirect(_detail_url(event) + "#decisions")
    return _form_page(request, form, event=event, title=_("Ajouter une décision"), submit=_("Ajouter la décision"))


@staff_required
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    require(rules.can_manage_event(request.user, event))
    city = event.territory.parent or event.territory
    territories = [
        event.territory,
        *Territory.objects.filter(parent=city).exclude(pk=event.territory_id).order_by("name"),
    ]
    initial = {(c.territory_id, c.age_band, c.first_time): c.count for c in event.signin_counts.all()}
    form = SignInForm(request.POST or None, territories=territories, initial_counts=initial)
    if saved(
        request,
        form,
        lambda: services.signin_record(actor=actor(request), event=event, counts=form.counts()),
        success=_("Les comptages des feuilles d'émargement sont enregistrés."),
    ):
        return redirect(_detail_url(event))
    return _form_page(
        request,
        form,
        event=event,
        title=_("Feuilles d'émargement"),
        submit=_("Enregistrer les comptages"),
        intro=_("Comptez les lignes des feuilles papier : aucun nom n'est saisi. Laissez vide une case sans personne."),
        template="agenda/backoffice/signin.html",
    )
