"""iCal feeds (RFC 5545) written with the ``icalendar`` library: a quartier's public events, and
a person's own events (the feed a calendar application subscribes to with the secret address).

A feed holds the events' public facts only: title, dates, place, online link, state, address of
the page. Never who registered, nor the person's access needs: a calendar application may share
the feed further than the person meant."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from apps.agenda.models import Event
from apps.core.registry import PublicMeeting

PRODID = "-//Archipel//Agenda des quartiers//FR"
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def _vevent(event: Event, stamp: datetime.datetime) -> VEvent:
    sitting = event.sitting
    vevent = VEvent()
    vevent.add("uid", f"agenda-{event.pk}@{_host()}")
    vevent.add("dtstamp", stamp)
    # Raised by each change of date, place, link and by the cancellation: a calendar application
    # replaces its copy only when the SEQUENCE grows.
    vevent.add("sequence", event.revision)
    vevent.add("dtstart", sitting.starts_at)
    vevent.add("dtend", sitting.ends_at or sitting.starts_at + DEFAULT_LENGTH)
    vevent.add("summary", sitting.title)
    vevent.add("location", sitting.place)
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    lines = [event.summary]
    if event.online_url:
        lines.append(f"En ligne : {event.online_url}")
    if event.is_cancelled:
        lines.append(f"Annulé : {event.cancel_reason}")
    lines.append(url)
    vevent.add("description", "\n\n".join(line for line in lines if line))
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return vevent


def _meeting_vevent(meeting: PublicMeeting, stamp: datetime.datetime, host: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"{meeting.key}@{host}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", meeting.starts_at)
    vevent.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    vevent.add("summary", meeting.title)
    vevent.add("location", meeting.place)
    url = settings.SITE_URL + meeting.url
    vevent.add("url", url)
    vevent.add("description", f"{meeting.organiser}\n\n{url}")
    vevent.add("status", "CONFIRMED")
    return vevent


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "archipel"


def calendar(name: str, events: Iterable[Event], meetings: Iterable[PublicMeeting] = ()) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        if event.sitting is not None:
            cal.add_component(_vevent(event, stamp))
    for meeting in meetings:
        cal.add_component(_meeting_vevent(meeting, stamp, _host()))
    return bytes(cal.to_ical())
