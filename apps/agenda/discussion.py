"""The thread that prolongs a rendez-vous, on the shared discussion: open once the meeting has
started (the module's rule); reports, hiding with a public reason and the moderation queue come
with the primitive."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.agenda import rules
from apps.agenda.models import Event
from apps.discussion.models import Comment
from apps.discussion.selectors import page_number_of
from apps.discussion.targets import Target, register


def comment_url(comment: Comment) -> str:
    page = page_number_of(comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{Event(pk=comment.target_id).get_absolute_url()}{query}#commentaire-{comment.pk}"


TARGET = register(
    Target(
        model="agenda.Event",
        can_comment=rules.can_comment_event,
        can_view=rules.can_view_event,
        process_of=lambda event: event.process,
        title_of=lambda event: event.title,
        export_section="agenda_comments",
        export_label=_("Commentaires de rendez-vous"),
        comment_url=comment_url,
    )
)
