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
from icalendar import Event as VEvent

from apps.agenda.models import Event
from apps.core.ical import DEFAULT_LENGTH, host, meeting_vevent, new_calendar
from apps.core.registry import PublicMeeting

PRODID = "-//Archipel//Agenda des quartiers//FR"


def _vevent(event: Event, stamp: datetime.datetime) -> VEvent:
    sitting = event.sitting
    vevent = VEvent()
    vevent.add("uid", f"agenda-{event.pk}@{host()}")
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


def calendar(name: str, events: Iterable[Event], meetings: Iterable[PublicMeeting] = ()) -> bytes:
    cal = new_calendar(name, PRODID)
    stamp = timezone.now()
    for event in events:
        if event.sitting is not None:
            cal.add_component(_vevent(event, stamp))
    for meeting in meetings:
        cal.add_component(meeting_vevent(meeting, stamp, host()))
    return bytes(cal.to_ical())
