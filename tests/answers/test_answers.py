"""The shared answers primitive: drafts never leak through the default manager, a source must be
declared, and the status label comes from the source's declaration."""

from __future__ import annotations

import pytest

from apps.answers.models import Answer
from apps.answers.registry import source_for
from apps.answers.selectors import current_answer, pending_answer
from apps.core.models import Territory
from tests.factories import ProposalFactory, make_answer

pytestmark = pytest.mark.django_db


def test_drafts_are_invisible_to_the_default_manager_and_related_managers() -> None:
    proposal = ProposalFactory.create()
    draft = make_answer(proposal=proposal, status="accepted", body="Brouillon.", state="draft")
    assert not Answer.objects.exists() and not proposal.answers.exists()
    assert pending_answer(proposal) == draft and current_answer(proposal) is None
    published = make_answer(proposal=proposal, status="accepted", body="Publiée.")
    assert list(proposal.answers.all()) == [published] == list(Answer.objects.filter(proposal=proposal))
    assert published.get_status_display() == "Retenue"


def test_only_declared_sources_can_be_answered() -> None:
    with pytest.raises(LookupError):
        source_for(Territory)
    assert source_for(ProposalFactory.create()).model == "proposals.Proposal"
