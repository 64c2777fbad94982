"""What an answer to a petition means (:mod:`apps.answers`): once the petition is past its
threshold, the city owes a reasoned answer, drafted by an agent and signed by an élu·e, whose
decision is the route taken. Publishing it records the route on the petition; an accepted
auto-saisine (route « démarche ») creates the draft process, and the agora route a draft agora,
each linking back to the petition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.answers.registry import AnswerSource, register_source
from apps.core import drafts
from apps.core.models import Process, audit
from apps.core.registry import Referral, ReferralKind, refer
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
    link = reverse("petitions:detail", kwargs={"pk": petition.pk})
    return drafts.draft_process(
        title=petition.title,
        summary=_("Démarche ouverte à la demande d'habitant·es (auto-saisine) : %(title)s") % {"title": petition.title},
        description=_("Née de la demande « [%(title)s](%(link)s) ».") % {"title": petition.title, "link": link},
        territory=petition.territory,
    )


# The routes another module carries out (through its manifest's ``take_referral``).
REFERRALS: dict[str, ReferralKind] = {Route.COUNCIL: "council_agenda", Route.WORKSHOP: "workshop_mandate"}


def _refer(actor: User, petition: Petition, kind: ReferralKind) -> None:
    referral = Referral(
        kind=kind,
        title=petition.title,
        text=petition.body,
        territory_id=petition.territory_id,
        source_url=reverse("petitions:detail", kwargs={"pk": petition.pk}),
        actor=actor,
    )
    petition.route_url = refer(referral) or ""
    # Without a council meeting ahead (or a module to take it), the route stays recorded and the
    # agents see in the audit log that it has to be carried out by hand.
    audit(actor, "petitions.referred", petition, kind=kind, url=petition.route_url)


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
    if answer.status in REFERRALS and not petition.route_url:
        _refer(actor, petition, REFERRALS[answer.status])
    petition.save(update_fields=["route", "created_process", "route_url"])


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
