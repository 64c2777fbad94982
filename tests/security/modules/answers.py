"""The answers primitive's public page in the security matrix: the trust barometer.

``resident`` authored a proposal that received a published answer: they alone may give their
two marks on it. The back-office routes of the primitive (signature delegations) are in the
shared table (:mod:`tests.security.url_matrix`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from apps.answers.models import BarometerReply, BarometerScore
from tests.security.matrix_base import Route, per

if TYPE_CHECKING:
    from tests.security.world import World


def extend_world(world: World) -> None:
    from tests.factories import ProposalFactory, make_answer

    proposal = ProposalFactory.create(
        process=world.process, author=world.people["resident"], title="Un abri vélo devant la médiathèque"
    )
    answer = make_answer(proposal=proposal, status="accepted", body="Un abri sera posé au printemps.")
    world.extra["answers"] = SimpleNamespace(proposal=proposal, answer=answer)


def _answer(world: World) -> dict[str, Any]:
    return {"pk": world.extra["answers"].answer.pk}


ROUTES: list[Route] = [
    Route(
        "answers:barometer",
        per("denied", anonymous="login", resident="ok"),
        _answer,
        post=per("denied", anonymous="login", resident="redirect"),
        data=lambda w: {"heard": "4", "clear": "5"},
    ),
]


def fingerprint() -> dict[str, Any]:
    return {"replies": BarometerReply.objects.count(), "scores": BarometerScore.objects.count()}
