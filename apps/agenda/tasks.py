"""Background tasks of the agenda (huey): reminders the day before."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from apps.agenda.services import send_reminders


@db_periodic_task(crontab(minute="*/15"))
def send_reminders_task() -> int:
    return send_reminders()
