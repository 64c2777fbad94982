"""Proposals can be followed: the ``Followable`` of the manifest, read by the notifications
app (follow button, allowlist of the follow endpoint, « Mon espace », fan-out of news)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.models import Process
from apps.core.phases import can_view_process
from apps.core.registry import Followable


def _can_follow(user: Any, proposal: Any) -> bool:
    return can_view_process(user, proposal.process)


def _process_of(proposal: Any) -> Process | None:
    return proposal.process  # type: ignore[no-any-return]


def _territory_id_of(proposal: Any) -> int | None:
    return proposal.territory_id  # type: ignore[no-any-return]


def _audience(proposal: Any) -> Iterable[int]:
    # The author hears of their proposal's news without following it.
    return [proposal.author_id] if proposal.author_id is not None else []


PROPOSAL = Followable(
    kind="proposal",
    model="proposals.Proposal",
    can_follow=_can_follow,
    process_of=_process_of,
    verbose_name=_("Proposition"),
    follow_label=_("Suivre cette proposition"),
    unfollow_label=_("Ne plus suivre cette proposition"),
    territory_id_of=_territory_id_of,
    audience=_audience,
)
