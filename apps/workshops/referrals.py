"""Subjects handed to the workshops by other modules (a petition the city's answer turns into a
« projet de mandat d'atelier citoyen »): a draft workshop on a draft process, its question taken
from the subject, for the agents to complete and publish like any other mandate."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.drafts import ANSWER_DAYS, draft_process
from apps.core.registry import Referral


def take_referral(referral: Referral) -> str | None:
    if referral.kind != "workshop_mandate":
        return None
    from apps.workshops.services import workshop_insert

    origin = _("Né de la demande « %(link)s ».") % {"link": referral.source_link}
    process = draft_process(
        title=referral.title,
        summary=_("Atelier citoyen demandé par des habitant·es : %(title)s") % {"title": referral.title},
        description=origin,
        territory=referral.territory_id,
    )
    to_write = _("À préciser par la Ville avant la publication du mandat.")
    workshop_insert(
        actor=referral.actor,
        process=process,
        action="workshop.create_from_referral",
        title=referral.title[:200],
        slug=f"{slugify(referral.title)[:170]}-{get_random_string(6).lower()}",
        question=referral.text,
        open_scope=to_write,
        closed_scope=to_write,
        resources=origin,
        # The élu·e who signed the answer promising the workshop answers its opinion, until the
        # agents name someone else in the mandate.
        answerer=referral.actor,
        answer_due=timezone.localdate() + datetime.timedelta(days=ANSWER_DAYS),
    )
    return process.get_absolute_url()
