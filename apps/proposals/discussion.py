"""Proposals are commented through the shared discussion: who may comment a proposal is the
module's rule (its phase allows ``comment``); a new comment counts on the proposal and tells
its author and followers; any change empties the cached threads of its page."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from apps.discussion.models import Comment
from apps.discussion.selectors import page_number_of
from apps.discussion.targets import Event, Target, register
from apps.proposals import fragments, rules
from apps.proposals.models import Proposal
from apps.proposals.news import notify_comment
from apps.proposals.selectors import COMMENTS_PAGE_SIZE


def comment_url(comment: Comment) -> str:
    page = page_number_of(comment, per_page=COMMENTS_PAGE_SIZE)
    query = f"?page={page}" if page > 1 else ""
    return f"{reverse('proposals:detail', kwargs={'pk': comment.target_id})}{query}#commentaire-{comment.pk}"


def on_change(comment: Comment, event: Event) -> None:
    if event == "post":
        Proposal.objects.filter(pk=comment.target_id).update(comment_count=F("comment_count") + 1)
        transaction.on_commit(lambda: notify_comment(comment))
    fragments.bump_comments(comment.target_id)  # the list's comment counts may lag (fragments.FRAGMENT_TTL)


TARGET = register(
    Target(
        model="proposals.Proposal",
        can_comment=rules.can_comment,
        can_view=rules.can_view_proposal,
        process_of=lambda proposal: proposal.process,
        title_of=lambda proposal: proposal.title,
        stances=True,
        on_change=on_change,
        comment_url=comment_url,
    )
)
