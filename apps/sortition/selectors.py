"""Reads of the sortition module (public pages, back office, other modules)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from apps.core.backoffice_kit import READERS, scope_for
from apps.sortition import bridge
from apps.sortition.models import Draw, DrawAttempt, PoolMember
from apps.sortition.services import ACTIVE

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.core.models import Process


def published_draws() -> QuerySet[Draw]:
    return Draw.objects.filter(is_published=True).select_related("territory", "process")


def draws_for_staff(user: User | AnonymousUser) -> QuerySet[Draw]:
    scope = scope_for(user, READERS)
    queryset = Draw.objects.select_related("territory", "process")
    if scope.city_wide:
        return queryset
    return queryset.filter(Q(territory_id__in=scope.territory_ids))


def draws_for_process(process: Process) -> list[Draw]:
    """Draws shown on a process page: published ones and open calls for volunteers."""
    return list(
        Draw.objects.filter(process=process)
        .filter(Q(is_published=True) | Q(list_source=Draw.ListSource.VOLUNTEERS))
        .select_related("process", "territory")
    )


def final_attempt(draw: Draw) -> DrawAttempt | None:
    return draw.attempts.filter(kind=DrawAttempt.Kind.FINAL).first()


def software_version(draw: Draw) -> str:
    software = (draw.report or {}).get("software")
    if isinstance(software, dict) and software.get("version"):
        return str(software["version"])
    final = final_attempt(draw)
    return str(final.outcome.get("version", "")) if final else ""


def probability_summary(draw: Draw) -> dict[str, Any]:
    values = sorted(p for p in draw.members.values_list("probability", flat=True) if p is not None)
    return {
        "count": draw.members.count(),
        "computed": bool(values),
        "minimum": values[0] if values else None,
        "maximum": values[-1] if values else None,
        "mean": sum(values) / len(values) if values else None,
    }


def quota_table(draw: Draw) -> list[dict[str, Any]]:
    """Per quota: bounds, people in the pool, drawn at the final draw, counting in the panel now."""
    members = list(draw.members.only("features", "status", "pseudonym"))
    final = final_attempt(draw)
    drawn_pseudonyms = set(final.outcome.get("panel", [])) if final else set()
    in_pool: Counter[tuple[str, str]] = Counter()
    drawn: Counter[tuple[str, str]] = Counter()
    now: Counter[tuple[str, str]] = Counter()
    for member in members:
        for category, feature in member.features.items():
            in_pool[(category, feature)] += 1
            if member.pseudonym in drawn_pseudonyms:
                drawn[(category, feature)] += 1
            if member.status in ACTIVE:
                now[(category, feature)] += 1
    rows = []
    for category, feature, low, high in bridge.quotas_of(draw.categories_csv):
        key = (category, feature)
        rows.append(
            {
                "category": category,
                "feature": feature,
                "min": low,
                "max": high,
                "in_pool": in_pool[key],
                "drawn": drawn[key] if final else None,
                "now_in_panel": now[key] if final else None,
                "ok": (low <= now[key] <= high) if final else None,
                "pool_short": in_pool[key] < low,
            }
        )
    return rows


def quota_groups(draw: Draw) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in quota_table(draw):
        groups.setdefault(row["category"], []).append(row)
    return list(groups.items())


def public_members(draw: Draw) -> QuerySet[PoolMember]:
    """Every pool member by pseudonym, least likely first (the leximin floor comes first)."""
    return draw.members.only("pseudonym", "probability", "status", "draw_id").order_by("probability", "pseudonym")


def panel_members(draw: Draw) -> QuerySet[PoolMember]:
    """Members counting in the panel now (drawn, invited, confirmed, alternates)."""
    return draw.members.filter(status__in=ACTIVE).select_related("replaces").order_by("pseudonym")


def confirmed_members(draw: Draw) -> QuerySet[PoolMember]:
    """Members who accepted: what workshops and councils seat."""
    return draw.members.filter(status=PoolMember.Status.CONFIRMED).select_related("user").order_by("pk")


def selected_members(draw: Draw) -> QuerySet[PoolMember]:
    """Everyone drawn at some point (including those who declined), for the back office."""
    return (
        draw.members.exclude(status=PoolMember.Status.POOL).select_related("replaces", "user").order_by("status", "pk")
    )


def history(draw: Draw) -> QuerySet[DrawAttempt]:
    return draw.attempts.select_related("actor").order_by("created_at", "pk")


def composition(draw: Draw) -> list[tuple[str, list[tuple[str, int, int, int]]]]:
    """Pool composition per category vs quotas (category, [(feature, in pool, min, max)])."""
    return [
        (category, [(r["feature"], r["in_pool"], r["min"], r["max"]) for r in rows])
        for category, rows in quota_groups(draw)
    ]
