"""A draft process opened on someone's request (an auto-saisine, a petition routed to a workshop):
unpublished, with rules of the game the city must write before publishing it."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.models import Process, Territory

ANSWER_DAYS = 180


def draft_process(*, title: str, summary: str, description: str, territory: Territory | int) -> Process:
    slug = f"{slugify(title)[:170]}-{get_random_string(6).lower()}"
    to_write = _("À préciser par la Ville avant la publication.")
    territory_id = territory if isinstance(territory, int) else territory.pk
    return Process.objects.create(
        title=title[:200],
        slug=slug,
        summary=summary[:400],
        description=description,
        territory_id=territory_id,
        falc_summary=_("Des habitant·es ont demandé cette démarche. La Ville la prépare."),
        rules_open=to_write,
        rules_closed=to_write,
        rules_decider=to_write,
        rules_use=to_write,
        answer_due=timezone.localdate() + datetime.timedelta(days=ANSWER_DAYS),
        is_published=False,
    )
