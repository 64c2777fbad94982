"""Initiatives can be followed: the ``Followable`` of the manifest, read by the notifications app
(follow button, allowlist of the follow endpoint, « Mon espace », fan-out of news)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.registry import Followable
from apps.initiatives import rules


def _territory_id_of(initiative: Any) -> int | None:
    return initiative.territory_id  # type: ignore[no-any-return]


def _audience(initiative: Any) -> Iterable[int]:
    # The holder hears of their project's news without following it.
    return [initiative.holder_id] if initiative.holder_id is not None else []


INITIATIVE = Followable(
    kind="initiative",
    model="initiatives.Initiative",
    can_follow=lambda user, initiative: rules.can_see_initiative(user, initiative),  # type: ignore[arg-type]
    verbose_name=_("Initiative habitante"),
    follow_label=_("Suivre cette initiative"),
    unfollow_label=_("Ne plus suivre cette initiative"),
    territory_id_of=_territory_id_of,
    audience=_audience,
)
