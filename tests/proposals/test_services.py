"""Services: supports are idempotent with an exact counter, comments count, withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from apps.core.models import ParticipationEvent, Process
from apps.discussion.selectors import comments_of
from apps.proposals import services
from apps.proposals.models import Proposal, Support
from tests.conftest import Personas


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_support_is_idempotent_and_counter_exact(personas: Personas, proposal: Proposal, vendor: str) -> None:
    """On PostgreSQL one statement writes the support, the counter and the participation event;
    elsewhere (the demo's SQLite) the ORM does, in one transaction: the same rows either way."""
    voter = personas["other_resident"]
    with mock.patch.object(connection, "vendor", vendor):
        assert services.support_add(user=voter, proposal=proposal) is True
        assert services.support_add(user=voter, proposal=proposal) is False
        services.support_add(user=personas["agent"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 2 == Support.objects.filter(proposal=proposal).count()
    events = ParticipationEvent.objects.filter(module="proposals", kind="support", process=proposal.process)
    assert sorted(events.values_list("person_id", flat=True)) == sorted([voter.pk, personas["agent"].pk])
    assert services.support_remove(user=voter, proposal=proposal) is True
    assert services.support_remove(user=voter, proposal=proposal) is False
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.filter(proposal=proposal).count()


def test_support_refused_outside_support_phases(
    personas: Personas, process_in_phase: Callable[..., Process], make_proposal: Callable[..., Proposal]
) -> None:
    proposal = make_proposal(process_in_phase("analysis"))
    with pytest.raises(PermissionDenied):
        services.support_add(user=personas["other_resident"], proposal=proposal)
    assert not Support.objects.exists()


def test_comment_counter_and_thread_root(personas: Personas, proposal: Proposal) -> None:
    first = services.comment_create(author=personas["other_resident"], proposal=proposal, body="Très bonne idée")
    reply = services.comment_create(author=personas["resident"], proposal=proposal, body="Merci !", parent=first)
    deeper = services.comment_create(author=personas["agent"], proposal=proposal, body="D'accord", parent=reply)
    proposal.refresh_from_db()
    assert proposal.comment_count == 3 == comments_of(proposal).count()
    assert reply.root == first and deeper.root == first and deeper.parent == reply


def test_withdraw(personas: Personas, proposal: Proposal) -> None:
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(user=personas["other_resident"], proposal=proposal)
    services.proposal_withdraw(user=personas["resident"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.is_withdrawn and proposal.withdrawn_at is not None
    assert not Proposal.objects.filter(pk=proposal.pk, is_withdrawn=False).exists()
