"""Public pages of the neighbourhood agenda: the agenda (city, quartier, process), an event's
page with its registration, proposed subjects, outcomes and thread, the iCal feeds and the
person's own agenda. Every form works without JavaScript; a refused form is shown again with
what the person typed and the errors in French (status 400)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.agenda import ical, rules, selectors, services
from apps.agenda.forms import CommentForm, ItemForm, RegistrationForm
from apps.agenda.models import AgendaItem, Event, Registration
from apps.core.backoffice_kit import attach_errors, paginate
from apps.core.ical import ics_response
from apps.core.models import Process, Territory
from apps.core.params import parse_id, parse_page
from apps.core.ratelimits import ratelimit
from apps.discussion import views as discussion_views
from apps.discussion.models import Comment
from apps.discussion.selectors import comments_of, threads_of
from apps.discussion.targets import comment_url

PAGE_SIZE = 20
MODERATION_TEMPLATE = "discussion/comment_moderation.html"
COMMENT_URLS = {"report": "agenda:comment_report", "hide": "agenda:comment_hide", "unhide": "agenda:comment_unhide"}
# The personal feed reaches back this far (a calendar keeps older events itself).
FEED_HISTORY = datetime.timedelta(days=90)
FEED_LIMIT = 500


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _event_or_404(request: HttpRequest, pk: int) -> Event:
    event = selectors.event_for(request.user, pk)
    if event is None:
        raise Http404
    return event


# --- the agenda -----------------------------------------------------------------------------------


def _agenda(
    request: HttpRequest, *, territory: Territory | None = None, process: Process | None = None
) -> HttpResponse:
    past = request.GET.get("passes") == "1"
    events = selectors.public_events(territory=territory, process=process, past=past)
    context = {
        **paginate(request, events, PAGE_SIZE),
        "territory": territory,
        "process": process,
        "past": past,
        "quartiers": selectors.quartiers_with_events(),
        # The councils' public meetings (through their manifest), beside the rendez-vous.
        "meetings": [] if process is not None else selectors.other_public_meetings(territory=territory, past=past),
    }
    return render(request, "agenda/list.html", context)


@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    return _agenda(request)


@require_GET
def quartier_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    return _agenda(request, territory=get_object_or_404(Territory, slug=slug))


@require_GET
def process_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(Process, slug=slug, is_published=True)
    return _agenda(request, process=process)


# --- one event ------------------------------------------------------------------------------------


def _event_page(
    request: HttpRequest,
    event: Event,
    *,
    registration_form: BaseForm | None = None,
    item_form: BaseForm | None = None,
    comment_form: BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    registration = selectors.registration_of(event, user)
    active = registration is not None and registration.status != Registration.Status.CANCELLED
    if registration_form is None:
        registration_form = RegistrationForm(instance=registration if active else None)
    context: dict[str, Any] = {
        "event": event,
        "sitting": event.sitting,
        "sequences": selectors.sequences(event, user).groups,
        "registration": registration if active else None,
        "waiting_rank": selectors.waiting_rank(registration)
        if registration is not None and registration.status == Registration.Status.WAITING
        else None,
        "places_left": None
        if event.capacity is None
        else max(event.capacity - getattr(event, "confirmed_count", 0), 0),
        "can_register": rules.can_register(user, event),
        "can_cancel": registration is not None and rules.can_cancel_registration(user, registration),
        "can_propose": rules.can_propose_item(user, event),
        "can_manage": rules.can_read_event_backoffice(user, event),
        "registration_form": registration_form,
        "item_form": item_form or ItemForm(),
        "comments_open": rules.comments_open(event),
        "can_comment": rules.can_comment_event(user, event),
        "can_moderate": rules.can_moderate_event(user, event),
        "comments": threads_of(event, parse_page(request.GET.get("page")), user),
        "comment_total": comments_of(event).count(),
        "comment_urls": COMMENT_URLS,
        "reply_url": reverse("agenda:comment", kwargs={"pk": event.pk}),
        "comment_form": comment_form or CommentForm(),
        "stances": (),
    }
    return render(request, "agenda/detail.html", context, status=status)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, _event_or_404(request, pk))


@ratelimit(key="user_or_ip", rate="20/m", method="POST", block=True)
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    if not rules.can_register(request.user, event):
        raise PermissionDenied
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register(user=_user(request), event=event, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("Votre place est réservée. Vous recevrez un rappel la veille."))
            else:
                messages.success(
                    request,
                    _(
                        "Le rendez-vous est complet : vous êtes sur la liste d'attente. "
                        "Nous vous prévenons si une place se libère."
                    ),
                )
            return HttpResponseRedirect(event.get_absolute_url() + "#inscription")
    return _event_page(request, event, registration_form=form, status=400)


@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    registration = selectors.registration_of(event, request.user)
    if registration is None or not rules.can_cancel_registration(request.user, registration):
        raise PermissionDenied
    services.registration_cancel(user=_user(request), registration=registration)
    messages.success(request, _("Votre inscription est annulée. Merci d'avoir libéré la place."))
    return HttpResponseRedirect(event.get_absolute_url() + "#inscription")


@ratelimit(key="user_or_ip", rate="10/10m", method="POST", block=True)
@require_POST
def item_propose(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    if not rules.can_propose_item(request.user, event):
        raise PermissionDenied
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_propose(author=_user(request), event=event, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Votre sujet est proposé. Les habitant·es peuvent le soutenir."))
            return HttpResponseRedirect(event.get_absolute_url() + "#sujets")
    return _event_page(request, event, item_form=form, status=400)


@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
@require_POST
def item_support(request: HttpRequest, pk: int) -> HttpResponse:
    item = AgendaItem.objects.filter(pk=pk).first()
    event = _event_or_404(request, item.event_id) if item is not None else None
    if item is None or event is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    item.event = event
    if not rules.can_support_item(request.user, item):
        raise PermissionDenied
    now_supported = services.item_support_toggle(user=_user(request), item=item)
    messages.success(request, _("Votre soutien est enregistré.") if now_supported else _("Votre soutien est retiré."))
    return HttpResponseRedirect(event.get_absolute_url() + f"#sujet-{item.pk}")


# --- the thread -----------------------------------------------------------------------------------


@ratelimit(key="user_or_ip", rate="10/m", method="POST", block=True)
@require_POST
def event_comment(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    if not rules.can_comment_event(request.user, event):
        raise PermissionDenied
    form = CommentForm(request.POST)
    parent: Comment | None = None
    if request.POST.get("parent"):
        parent = comments_of(event).filter(pk=parse_id(request.POST.get("parent")) or 0).first()
        if parent is None:
            form.add_error(None, _("Le commentaire auquel vous répondez n'existe plus."))
    if form.is_valid():
        from apps.discussion.services import comment_post

        try:
            comment = comment_post(author=_user(request), target=event, body=form.cleaned_data["body"], parent=parent)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Votre commentaire est publié."))
            return HttpResponseRedirect(comment_url(comment))
    return _event_page(request, event, comment_form=form, status=400)


def _comment_or_404(request: HttpRequest, pk: int) -> tuple[Comment, Event]:
    comment = Comment.objects.filter(pk=pk, target_type=ContentType.objects.get_for_model(Event)).first()
    event = selectors.event_for(request.user, comment.target_id) if comment is not None else None
    if comment is None or event is None:
        raise Http404
    return comment, event


def _moderation_context(event: Event) -> dict[str, Any]:
    return {"target_title": event.title, "target_url": event.get_absolute_url()}


@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment, event = _comment_or_404(request, pk)
    return discussion_views.report(request, comment, template=MODERATION_TEMPLATE, context=_moderation_context(event))


@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, event = _comment_or_404(request, pk)
    if request.user.is_authenticated and not rules.can_moderate_event(request.user, event):
        raise PermissionDenied
    return discussion_views.hide(request, comment, template=MODERATION_TEMPLATE, context=_moderation_context(event))


@require_POST
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, event = _comment_or_404(request, pk)
    if request.user.is_authenticated and not rules.can_moderate_event(request.user, event):
        raise PermissionDenied
    return discussion_views.unhide(request, comment, login_next=event.get_absolute_url())


# --- iCal feeds and the person's agenda -----------------------------------------------------------


@require_GET
def quartier_feed(request: HttpRequest, slug: str) -> HttpResponse:
    territory = get_object_or_404(Territory, slug=slug)
    since = timezone.now() - FEED_HISTORY
    # Recent and upcoming events, each list bounded: a calendar keeps what it already read.
    events = list(selectors.public_events(territory=territory, past=True).filter(starts__gte=since)[:FEED_LIMIT])
    events += list(selectors.public_events(territory=territory)[:FEED_LIMIT])
    meetings = selectors.other_public_meetings(territory=territory, past=True)
    meetings += selectors.other_public_meetings(territory=territory)
    name = _("Agenda — %(quartier)s") % {"quartier": territory.name}
    return ics_response(ical.calendar(name, events, meetings), f"agenda-{territory.slug}.ics", private=False)


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.user_for_token(token)
    if user is None:
        raise Http404
    events = selectors.feed_events_for_user(user, timezone.now() - FEED_HISTORY)
    return ics_response(ical.calendar(_("Mes rendez-vous"), events), "mes-rendez-vous.ics", private=True)


@login_required
@require_GET
def my_agenda(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        **paginate(request, selectors.my_registrations(user), PAGE_SIZE),
        "has_token": selectors.has_calendar_token(user),
        "feed_url": request.session.pop("agenda_feed_url", ""),
    }
    return render(request, "agenda/my_agenda.html", context)


@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    token = services.calendar_token_renew(user=_user(request))
    # Shown once, on the next page only: the address is never stored in clear.
    request.session["agenda_feed_url"] = request.build_absolute_uri(
        reverse("agenda:personal_feed", kwargs={"token": token})
    )
    messages.success(request, _("Votre nouvelle adresse d'abonnement est prête ; l'ancienne ne fonctionne plus."))
    return HttpResponseRedirect(reverse("agenda:mine"))


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_token_revoke(user=_user(request)):
        messages.success(request, _("Votre adresse d'abonnement est supprimée : plus aucun agenda ne la lit."))
    return HttpResponseRedirect(reverse("agenda:mine"))
