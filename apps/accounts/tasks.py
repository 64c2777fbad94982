"""Account emails (password reset, sign-in links) leave through the task queue."""

from __future__ import annotations

from django.core.mail import send_mail
from huey.contrib.djhuey import db_task


@db_task()
def send_account_email(*, subject: str, body: str, to: str) -> None:
    send_mail(" ".join(subject.split()), body, None, [to])
