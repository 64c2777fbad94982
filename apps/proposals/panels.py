"""What the proposals module adds to the foundation's pages, declared in its manifest: the
panel of a process page, the sections of « Mon espace », of the home page and of a
territory's page, and which uploaded images the public may download."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.core.params import parse_page
from apps.core.phases import hosts_module
from apps.proposals import overviews as selectors
from apps.proposals.models import ProposalImage
from apps.proposals.rules import can_create_proposal

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process, Territory


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "proposals"):
        return None
    return {"can_create_proposal": can_create_proposal(request.user, process)}


def my_ideas(request: HttpRequest) -> Mapping[str, Any]:
    """« Où en est mon idée ? » (one page of the person's proposals) and their comment count."""
    page, states = selectors.my_proposals_page(request.user, parse_page(request.GET.get("page")))  # type: ignore[arg-type]
    return {"page": page, "states": states, "comment_count": selectors.my_comment_count(request.user)}  # type: ignore[arg-type]


def home_answers(request: HttpRequest, territory: Territory | None) -> Mapping[str, Any]:
    return {"answers": selectors.recent_answers()}


def territory_proposals(request: HttpRequest, territory: Territory | None) -> Mapping[str, Any] | None:
    if territory is None:
        return None
    return {"proposals": selectors.recent_proposals_in(territory.descendant_ids())}


def is_public_image(name: str) -> bool:
    """The image of a visible proposal in a published process (served by ``/media/``)."""
    return ProposalImage.objects.filter(
        image=name, proposal__process__is_published=True, proposal__is_withdrawn=False
    ).exists()
