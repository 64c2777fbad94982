"""Background work of the sortition module (huey): long leximin computations, the daily purge."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.accounts.models import User
from apps.sortition.models import Draw
from apps.sortition.services import probabilities_compute, purge_personal_data


@db_task()
def compute_probabilities(draw_pk: int, actor_pk: int | None) -> None:
    draw = Draw.objects.filter(pk=draw_pk, state=Draw.State.COMPUTING).first()
    if draw is None:  # already computed, or the pool was replaced meanwhile
        return
    actor = User.objects.filter(pk=actor_pk).first() if actor_pk else None
    probabilities_compute(actor=actor, draw=draw)


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_personal_data() -> int:
    return purge_personal_data()
