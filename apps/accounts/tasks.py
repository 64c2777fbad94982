"""Account emails (password reset, sign-in links) leave through the task queue; the census
lists are purged every night."""

from __future__ import annotations

from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.accounts.census import census_purge


@db_task()
def send_account_email(*, subject: str, body: str, to: str) -> None:
    send_mail(" ".join(subject.split()), body, None, [to])


@db_periodic_task(crontab(hour="3", minute="23"))
def purge_expired_census() -> int:
    return census_purge()
