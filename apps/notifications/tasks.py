"""Background email tasks (huey). Never called inside a request: queued on commit."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.notifications.services import notify_started_phases

# A digest covers what happened since the previous one; anything older than this was
# piling up while the person had chosen "never" and must not arrive as a surprise backlog.
DIGEST_WINDOW = datetime.timedelta(hours=48)


def _subject(text: str) -> str:
    # Email headers must not contain line breaks (Django raises BadHeaderError).
    return " ".join(text.split())[:200]


def _send(user: User, notifications: list[Notification], subject: str) -> None:
    with translation.override("fr"):
        context = {
            "user": user,
            "notifications": notifications,
            "site_url": settings.SITE_URL,
            "profile_url": settings.SITE_URL + reverse("accounts:profile"),
            "subject": _subject(subject),
        }
        # Bodies are people's Markdown: rendered to sanitised HTML for the HTML part and to
        # clean plain text for the text part.
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    send_mail(_subject(subject), text, None, [user.email], html_message=html)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


@db_task()
def send_immediate_emails(notification_ids: list[int]) -> int:
    # The preference is read again here: the person may have changed it, or deleted
    # their account, between the notification and the run of this task.
    pending = (
        Notification.objects.filter(
            pk__in=notification_ids,
            emailed_at__isnull=True,
            user__email_frequency=User.EmailFrequency.IMMEDIATE,
            user__is_active=True,
            user__is_deleted=False,
        )
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for notification in pending:
        _send(notification.user, [notification], notification.title)
        sent += 1
    return sent


def send_daily_digests(now: datetime.datetime | None = None) -> int:
    """One email per person choosing the daily digest, with everything not yet emailed."""
    now = now or timezone.now()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
            user__email_frequency=User.EmailFrequency.DAILY,
            user__is_active=True,
            user__is_deleted=False,
        )
        .select_related("user")
        .order_by("user_id", "pk")
    )
    for notification in pending.iterator(chunk_size=2000):
        by_user[notification.user_id].append(notification)
    with translation.override("fr"):
        subject = _("Votre résumé du jour sur Archipel")
    for notifications in by_user.values():
        _send(notifications[0].user, notifications, subject)
    return len(by_user)


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_digest_task() -> int:
    return send_daily_digests()


@db_periodic_task(crontab(minute="*/10"))
def announce_started_phases_task() -> int:
    return notify_started_phases()
