"""Periodic task of the vote: close the votes whose phase ended (erase the ballot locators).

The pages of a budget close its vote on the first request after the end too; this task
covers budgets nobody looks at, so the link between accounts and ballots never outlives
the vote by more than a few minutes.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from apps.budgets.voting.services import close_ended_votes


@db_periodic_task(crontab(minute="*/5"))
def close_ended_budget_votes() -> int:
    return close_ended_votes()
