"""Periodic tasks of the proposals module (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from apps.proposals.paper import paper_contacts_purge


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_paper_contacts_task() -> int:
    return paper_contacts_purge()
