"""A small world for the back-office tests: one process in ``quartier`` with a proposal,
a reported comment, a commitment and an answer template."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apps.core.models import Process, Service
from apps.discussion.models import Comment, Report
from apps.followup.models import Commitment
from apps.proposals.models import AnswerTemplate, Proposal, Status
from tests.factories import CommentFactory, CommitmentFactory, ProposalFactory, ServiceFactory, UserFactory


@dataclass
class World:
    process: Process
    proposal: Proposal
    comment: Comment
    commitment: Commitment
    template: AnswerTemplate
    service: Service


@pytest.fixture
def world(process_in_phase, personas) -> World:  # type: ignore[no-untyped-def]
    process = process_in_phase("collect")
    proposal = ProposalFactory(process=process, author=personas["resident"])
    comment = CommentFactory(proposal=proposal, author=personas["other_resident"])
    Report.objects.create(comment=comment, reporter=UserFactory(), reason="Propos insultants")
    commitment = CommitmentFactory(process=process, territory=process.territory)
    template = AnswerTemplate.objects.create(
        title="Retenue — voirie",
        status=Status.ACCEPTED,
        body="La Ville retient cette proposition et la confie au service de la voirie.",
    )
    return World(process, proposal, comment, commitment, template, ServiceFactory(name="Direction des espaces verts"))
