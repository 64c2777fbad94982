"""The consultations module's moderation queue and syntheses in the fixture world and the
permission matrix (called from, and rows appended to, :mod:`tests.security.modules.consultations`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from tests.security.matrix_base import PUBLIC, Route, per

if TYPE_CHECKING:
    from tests.security.world import World


def extend_world(world: World) -> None:
    """``world.extra["consultations_backoffice"]``: a conversation moderated before publication
    (on its own process of ``world.quartier``) with a statement waiting and a published one, and
    on that process a draft synthesis with two themes and a published one."""
    from django.utils import timezone

    from apps.consultations.models import Conversation, Statement
    from apps.consultations.synthesis.models import Citation, Synthesis, Theme
    from tests.conftest import make_process_in_phase

    process = make_process_in_phase("conversation", territory=world.quartier, module="consultations")
    conversation = Conversation.objects.create(
        process=process, question="Question modérée avant publication ?", moderation=Conversation.Moderation.BEFORE
    )
    pending = Statement.objects.create(
        conversation=conversation,
        text="Une affirmation en attente de modération.",
        author=world.people["resident"],
        status=Statement.Status.PENDING,
    )
    published = Statement.objects.create(conversation=conversation, text="Une affirmation publiée et relue.")

    def synthesis(state: str) -> Any:
        published_at = timezone.now() if state == Synthesis.State.PUBLISHED else None
        item = Synthesis.objects.create(
            process=process, title=f"Synthèse {state}", state=state, published_at=published_at, contributions=1
        )
        for position in (1, 2):
            theme = Theme.objects.create(
                synthesis=item, position=position, title=f"Thème {position}", key_terms=["bancs", "ombre"]
            )
            Citation.objects.create(theme=theme, statement=published, representative=True)
        return item

    world.extra["consultations_backoffice"] = SimpleNamespace(
        conversation=conversation,
        pending=pending,
        draft=synthesis(Synthesis.State.DRAFT),
        published=synthesis(Synthesis.State.PUBLISHED),
    )


def _objects(world: World) -> SimpleNamespace:
    return world.extra["consultations_backoffice"]  # type: ignore[no-any-return]


def _draft(world: World) -> dict[str, Any]:
    return {"pk": _objects(world).draft.pk}


def _published(world: World) -> dict[str, Any]:
    return {"pk": _objects(world).published.pk}


def _theme(world: World) -> dict[str, Any]:
    return {"pk": _objects(world).draft.themes.order_by("position")[0].pk}


def _merge(world: World) -> dict[str, Any]:
    first, second = _objects(world).draft.themes.order_by("position")
    return {"into": first.pk, "merged": second.pk}


MODERATORS_OK = per("denied", anonymous="login", agent="ok", moderator="ok", admin_elsewhere="ok")
AGENTS_OK = per("denied", anonymous="login", agent="ok")
AGENTS_ACT = per("denied", anonymous="login", agent="redirect")

BACKOFFICE_ROUTES: list[Route] = [
    Route(
        "consultations_admin:moderation",
        MODERATORS_OK,
        post=per("denied", anonymous="login", agent="redirect", moderator="redirect", admin_elsewhere="invalid"),
        data=lambda world: {"action": "reject", "statements": [_objects(world).pending.pk], "reason": "Hors sujet"},
    ),
    Route(
        "consultations_admin:moderation_mode",
        None,
        lambda world: {"pk": _objects(world).conversation.pk},
        post=per("denied", anonymous="login", agent="redirect", moderator="redirect"),
        data=lambda world: {"moderation": "after"},
    ),
    Route(
        "consultations_admin:syntheses",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="invalid"),
        data=lambda world: {"process": _objects(world).conversation.process_id},
    ),
    Route(
        "consultations_admin:synthesis",
        AGENTS_OK,
        _draft,
        post=AGENTS_ACT,
        data=lambda world: {"title": "Synthèse relue", "introduction": "Merci à toutes et tous."},
    ),
    Route("consultations_admin:synthesis_merge", None, _draft, post=AGENTS_ACT, data=_merge),
    Route("consultations_admin:synthesis_publish", None, _draft, post=AGENTS_ACT),
    Route(
        "consultations_admin:theme_edit",
        None,
        _theme,
        post=AGENTS_ACT,
        data=lambda world: {"title": "Propreté", "summary": ""},
    ),
    Route("consultations:synthesis", PUBLIC, _published),
    Route("consultations:synthesis", per("denied", agent="ok"), _draft, case="draft"),
]


def fingerprint() -> dict[str, Any]:
    from apps.consultations.models import Conversation, Statement
    from apps.consultations.synthesis.models import Citation, Synthesis, Theme

    return {
        "moderation_modes": sorted(Conversation.objects.values_list("pk", "moderation")),
        "moderated": sorted(Statement.objects.values_list("pk", "moderated_at")),
        "syntheses": sorted(Synthesis.objects.values_list("pk", "title", "introduction", "state")),
        "themes": sorted(Theme.objects.values_list("pk", "title", "summary")),
        "citations": sorted(Citation.objects.values_list("pk", "theme_id")),
    }
