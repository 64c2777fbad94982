"""Tasks of the initiatives module (huey): the directory messages' purge."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from apps.initiatives.directory_messages import messages_purge


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_directory_messages_task() -> int:
    return messages_purge()
