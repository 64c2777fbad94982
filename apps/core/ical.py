"""iCal (RFC 5545) pieces shared by the feeds of every module: a public meeting
(:class:`apps.core.registry.PublicMeeting`) as a VEVENT, and a calendar of such meetings.

A feed holds public facts only (title, dates, place, address of the page): a calendar
application may share it further than its reader meant."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from apps.core.registry import PublicMeeting

DEFAULT_LENGTH = datetime.timedelta(hours=2)


def host() -> str:
    """The site's host name, the right-hand side of every UID."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "archipel"


def meeting_vevent(meeting: PublicMeeting, stamp: datetime.datetime, site_host: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"{meeting.key}@{site_host}")
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


def new_calendar(name: str, prodid: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def meetings_calendar(name: str, prodid: str, meetings: Iterable[PublicMeeting]) -> bytes:
    cal = new_calendar(name, prodid)
    stamp, site_host = timezone.now(), host()
    for meeting in meetings:
        cal.add_component(meeting_vevent(meeting, stamp, site_host))
    return bytes(cal.to_ical())


def ics_response(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    """A feed's response: public feeds are cacheable a quarter of an hour; a person's own feed
    is never stored by a cache nor indexed."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response
