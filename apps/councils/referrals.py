"""Subjects handed to the councils by other modules (a petition the city's answer puts « à
l'ordre du jour d'une instance »): the item goes on the agenda of the next published meeting of the
council closest to the subject's territory (the quartier's own council first, then the city's)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Territory
from apps.core.registry import Referral


def take_referral(referral: Referral) -> str | None:
    if referral.kind != "council_agenda":
        return None
    from apps.councils.models import Council

    territory = Territory.objects.get(pk=referral.territory_id)
    councils = {council.territory_id: council for council in Council.objects.published()}
    with transaction.atomic():
        for territory_id in territory.ancestor_ids():
            council = councils.get(territory_id)
            if council is None:
                continue
            meeting = (
                council.meetings.select_for_update()
                .filter(is_published=True, starts_at__gt=timezone.now())
                .order_by("starts_at", "pk")
                .first()
            )
            if meeting is None:
                continue
            item = _("Sujet porté par des habitant·es : %(link)s") % {"link": referral.source_link}
            meeting.agenda = f"{meeting.agenda.rstrip()}\n\n- {item}".lstrip()
            meeting.save()
            return council.sitting_url(meeting)
    return None
