"""Follows and notification fan-out.

Notifications are rows written in the same request (cheap, bulk); emails are never sent
inside the request: an immediate-email task is queued on commit for the new rows, and a
periodic task sends the daily digests.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Phase, Process, Territory
from apps.notifications.models import Follow, Notification, follow_columns
from apps.notifications.targets import followable_for, kind_of

if TYPE_CHECKING:
    from apps.followup.models import CommitmentUpdate


def _target_fields(target: Any) -> dict[str, int]:
    """The columns of ``Follow`` that designate ``target``."""
    if not isinstance(target, Process | Territory):
        kind_of(target)  # raises on an object no manifest declares followable
    return follow_columns(target)


def follow(
    *, user: User, target: Any = None, process: Process | None = None, territory: Territory | None = None
) -> bool:
    """``user`` follows ``target`` (a process, a territory or a declared module object);
    ``process=`` and ``territory=`` are shortcuts. False when already following."""
    fields = _target_fields(target or process or territory)
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, **fields)
    except IntegrityError:
        return False
    return True


def unfollow(
    *, user: User, target: Any = None, process: Process | None = None, territory: Territory | None = None
) -> bool:
    deleted, _details = Follow.objects.filter(user=user, **_target_fields(target or process or territory)).delete()
    return bool(deleted)


def followers_of(target: Any) -> set[int]:
    """Ids of the people to tell about a module object's news: whoever follows the object, its
    process or its quartier (as its ``Followable`` declares them), and its audience (its
    author), even without following it."""
    followable = followable_for(target)
    if followable is None:
        raise TypeError(f"{type(target).__name__} is not followable")
    condition = Q(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    process = followable.process_of(target)
    if process is not None:
        condition |= Q(process_id=process.pk)
    territory_id = followable.territory_id_of(target)
    if territory_id is not None:
        condition |= Q(territory_id=territory_id)
    ids = set(Follow.objects.filter(condition).values_list("user_id", flat=True))
    ids.update(followable.audience(target))
    return ids


def direct_followers_of(target: Any) -> set[int]:
    """Ids of the people who follow ``target`` itself (not its process or quartier)."""
    return set(Follow.objects.of(target).values_list("user_id", flat=True))


def notify(
    *, user_ids: Iterable[int], kind: str, title: str, url: str, body: str = "", exclude: int | None = None
) -> int:
    wanted = set(user_ids) - {exclude}
    recipients = list(
        User.objects.filter(pk__in=wanted, is_active=True, is_deleted=False).values_list("pk", "email_frequency")
    )
    if not recipients:
        return 0
    created = Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, title=title[:250], body=body, url=url) for pk, _freq in recipients]
    )
    immediate = [
        n.pk for n, (_pk, freq) in zip(created, recipients, strict=True) if freq == User.EmailFrequency.IMMEDIATE
    ]
    if immediate:
        from apps.notifications.tasks import send_immediate_emails

        transaction.on_commit(lambda: send_immediate_emails(immediate))
    return len(created)


def notify_commitment(update: CommitmentUpdate) -> None:
    commitment = update.commitment
    ids = set(Follow.objects.filter(process_id=commitment.process_id).values_list("user_id", flat=True))
    if commitment.territory_id is not None:
        ids |= set(Follow.objects.filter(territory_id=commitment.territory_id).values_list("user_id", flat=True))
    # A commitment born of a followable object (a proposal…) tells that object's people too.
    source = commitment.source if commitment.source_type_id is not None else None
    if source is not None and followable_for(source) is not None:
        ids |= followers_of(source)
    notify(
        user_ids=ids,
        kind=Notification.Kind.COMMITMENT,
        title=_("Suivi : « %(title)s » avance (%(progress)s %%)")
        % {"title": commitment.title, "progress": update.progress},
        url=commitment.get_absolute_url(),
        body=update.body[:1000],
        exclude=update.author_id,
    )


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all of them) as read; someone else's id
    simply matches nothing."""
    pending = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        pending = pending.filter(pk=notification_id)
    return pending.update(read_at=timezone.now())


# A phase first seen more than this long after its start is marked announced without telling
# anyone: after a deployment (or a worker outage) nobody gets a backlog of stale news.
PHASE_ANNOUNCE_WINDOW = datetime.timedelta(days=2)
# Phases claimed per run; the next run (every ten minutes) takes the rest.
PHASE_ANNOUNCE_BATCH = 200


def followers_of_process(process: Process) -> set[int]:
    """People who follow the process, its territory or an enclosing territory (the city)."""
    condition = Q(process_id=process.pk) | Q(territory_id__in=process.territory.ancestor_ids())
    return set(Follow.objects.filter(condition).values_list("user_id", flat=True))


def _announce_phase(phase: Phase) -> int:
    process = phase.process
    with translation.override("fr"):
        title = _("Nouvelle étape : %(phase)s — %(process)s") % {"phase": phase.title, "process": process.title}
    return notify(
        user_ids=followers_of_process(process),
        kind=Notification.Kind.PROCESS,
        title=title,
        url=process.get_absolute_url(),
        body=phase.description[:1000],
    )


def notify_started_phases(now: datetime.datetime | None = None) -> int:
    """Tell the followers of each published process that one of its phases has started;
    returns the number of notifications created.

    Each phase is announced at most once, even with several workers running this at the
    same time: a worker claims a phase with a conditional ``UPDATE ... WHERE
    start_announced_at IS NULL`` and only the worker whose update touched the row notifies.
    The claim and the notifications share one transaction, so a failure leaves the phase
    unclaimed for the next run. On PostgreSQL a second worker's update waits for the
    first one's commit, then finds the row already claimed (SQLite serialises writers).
    """
    now = now or timezone.now()
    pending = Phase.objects.filter(start_announced_at__isnull=True, starts_at__lte=now)
    # Too old, or already over: no news worth sending, marked without telling anyone. The
    # phases of unpublished processes are otherwise left alone: announced if the process is
    # published while the news is fresh, skipped by this line later.
    pending.filter(Q(starts_at__lt=now - PHASE_ANNOUNCE_WINDOW) | Q(ends_at__lte=now)).update(start_announced_at=now)
    candidates = list(
        pending.filter(process__is_published=True)
        .select_related("process__territory")
        .order_by("starts_at", "pk")[:PHASE_ANNOUNCE_BATCH]
    )
    created = 0
    for phase in candidates:
        with transaction.atomic():
            # Only columns of the phase row in this WHERE: a condition across a join makes
            # Django write ``WHERE id IN (subquery)``, and PostgreSQL re-checks only the outer
            # condition after waiting for a concurrent claim, so both workers would "win".
            claimed = Phase.objects.filter(pk=phase.pk, start_announced_at__isnull=True).update(start_announced_at=now)
            if claimed:
                created += _announce_phase(phase)
    return created
