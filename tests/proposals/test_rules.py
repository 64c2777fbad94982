"""Permission matrix of the proposals rules: persona × phase × action."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.core.models import Process
from apps.proposals import rules
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import ProposalFactory

PHASES = ("collect", "support", "analysis")
SIGNED_IN = ("resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")

# persona -> action -> phases where it is allowed.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "anonymous": {"create": set(), "edit": set(), "support": set(), "comment": set()},
    "resident": {  # the author
        "create": {"collect"},
        "edit": {"collect"},
        "support": {"collect", "support"},
        "comment": {"collect", "support"},
    },
    **{
        name: {
            "create": {"collect"},
            "edit": set(),
            "support": {"collect", "support"},
            "comment": {"collect", "support"},
        }
        for name in SIGNED_IN
        if name != "resident"
    },
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("persona", ["anonymous", *SIGNED_IN])
def test_rules_matrix(personas: Personas, process_in_phase: Callable[..., Process], phase: str, persona: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    process = process_in_phase(phase)
    proposal = ProposalFactory.create(process=process, author=personas["resident"])
    user = personas[persona] or AnonymousUser()
    answers = {
        "create": rules.can_create_proposal(user, process),
        "edit": rules.can_edit_proposal(user, proposal),
        "support": rules.can_support(user, proposal),
        "comment": rules.can_comment(user, proposal),
    }
    expected = {action: phase in phases for action, phases in EXPECTED[persona].items()}
    assert answers == expected


@pytest.mark.parametrize("persona", ["anonymous", *SIGNED_IN])
def test_only_scoped_moderators_moderate(personas: Personas, proposal: Proposal, persona: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = personas[persona] or AnonymousUser()
    assert rules.can_moderate(user, proposal) is (persona == "moderator")


def test_withdrawn_proposal_cannot_be_supported_nor_commented(personas: Personas, proposal: Proposal) -> None:
    proposal.is_withdrawn = True
    assert not rules.can_support(personas["other_resident"], proposal)
    assert not rules.can_comment(personas["other_resident"], proposal)
    assert not rules.can_edit_proposal(personas["resident"], proposal)
    assert not rules.supports_open(proposal)


def test_unpublished_process_is_closed_to_residents(personas: Personas, proposal: Proposal) -> None:
    proposal.process.is_published = False
    assert not rules.can_view_proposal(personas["resident"], proposal)
    assert not rules.can_support(personas["resident"], proposal)
    assert rules.can_view_proposal(personas["agent"], proposal)
