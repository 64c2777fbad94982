"""Follows and notification fan-out.

Notifications are rows written in the same request (cheap, bulk); emails are never sent
inside the request: an immediate-email task is queued on commit for the new rows, and a
periodic task sends the daily digests.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Phase
from apps.notifications.models import Follow, Notification

if TYPE_CHECKING:
    from apps.answers.models import Answer
    from apps.core.models import Process, Territory
    from apps.followup.models import CommitmentUpdate
    from apps.proposals.models import Comment, Proposal


def follow(
    *, user: User, process: Process | None = None, territory: Territory | None = None, proposal: Proposal | None = None
) -> bool:
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, process=process, territory=territory, proposal=proposal)
    except IntegrityError:
        return False
    return True


def unfollow(
    *, user: User, process: Process | None = None, territory: Territory | None = None, proposal: Proposal | None = None
) -> bool:
    deleted, _details = Follow.objects.filter(
        user=user, process=process, territory=territory, proposal=proposal
    ).delete()
    return bool(deleted)


def followers_of_proposal(proposal: Proposal) -> set[int]:
    """Ids of the people to tell about a proposal: its author and whoever follows the
    proposal, its process or its quartier."""
    condition = Q(proposal=proposal) | Q(process_id=proposal.process_id)
    if proposal.territory_id is not None:
        condition |= Q(territory_id=proposal.territory_id)
    ids = set(Follow.objects.filter(condition).values_list("user_id", flat=True))
    if proposal.author_id is not None:
        ids.add(proposal.author_id)
    return ids


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


def notify_comment(comment: Comment) -> None:
    proposal = comment.proposal
    if comment.parent is not None and comment.parent.author_id is not None:
        notify(
            user_ids=[comment.parent.author_id],
            kind=Notification.Kind.REPLY,
            title=_("Nouvelle réponse à votre commentaire sur « %(title)s »") % {"title": proposal.title},
            url=proposal.get_absolute_url() + f"#commentaire-{comment.pk}",
            body=comment.body[:500],
            exclude=comment.author_id,
        )
    ids: set[int] = set(Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    if proposal.author_id is not None:
        ids.add(proposal.author_id)
    if comment.parent is not None and comment.parent.author_id is not None:
        ids.discard(comment.parent.author_id)
    notify(
        user_ids=ids,
        kind=Notification.Kind.COMMENT,
        title=_("Nouveau commentaire sur « %(title)s »") % {"title": proposal.title},
        url=proposal.get_absolute_url() + f"#commentaire-{comment.pk}",
        body=comment.body[:500],
        exclude=comment.author_id,
    )


def notify_status(proposal: Proposal) -> None:
    notify(
        user_ids=followers_of_proposal(proposal),
        kind=Notification.Kind.STATUS,
        title=_("« %(title)s » est maintenant : %(status)s")
        % {"title": proposal.title, "status": proposal.get_status_display()},
        url=proposal.get_absolute_url(),
    )


def notify_answer(answer: Answer) -> None:
    proposal: Proposal = answer.source  # type: ignore[assignment]  # answers to proposals only
    notify(
        user_ids=followers_of_proposal(proposal),
        kind=Notification.Kind.ANSWER,
        title=_("La Ville a répondu à « %(title)s » : %(status)s")
        % {"title": proposal.title, "status": answer.get_status_display()},
        url=proposal.get_absolute_url() + "#reponse",
        body=answer.body[:1000],
        # The agent or élu who published the answer does not need to be told about it.
        exclude=answer.author_id,
    )


def notify_commitment(update: CommitmentUpdate) -> None:
    from apps.proposals.models import Proposal

    commitment = update.commitment
    ids = set(Follow.objects.filter(process_id=commitment.process_id).values_list("user_id", flat=True))
    if commitment.territory_id is not None:
        ids |= set(Follow.objects.filter(territory_id=commitment.territory_id).values_list("user_id", flat=True))
    if (
        commitment.source_type is not None
        and commitment.source_id is not None
        and commitment.source_type.model_class() is Proposal
    ):
        proposal = Proposal.objects.filter(pk=commitment.source_id).first()
        if proposal is not None:
            ids |= followers_of_proposal(proposal)
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
