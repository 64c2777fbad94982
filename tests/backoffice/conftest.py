"""A small world for the back-office tests: one process in ``quartier`` with a proposal,
a reported comment, a commitment and an answer template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from apps.core.models import Process, Service
from apps.discussion.models import Comment, Report
from apps.followup.models import Commitment
from apps.proposals.models import AnswerTemplate, Proposal, Status
from tests.conftest import Personas
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
def world(process_in_phase: Callable[..., Process], personas: Personas) -> World:
    process = process_in_phase("collect")
    proposal = ProposalFactory.create(process=process, author=personas["resident"])
    comment = CommentFactory.create(proposal=proposal, author=personas["other_resident"])
    Report.objects.create(comment=comment, reporter=UserFactory.create(), reason="Propos insultants")
    commitment = CommitmentFactory.create(process=process, territory=process.territory)
    template = AnswerTemplate.objects.create(
        title="Retenue — voirie",
        status=Status.ACCEPTED,
        body="La Ville retient cette proposition et la confie au service de la voirie.",
    )
    return World(
        process, proposal, comment, commitment, template, ServiceFactory.create(name="Direction des espaces verts")
    )
