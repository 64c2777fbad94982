"""Keeping a questionnaire's added-up answers fresh without adding them up on every visit.

- A new answer (once committed) marks the snapshot stale; only the answer that flips the flag
  queues a refresh, so a burst of answers costs one refresh, not one each.
- The refresh clears the flag *before* adding up (in its own committed statement): an answer
  committed before that moment is in the sum, and one committed after flips the flag again and
  queues the next refresh. No answer is left out for long.
- A refresh that started earlier never overwrites one that started later (``computed_at``).
- A visit reads the snapshot: a few thousand grouped rows. Only the first visit (no snapshot
  yet), or a snapshot left stale for longer than :data:`WORKER_LATE` (the task queue is not
  running), adds up on the spot.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.consultations.questionnaires.aggregates import aggregate
from apps.consultations.questionnaires.models import ResultsSnapshot

log = logging.getLogger(__name__)

# Answers arriving within this delay after the flag flipped are added up together.
REFRESH_DELAY_SECONDS = 20
WORKER_LATE = datetime.timedelta(minutes=10)


def answers_changed(questionnaire_id: int) -> None:
    """Call after a commit that added answers: flip the flag; the flipper queues the refresh."""
    flipped = ResultsSnapshot.objects.filter(pk=questionnaire_id, stale=False).update(stale=True)
    if flipped:
        from apps.consultations.tasks import refresh_questionnaire_results

        if refresh_questionnaire_results.huey.immediate:
            refresh_questionnaire_results(questionnaire_id)
        else:
            refresh_questionnaire_results.schedule(args=(questionnaire_id,), delay=REFRESH_DELAY_SECONDS)


def on_commit_answers_changed(questionnaire_id: int) -> None:
    transaction.on_commit(lambda: answers_changed(questionnaire_id))


def refresh(questionnaire_id: int) -> ResultsSnapshot:
    started = timezone.now()
    # ``get_or_create`` survives a parallel first visit creating the row too.
    snapshot, _created = ResultsSnapshot.objects.get_or_create(pk=questionnaire_id)
    # Committed before adding up (autocommit): see the module's docstring.
    ResultsSnapshot.objects.filter(pk=questionnaire_id).update(stale=False)
    data = aggregate(questionnaire_id)
    ResultsSnapshot.objects.filter(
        Q(computed_at__isnull=True) | Q(computed_at__lt=started), pk=questionnaire_id
    ).update(data=data, computed_at=started)
    snapshot.refresh_from_db()
    return snapshot


def current(questionnaire_id: int) -> ResultsSnapshot:
    """The snapshot a visit shows (computed now only when there is none yet, or the queue is late)."""
    snapshot = ResultsSnapshot.objects.filter(pk=questionnaire_id).first()
    if snapshot is None or snapshot.computed_at is None:
        return refresh(questionnaire_id)
    if snapshot.stale and snapshot.computed_at < timezone.now() - WORKER_LATE:
        log.warning("questionnaire %s: results stale for over %s, refreshed by a visit", questionnaire_id, WORKER_LATE)
        return refresh(questionnaire_id)
    return snapshot
