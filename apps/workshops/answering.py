"""What an answer to a recommendation means (:mod:`apps.answers`): the élu's decision on a
recommendation of a published citizen opinion, drafted by an agent or the élu, public once
signed; publication turns the promised commitments into follow-up commitments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.answers.registry import AnswerSource, register_source
from apps.workshops import rules
from apps.workshops.models import AnswerDecision, PanelMember, Recommendation
from apps.workshops.services import answer_published

if TYPE_CHECKING:
    from apps.core.models import Process


def _process(recommendation: Recommendation) -> Process:
    return recommendation.opinion.workshop.process


def _validate(status: str, reasons: str, recommendation: Recommendation) -> None:
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Les motifs sont obligatoires : expliquez la décision.")]})


SOURCE = register_source(
    AnswerSource(
        model="workshops.Recommendation",
        statuses=AnswerDecision.choices,
        process_of=_process,
        can_draft=lambda user, recommendation: rules.can_answer(user, recommendation.opinion.workshop),
        validate=_validate,
        on_publish=answer_published,
        # The confirmed panel members receive the city's answers to their recommendations.
        received_by=lambda user: Recommendation.objects.filter(
            opinion__workshop__members__user=user, opinion__workshop__members__status=PanelMember.Status.CONFIRMED
        ),
    )
)
