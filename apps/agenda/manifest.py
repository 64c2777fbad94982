"""The neighbourhood agenda declares itself: URLs, links, open data (events and their outcomes:
counts and public texts, never a registrant), personal data, participation counts (paper sign-in
sheets, registrations), the process panel, « Mon espace » and its demo."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agenda import demo, rules
from apps.agenda.participation import participation
from apps.agenda.personal_data import PERSONAL_DATA
from apps.core.registry import (
    AccountSection,
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    NavEntry,
    ProcessPanel,
    everyone,
    register,
)
from apps.core.rules_kit import is_resident

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process

CHUNK = 500
EVENT_FIELDS = (
    "id",
    "kind",
    "title",
    "territory",
    "process",
    "starts_at",
    "ends_at",
    "place",
    "step_free",
    "hybrid",
    "state",
    "capacity",
    "registered",
    "waiting",
    "items_proposed",
    "minutes_published",
    "outcomes",
    "signin_total",
    "url",
)
OUTCOME_FIELDS = ("id", "event", "sequence", "title", "link", "commitment_id", "link_url", "proposed_item")


def _events(process: Process | None) -> Any:
    from apps.agenda.models import Event

    queryset = Event.objects.published()
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def event_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.agenda.models import Registration

    queryset = (
        _events(process)
        .select_related("territory", "process")
        .prefetch_related("sittings")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED), distinct=True
            ),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING), distinct=True),
            items_proposed=Count("items", distinct=True),
            outcome_count=Count("outcomes", distinct=True),
        )
    )
    signins = dict(_events(process).annotate(total=Sum("signin_counts__count")).values_list("pk", "total"))
    for event in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        sitting = event.sitting
        if sitting is None:
            continue
        yield {
            "id": event.pk,
            "kind": event.kind,
            "title": sitting.title,
            "territory": event.territory.slug,
            "process": event.process.slug if event.process else "",
            "starts_at": timezone.localtime(sitting.starts_at).isoformat(),
            "ends_at": timezone.localtime(sitting.ends_at).isoformat() if sitting.ends_at else "",
            "place": sitting.place,
            "step_free": event.step_free,
            "hybrid": bool(event.online_url),
            "state": event.state,
            "capacity": event.capacity,
            "registered": event.registered,
            "waiting": event.waiting,
            "items_proposed": event.items_proposed,
            "minutes_published": bool(sitting.minutes),
            "outcomes": event.outcome_count if sitting.minutes else 0,
            "signin_total": int(signins.get(event.pk) or 0),
            "url": event.get_absolute_url(),
        }


def outcome_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.agenda.models import Outcome

    queryset = Outcome.objects.filter(event__in=_events(process), event__sittings__minutes__gt="").select_related(
        "item"
    )
    for outcome in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": outcome.pk,
            "event": outcome.event_id,
            "sequence": outcome.sequence,
            "title": outcome.title,
            "link": outcome.link,
            "commitment_id": outcome.commitment_id,
            "link_url": outcome.link_url,
            "proposed_item": outcome.item.title if outcome.item else "",
        }


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    from apps.agenda.selectors import public_events

    events = list(public_events(process=process)[:5])
    if not events:
        return None
    return {"agenda_events": events, "agenda_url": reverse("agenda:process", kwargs={"slug": process.slug})}


def account_section(request: HttpRequest) -> Mapping[str, Any] | None:
    from apps.agenda.selectors import my_registrations

    registrations = list(my_registrations(request.user)[:5])  # type: ignore[arg-type]
    if not registrations:
        return None
    return {"agenda_registrations": registrations}


MANIFEST = register(
    ModuleManifest(
        name="agenda",
        verbose_name=_("Agenda des quartiers"),
        actions=frozenset(),
        phases=(),
        exports={
            "agenda_events": ExportSpec(event_rows, EVENT_FIELDS, _("Rendez-vous de quartier et réunions publiques")),
            "agenda_outcomes": ExportSpec(outcome_rows, OUTCOME_FIELDS, _("Décisions des rendez-vous de quartier")),
        },
        urls="apps.agenda.urls",
        url_prefix="agenda/",
        backoffice_urls="apps.agenda.backoffice_urls",
        backoffice_prefix="agenda/",
        process_panels=(ProcessPanel(_("Rendez-vous"), "agenda/_process_panel.html", process_panel, order=80),),
        nav=(
            NavEntry(_("Agenda des quartiers"), "agenda:list", everyone, area="public", order=15),
            NavEntry(
                _("Agenda des quartiers"),
                "agenda_admin:list",
                rules.can_use_agenda_backoffice,
                area="backoffice",
                order=35,
            ),
            NavEntry(_("Mes rendez-vous"), "agenda:mine", is_resident, area="account", order=40),
        ),
        account_sections=(
            AccountSection(_("Mes rendez-vous"), "agenda/_account_section.html", account_section, order=40),
        ),
        demo=DemoBuilder(demo.build, order=60),
        personal_data=PERSONAL_DATA,
        participation=participation,
    )
)
