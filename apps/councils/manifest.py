"""Conseils citoyens and juries declare themselves: open data exports (they are standing bodies,
not process phases), URLs, links (public footer, back office) and their demo.

The exports carry counts, dates and published texts only: no member name, no account.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.registry import (
    DemoBuilder,
    ExportSpec,
    ModuleManifest,
    NavEntry,
    PublicMeeting,
    everyone,
    register,
)
from apps.councils import demo, rules, selectors
from apps.councils.participation import participation
from apps.councils.personal_data import PERSONAL_DATA
from apps.councils.referrals import take_referral

if TYPE_CHECKING:
    import datetime

    from apps.core.models import Process

CHUNK = 500
COLLEGES = ("drawn", "volunteers", "local_actors", "elected")

COUNCIL_FIELDS = (
    "id",
    "slug",
    "name",
    "kind",
    "territory",
    *(f"seats_{college}" for college in COLLEGES),
    *(f"members_{college}" for college in COLLEGES),
    "term_months",
    "renewal_rule",
    "url",
)
MEETING_FIELDS = ("id", "council", "title", "date", "place", "minutes_published", "present_count")
DECISION_FIELDS = (
    "id",
    "council",
    "kind",
    "title",
    "subject",
    "date",
    "outcome",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "commitment_id",
)


def _councils(process: Process | None) -> Any:
    from apps.councils.models import Council

    queryset = Council.objects.published()
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def council_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    annotations = {
        f"members_{college}": Count("memberships", filter=Q(memberships__status="active", memberships__college=college))
        for college in COLLEGES
    }
    queryset = _councils(process).select_related("territory").annotate(**annotations)
    for council in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": council.pk,
            "slug": council.slug,
            "name": council.name,
            "kind": council.kind,
            "territory": council.territory.slug,
            **{f"seats_{college}": getattr(council, f"seats_{college}") for college in COLLEGES},
            **{f"members_{college}": getattr(council, f"members_{college}") for college in COLLEGES},
            "term_months": council.term_months,
            "renewal_rule": council.renewal_rule,
            "url": council.get_absolute_url(),
        }


def meeting_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.sittings.models import Sitting

    slugs = dict(_councils(process).values_list("pk", "slug"))
    queryset = Sitting.objects.filter(council__in=list(slugs), is_published=True).annotate(
        present_count=Count("attendances", filter=Q(attendances__status="present"))
    )
    for meeting in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": meeting.pk,
            "council": slugs[meeting.body_id],
            "title": meeting.title,
            "date": timezone.localtime(meeting.starts_at).date().isoformat(),
            "place": meeting.place,
            "minutes_published": bool(meeting.minutes),
            "present_count": meeting.present_count,
        }


def decision_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.councils.models import Decision

    queryset = Decision.objects.filter(council__in=_councils(process), is_published=True).select_related("council")
    for decision in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": decision.pk,
            "council": decision.council.slug,
            "kind": decision.kind,
            "title": decision.title,
            "subject": decision.subject,
            "date": decision.decided_on.isoformat(),
            "outcome": decision.outcome,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstain": decision.votes_abstain,
            "commitment_id": decision.commitment_id,
        }


def public_meetings(start: datetime.datetime, end: datetime.datetime) -> Iterator[PublicMeeting]:
    """The published meetings of published councils: open to the public, so in the agenda."""
    from apps.councils.models import Council
    from apps.sittings.models import Sitting

    councils = {council.pk: council for council in Council.objects.published().select_related("territory")}
    meetings = Sitting.objects.filter(
        council__in=list(councils), is_published=True, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at", "pk")[:500]
    for meeting in meetings:
        council = councils[meeting.body_id]
        yield PublicMeeting(
            key=f"councils-sitting-{meeting.pk}",
            title=meeting.title,
            organiser=council.name,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
            territory_id=council.territory_id,
            url=council.sitting_url(meeting),
        )


MANIFEST = register(
    ModuleManifest(
        take_referral=take_referral,
        name="councils",
        verbose_name=_("Conseils citoyens et jurys"),
        actions=frozenset(),
        phases=(),
        exports={
            "councils": ExportSpec(council_rows, COUNCIL_FIELDS, _("Conseils citoyens et jurys (composition)")),
            "council_meetings": ExportSpec(meeting_rows, MEETING_FIELDS, _("Réunions des conseils et jurys")),
            "council_decisions": ExportSpec(
                decision_rows, DECISION_FIELDS, _("Avis et décisions des conseils et jurys")
            ),
        },
        urls="apps.councils.urls",
        url_prefix="conseils/",
        backoffice_urls="apps.councils.backoffice_urls",
        backoffice_prefix="conseils/",
        nav=(
            NavEntry(_("Conseils citoyens et jurys"), "councils:list", everyone, area="public", order=20),
            NavEntry(
                _("Conseils citoyens et jurys"),
                "councils_admin:list",
                rules.can_use_councils_backoffice,
                area="backoffice",
                order=30,
            ),
        ),
        demo=DemoBuilder(demo.build, order=50),
        personal_data=PERSONAL_DATA,
        # Its covers (apps.core.covers) are served while what they illustrate is public.
        public_file=selectors.is_public_cover,
        participation=participation,
        public_meetings=public_meetings,
    )
)
