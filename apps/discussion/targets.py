"""What may be commented, declared by the module that owns it.

Discussion sits below the modules and never imports them: each module registers, for the
model its residents comment on, who may comment it now (its own rule: the phase allows
``comment``…), who may see it, its process, its title and address, and what to do when
a comment of it is posted, hidden or shown again, or its author's account is deleted (counters,
caches, notifications)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Model
    from django.utils.functional import _StrOrPromise

    from apps.core.models import Process
    from apps.discussion.models import Comment

# "author_erased": the author of comments of this object deleted their account (their name goes).
Event = Literal["post", "hide", "unhide", "author_erased"]


@dataclass(frozen=True)
class Target:
    model: str  # "app_label.ModelName"
    can_comment: Callable[[Any, Any], bool]
    can_view: Callable[[Any, Any], bool]
    process_of: Callable[[Any], Process | None]
    title_of: Callable[[Any], str] = str
    url_of: Callable[[Any], str] = lambda obj: obj.get_absolute_url()
    # Residents say whether they agree (proposals) or not (budget projects).
    stances: bool = False
    # Called inside the service's transaction, after the comment was saved (for "author_erased":
    # inside the account deletion's, once per commented object, with one of its comments).
    on_change: Callable[[Comment, Event], None] | None = None
    # The section of the RGPD export where its comments appear, and its label on « Mes données »
    # (the « comments » section is labelled by discussion itself).
    export_section: str = "comments"
    export_label: _StrOrPromise = ""
    # The address of one comment (a comment on page 3 of the threads needs ``?page=3``).
    comment_url: Callable[[Comment], str] | None = None


_TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    key = target.model.lower()
    existing = _TARGETS.get(key)
    if existing is not None and existing != target:
        raise ImproperlyConfigured(f"{target.model} is already registered for discussion")
    _TARGETS[key] = target
    return target


def all_targets() -> list[Target]:
    return list(_TARGETS.values())


def target_for_label(label: str) -> Target:
    try:
        return _TARGETS[label.lower()]
    except KeyError:
        raise ImproperlyConfigured(f"{label} is not registered for discussion") from None


def target_for(obj: Model) -> Target:
    return target_for_label(obj._meta.label)


def target_of(comment: Comment) -> Target:
    model = comment.target_type.model_class()
    if model is None:
        raise ImproperlyConfigured(f"no model for content type {comment.target_type_id}")
    return target_for_label(model._meta.label)


def comment_url(comment: Comment) -> str:
    target = target_of(comment)
    if target.comment_url is not None:
        return target.comment_url(comment)
    return f"{target.url_of(comment.target)}#commentaire-{comment.pk}"
