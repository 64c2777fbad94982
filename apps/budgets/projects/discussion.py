"""Budget projects are commented through the shared discussion: who may comment a project is
the module's rule (the project's phase allows ``comment``); a new comment counts on the project.
Reports, hiding with a public reason and the moderation queue come with the primitive."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from apps.budgets.models import Project
from apps.budgets.projects import rules
from apps.discussion.models import Comment
from apps.discussion.selectors import page_number_of
from apps.discussion.targets import Event, Target, register


def on_change(comment: Comment, event: Event) -> None:
    if event == "post":
        Project.objects.filter(pk=comment.target_id).update(comment_count=F("comment_count") + 1)


def comment_url(comment: Comment) -> str:
    page = page_number_of(comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{Project(pk=comment.target_id).get_absolute_url()}{query}#commentaire-{comment.pk}"


TARGET = register(
    Target(
        model="budgets.Project",
        can_comment=rules.can_comment_project,
        can_view=lambda user, project: rules.can_view_budget(user, project.budget),
        process_of=lambda project: project.budget.process,
        title_of=lambda project: project.title,
        export_section="budget_comments",
        export_label=_("Commentaires de projets"),
        on_change=on_change,
        comment_url=comment_url,
    )
)
