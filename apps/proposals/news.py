"""What the proposals module tells people (in-site notifications, emails by the
notifications app): its texts, and who hears them, through the generic fan-out of
:mod:`apps.notifications.services` and the ``Followable("proposal", …)`` of the manifest.

Comments are the shared discussion's (:mod:`apps.proposals.discussion` calls
:func:`notify_comment` when one is posted on a proposal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from apps.notifications.models import Notification
from apps.notifications.services import direct_followers_of, followers_of, notify

if TYPE_CHECKING:
    from apps.answers.models import Answer
    from apps.discussion.models import Comment
    from apps.proposals.models import Proposal


def notify_status(proposal: Proposal) -> None:
    notify(
        user_ids=followers_of(proposal),
        kind=Notification.Kind.STATUS,
        title=_("« %(title)s » est maintenant : %(status)s")
        % {"title": proposal.title, "status": proposal.get_status_display()},
        url=proposal.get_absolute_url(),
    )


def notify_answer(answer: Answer) -> None:
    proposal: Proposal = answer.source  # type: ignore[assignment]  # answers to proposals only
    notify(
        user_ids=followers_of(proposal),
        kind=Notification.Kind.ANSWER,
        title=_("La Ville a répondu à « %(title)s » : %(status)s")
        % {"title": proposal.title, "status": answer.get_status_display()},
        url=proposal.get_absolute_url() + "#reponse",
        body=answer.body[:1000],
        # The agent or élu who published the answer does not need to be told about it.
        exclude=answer.author_id,
    )


def notify_comment(comment: Comment) -> None:
    """The author of the answered comment gets a reply; the proposal's author and followers
    get the new comment."""
    from apps.proposals.models import Proposal

    proposal = Proposal.objects.get(pk=comment.target_id)
    if comment.parent is not None and comment.parent.author_id is not None:
        notify(
            user_ids=[comment.parent.author_id],
            kind=Notification.Kind.REPLY,
            title=_("Nouvelle réponse à votre commentaire sur « %(title)s »") % {"title": proposal.title},
            url=proposal.get_absolute_url() + f"#commentaire-{comment.pk}",
            body=comment.body[:500],
            exclude=comment.author_id,
        )
    ids = direct_followers_of(proposal)
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
