"""Open data of the sortition module: published draws, their quotas and pseudonymised probabilities.

Never any personal column of the pool, nor the list identifiers: members appear by pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.core.models import Process

DRAW_FIELDS = (
    "slug",
    "title",
    "territory",
    "process",
    "panel_size",
    "algorithm",
    "pool_size",
    "list_source",
    "legal_basis",
    "purge_on",
    "seed",
    "seed_source",
    "seed_announced_at",
    "seed_mode",
    "seed_event_at",
    "seed_event_result",
    "seed_commitment",
    "seed_secret",
    "distribution_sha256",
    "drawn_at",
    "people_sha256",
    "pool_sha256",
    "categories_sha256",
    "min_probability",
    "software_version",
    "url",
)
QUOTA_FIELDS = ("draw", "category", "feature", "min", "max", "in_pool", "drawn", "now_in_panel")
MEMBER_FIELDS = ("draw", "pseudonym", "probability", "status")


def _draws(process: Process | None) -> Any:
    from apps.sortition.models import Draw

    queryset = Draw.objects.filter(is_published=True).select_related("territory", "process").order_by("pk")
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def draw_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.sortition import selectors

    for draw in _draws(process):
        summary = selectors.probability_summary(draw)
        yield {
            "slug": draw.slug,
            "title": draw.title,
            "territory": draw.territory.name,
            "process": draw.process.slug if draw.process else "",
            "panel_size": draw.panel_size,
            "algorithm": draw.algorithm,
            "pool_size": summary["count"],
            "list_source": draw.list_source,
            "legal_basis": draw.legal_basis,
            "purge_on": draw.purge_on.isoformat(),
            "seed": draw.seed if draw.seed_announced_at else "",
            "seed_source": draw.seed_source if draw.seed_announced_at else "",
            "seed_announced_at": draw.seed_announced_at.isoformat() if draw.seed_announced_at else "",
            # The timeline of the seed (see ``engine.timeline``): event, commitment, then result and secret.
            "seed_mode": draw.seed_mode,
            "seed_event_at": draw.seed_event_at.isoformat() if draw.seed_event_at else "",
            "seed_event_result": draw.seed_event_result if draw.drawn_at else "",
            "seed_commitment": draw.seed_commitment,
            "seed_secret": draw.seed_secret if draw.drawn_at else "",
            "distribution_sha256": draw.distribution_sha256,
            "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else "",
            "people_sha256": draw.people_sha256,
            "pool_sha256": draw.pool_sha256 if draw.seed_announced_at else "",
            "categories_sha256": draw.categories_sha256,
            "min_probability": summary["minimum"],
            "software_version": selectors.software_version(draw),
            "url": draw.get_absolute_url(),
        }


def quota_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.sortition import selectors

    for draw in _draws(process):
        for row in selectors.quota_table(draw):
            yield {
                "draw": draw.slug,
                "category": row["category"],
                "feature": row["feature"],
                "min": row["min"],
                "max": row["max"],
                "in_pool": row["in_pool"],
                "drawn": row["drawn"],
                "now_in_panel": row["now_in_panel"],
            }


def member_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.sortition.models import PoolMember

    members = (
        PoolMember.objects.filter(draw__in=_draws(process))
        .select_related("draw")
        .only("draw__slug", "pseudonym", "probability", "status")
        .order_by("draw_id", "pk")
    )
    for member in members.iterator(chunk_size=2000):
        yield {
            "draw": member.draw.slug,
            "pseudonym": member.pseudonym,
            "probability": member.probability,
            "status": member.status,
        }
