"""One question per action on comments. Who may comment is the module's rule (see
:mod:`apps.discussion.targets`); reporting and moderating are the same everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.core.models import Role
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident
from apps.discussion.targets import target_for, target_of

if TYPE_CHECKING:
    from django.db.models import Model

    from apps.discussion.models import Comment

MODERATORS = frozenset({Role.MODERATOR})


def can_comment(user: Any, obj: Model) -> bool:
    return target_for(obj).can_comment(user, obj)


def can_view(user: Any, comment: Comment) -> bool:
    return target_of(comment).can_view(user, comment.target)


def can_report(user: Any, comment: Comment) -> bool:
    return is_resident(user) and comment.author_id != user.pk and not comment.is_hidden


def can_moderate_process(user: Any, process: Any) -> bool:
    """Moderators of the process (or its territory, or the city); administrators within scope."""
    return has_role(user, MODERATORS, process=process)


def can_moderate_somewhere(user: Any) -> bool:
    return has_role(user, MODERATORS)


def can_moderate(user: Any, comment: Comment) -> bool:
    return can_moderate_process(user, comment.process)
