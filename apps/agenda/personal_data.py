"""What the agenda holds about a person (RGPD), declared in its manifest: registrations with
their access needs (health-adjacent: deleted with the account), proposed subjects and supports
(public contributions), the secret of the personal feed, and staff acts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "agenda.Registration",
        ("user", "childcare", "interpretation", "sign_language", "step_free"),
        "agenda_registrations",
        Fate.DELETED,
    ),
    Holding("agenda.AgendaItem", ("author",), "agenda_items", Fate.ACCOUNT, KEPT_CONTRIBUTION),
    Holding(
        "agenda.ItemSupport", ("user",), "agenda_supports", Fate.ACCOUNT, "Counted support, tied to no name any more."
    ),
    Holding("agenda.CalendarToken", ("user", "digest"), "agenda_calendar", Fate.DELETED),
    Holding("agenda.Event", ("created_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("agenda.Outcome", ("created_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("agenda.SignInCount", ("entered_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "agenda.SignInCount",
        ("age_band",),
        None,
        Fate.KEPT,
        "The age band of a count of a paper sign-in sheet (how many people of a band came): no name, no "
        "account, nobody's age.",
    ),
)


def export(user: User) -> dict[str, Rows]:
    from apps.agenda.models import AgendaItem, CalendarToken, ItemSupport, Registration

    registrations = Registration.objects.filter(user=user).prefetch_related("event__sittings").order_by("pk")
    return {
        "agenda_registrations": [
            {
                "event": r.event.title,
                "status": r.status,
                "childcare": r.childcare,
                "interpretation": r.interpretation,
                "sign_language": r.sign_language,
                "step_free": r.step_free,
                "queued_at": iso(r.queued_at),
            }
            for r in registrations
        ],
        "agenda_items": [
            {
                "event_id": i.event_id,
                "sequence": i.sequence,
                "title": i.title,
                "body": i.body,
                "created_at": iso(i.created_at),
            }
            for i in AgendaItem.objects.filter(author=user).order_by("pk")
        ],
        "agenda_supports": [
            {"item": title}
            for title in ItemSupport.objects.filter(user=user).order_by("pk").values_list("item__title", flat=True)
        ],
        "agenda_calendar": [
            {"created_at": iso(created)}
            for created in CalendarToken.objects.filter(user=user).values_list("created_at", flat=True)
        ],
    }


def anonymise(user: User, label: str) -> None:
    """Before the registrations are deleted, free their places properly: the first people
    waiting are promoted (and told), as when the person cancels."""
    from apps.agenda.models import Registration
    from apps.agenda.services import free_places_of

    for registration in Registration.objects.filter(user=user).exclude(status=Registration.Status.CANCELLED):
        free_places_of(registration)


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    labels={
        "agenda_registrations": _("Inscriptions aux rendez-vous (besoins d'accessibilité compris)"),
        "agenda_items": _("Sujets proposés pour les rendez-vous"),
        "agenda_supports": _("Soutiens à des sujets de rendez-vous"),
        "agenda_calendar": _("Adresse d'abonnement à votre agenda"),
    },
)
