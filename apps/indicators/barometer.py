"""The trust barometer, aggregated: after receiving a reasoned answer, did people feel heard,
was the answer clear (1–5)? Read from the answers primitive's unlinked marks
(:mod:`apps.answers.barometer_models`), per year and per process, quartier (of the processes)
or city. Below 11 replies nothing is shown; a mean of a mark answered by fewer than 11 people
is hidden too (either question may be skipped)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from apps.answers.models import BarometerScore
from apps.indicators import privacy
from apps.indicators.selectors import Scope

POSITIVE = 4  # « plutôt oui » and « tout à fait »


@dataclass(frozen=True)
class Barometer:
    replies: int | None  # protected (hidden below 11, rounded)
    heard_mean: float | None
    heard_positive: float | None  # percent answering 4 or 5
    clear_mean: float | None
    clear_positive: float | None

    @property
    def shown(self) -> bool:
        return self.replies is not None and self.replies > 0


def barometer(scope: Scope) -> Barometer:
    scores = BarometerScore.objects.filter(year=scope.year)
    if scope.process is not None:
        scores = scores.filter(process=scope.process)
    elif scope.territory is not None:
        scores = scores.filter(process__territory_id__in=scope.territory.descendant_ids())
    row = scores.aggregate(
        n=Count("pk"),
        heard_n=Count("heard"),
        heard_avg=Avg("heard"),
        heard_pos=Count("pk", filter=Q(heard__gte=POSITIVE)),
        clear_n=Count("clear"),
        clear_avg=Avg("clear"),
        clear_pos=Count("pk", filter=Q(clear__gte=POSITIVE)),
    )
    replies = int(row["n"] or 0)
    if replies < privacy.MIN_CELL:
        return Barometer(privacy.protect_one(replies), None, None, None, None)

    def mark(name: str) -> tuple[float | None, float | None]:
        answered = int(row[f"{name}_n"] or 0)
        if answered < privacy.MIN_CELL:
            return None, None
        return float(row[f"{name}_avg"]), 100 * int(row[f"{name}_pos"]) / answered

    heard_mean, heard_positive = mark("heard")
    clear_mean, clear_positive = mark("clear")
    return Barometer(privacy.protect_one(replies), heard_mean, heard_positive, clear_mean, clear_positive)
