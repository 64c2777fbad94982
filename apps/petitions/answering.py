"""What an answer to a petition means (:mod:`apps.answers`): once the petition is past its
threshold, the city owes a reasoned answer, drafted by an agent and signed by an élu·e, whose
decision is the route taken. Publishing it records the route on the petition; an accepted
auto-saisine (route « démarche ») creates the draft process, and the agora route a draft agora,
each linking back to the petition."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.answers.registry import AnswerSource, register_source
from apps.core.models import Process, audit
from apps.petitions import rules
from apps.petitions.models import Agora, Petition, Route

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.answers.models import Answer


def _validate(status: str, body: str, petition: Petition) -> None:
    if not body.strip():
        raise ValidationError({"body": [_("Une réponse argumentée explique la décision et la suite donnée.")]})


def _refusal(petition: Petition) -> str:
    if petition.reached_at is None:
        return _("Le seuil de signatures n'est pas atteint : la Ville n'a pas encore à répondre.")
    if petition.route:
        return _("Cette pétition a déjà reçu sa réponse.")
    return ""


def draft_process(petition: Petition) -> Process:
    slug = f"{slugify(petition.title)[:170]}-{get_random_string(6).lower()}"
    link = reverse("petitions:detail", kwargs={"pk": petition.pk})
    return Process.objects.create(
        title=petition.title[:200],
        slug=slug,
        summary=(
            _("Démarche ouverte à la demande d'habitant·es (auto-saisine) : %(title)s") % {"title": petition.title}
        )[:400],
        description=_("Née de la demande « [%(title)s](%(link)s) ».") % {"title": petition.title, "link": link},
        territory=petition.territory,
        falc_summary=_("Des habitant·es ont demandé cette démarche. La Ville la prépare."),
        rules_open=_("À préciser par la Ville avant la publication."),
        rules_closed=_("À préciser par la Ville avant la publication."),
        rules_decider=_("À préciser par la Ville avant la publication."),
        rules_use=_("À préciser par la Ville avant la publication."),
        answer_due=timezone.localdate() + datetime.timedelta(days=180),
        is_published=False,
    )


def answer_published(actor: User, answer: Answer) -> None:
    petition = Petition.objects.select_for_update().get(pk=answer.source_id)
    petition.route = answer.status
    if answer.status == Route.PROCESS and petition.created_process_id is None:
        petition.created_process = draft_process(petition)
        audit(actor, "petitions.process_created", petition, process_id=petition.created_process.pk)
    if answer.status == Route.AGORA and not petition.agoras.exists():
        agora = Agora.objects.create(
            title=petition.title[:200],
            problem=petition.body,
            territory=petition.territory,
            petition=petition,
            process=petition.process,
        )
        audit(actor, "petitions.agora_created", petition, agora_id=agora.pk)
    petition.save(update_fields=["route", "created_process"])


SOURCE = register_source(
    AnswerSource(
        model="petitions.Petition",
        statuses=Route.choices,
        process_of=lambda petition: petition.process,
        can_draft=lambda user, petition: rules.can_answer(user, petition),
        validate=_validate,
        refusal=_refusal,
        on_publish=answer_published,
        received_by=lambda user: Petition.objects.filter(author=user),
    )
)
