"""The delays of the single open door, for the indicators (declared in the manifest as
``service_delays``): for the ideas filed in a period, how long their holders waited from filing
to a named referent (against the deadline the city set when the idea was filed), to a first
contact, and — for dossiers presented to a call — to the decision (against the date the call,
or its session, promised). Counts and medians only, never who."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterator, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.registry import ServiceDelay

DAY = 86_400


def _days(start: datetime.datetime, end: datetime.datetime) -> float:
    return (end - start).total_seconds() / DAY


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def service_delays(
    start: datetime.date, end: datetime.date, territory_ids: Sequence[int] | None
) -> Iterator[ServiceDelay]:
    from apps.initiatives.models import Initiative

    now = timezone.now()
    today = timezone.localdate()
    ideas = Initiative.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end, merged_into__isnull=True
    ).order_by()
    if territory_ids is not None:
        ideas = ideas.filter(territory_id__in=list(territory_ids))
    rows = list(
        ideas.values_list(
            "created_at",
            "referent_due",
            "referent_assigned_at",
            "first_reply_at",
            "decision_at",
            "call_id",
            "call__decides_on",
            "session__examines_on",
        )
    )
    # Filed → referent named, against the deadline promised at filing.
    assigned = [_days(filed, at) for filed, _due, at, *_rest in rows if at is not None]
    referent_late = sum(
        1 for _filed, due, at, *_rest in rows if (at is not None and at > due) or (at is None and now > due)
    )
    yield ServiceDelay(
        key="initiatives.referent",
        label=_("Idées habitantes : du dépôt au référent désigné"),
        reached=len(assigned),
        median_days=_median(assigned),
        waiting=len(rows) - len(assigned),
        overdue=referent_late,
        deadline=_("délai fixé par la Ville au dépôt"),
    )
    contacted = [_days(row[0], row[3]) for row in rows if row[3] is not None]
    yield ServiceDelay(
        key="initiatives.contact",
        label=_("Idées habitantes : du dépôt au premier contact"),
        reached=len(contacted),
        median_days=_median(contacted),
        waiting=len(rows) - len(contacted),
    )
    # Filed → decision, for the dossiers presented to a call, against the call's (or session's) date.
    dossiers = [row for row in rows if row[5] is not None]
    decided = [_days(row[0], row[4]) for row in dossiers if row[4] is not None]
    decision_late = 0
    for _filed, _due, _assigned, _reply, decided_at, _call, decides_on, examines_on in dossiers:
        promised = examines_on or decides_on
        if decided_at is not None:
            decision_late += timezone.localtime(decided_at).date() > promised
        else:
            decision_late += today > promised
    yield ServiceDelay(
        key="initiatives.decision",
        label=_("Dossiers présentés à un appel : du dépôt de l'idée à la décision"),
        reached=len(decided),
        median_days=_median(decided),
        waiting=len(dossiers) - len(decided),
        overdue=decision_late,
        deadline=_("date de décision publiée par l'appel ou sa session"),
    )
