"""One small, complete fixture world shared by the URL matrix, the security tests and the
browser tests: every kind of object a URL can point at, in a known state, so that each
route can be built and each persona's answer predicted.

Objects are created directly (models and factories), not through the services, so that
the world does not depend on the notification side effects of the code under test.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image
from pytest_django import DjangoDbBlocker

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import AuditLogEntry, Process, Service, Territory, Theme
from apps.discussion.models import Comment, Report
from apps.followup.models import Commitment, CommitmentUpdate
from apps.notifications.models import Follow, Notification
from apps.proposals.models import (
    AnswerTemplate,
    InternalNote,
    Proposal,
    ProposalImage,
    Status,
    Support,
)
from tests.conftest import Personas, make_city, make_other_quartier, make_personas, make_process_in_phase, make_quartier
from tests.factories import (
    CommentFactory,
    CommitmentFactory,
    ProcessFactory,
    ProposalFactory,
    ServiceFactory,
    ThemeFactory,
    make_answer,
)
from tests.shared_rows import built_once
from tests.shared_sessions import SharedSessions, open_sessions


def png_bytes(size: tuple[int, int] = (8, 8), color: str = "#00558c") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    people: Personas
    city: Territory
    quartier: Territory
    other_quartier: Territory
    theme: Theme
    service: Service
    # Published, in the "collect" phase: every resident action is open.
    process: Process
    # Not published: only staff of its territory may see it.
    draft_process: Process
    # Published, in another quartier: the administrator scoped elsewhere manages it.
    other_process: Process
    # By ``resident``, received: editable, withdrawable, with comments and an image.
    proposal: Proposal
    # By ``other_resident``, accepted with a reasoned answer and a commitment.
    answered: Proposal
    # In the unpublished process.
    draft_proposal: Proposal
    other_proposal: Proposal
    comment: Comment  # by other_resident on ``proposal``
    reply: Comment
    own_comment: Comment  # by resident on ``proposal``
    hidden_comment: Comment
    answer: Answer
    answer_template: AnswerTemplate
    commitment: Commitment
    commitment_update: CommitmentUpdate
    draft_commitment: Commitment
    image: ProposalImage
    draft_image: ProposalImage
    notification: Notification
    note: InternalNote
    extra: dict[str, Any] = field(default_factory=dict)
    # The personas signed in once when the world was built (``sign_in`` reuses them).
    sessions: SharedSessions | None = None

    def user(self, persona: str) -> User | None:
        return self.people[persona]


def build_world(
    people: Personas,
    quartier: Territory,
    other_quartier: Territory,
    *,
    modules: tuple[str, ...] | None = None,
) -> World:
    """The whole world; ``modules`` limits the per-module parts built (None: every module)."""
    resident = people["resident"]
    other_resident = people["other_resident"]
    moderator = people["moderator"]
    agent = people["agent"]
    assert resident is not None and other_resident is not None and moderator is not None and agent is not None
    city = quartier.parent
    assert city is not None
    theme = ThemeFactory.create(name="Cadre de vie", slug="cadre-de-vie")
    service = ServiceFactory.create(name="Direction des espaces verts")

    process = make_process_in_phase(
        "collect", territory=quartier, title="Réinventer la place du marché", slug="place-du-marche"
    )
    process.themes.add(theme)
    draft_process = make_process_in_phase(
        "collect", territory=quartier, title="Démarche en préparation", slug="demarche-brouillon"
    )
    Process.objects.filter(pk=draft_process.pk).update(is_published=False)
    draft_process.refresh_from_db()
    other_process = make_process_in_phase(
        "collect", territory=other_quartier, title="Les berges de Chantenay", slug="berges-chantenay"
    )

    proposal = ProposalFactory.create(
        process=process,
        author=resident,
        theme=theme,
        territory=quartier,
        title="Des bancs à l'ombre près de l'école",
        body="Installer des **bancs** et planter des arbres.",
    )
    answered = ProposalFactory.create(
        process=process,
        author=other_resident,
        theme=theme,
        territory=quartier,
        title="Un composteur partagé square Maurice-Schwob",
        status=Status.ACCEPTED,
        assigned_service=service,
    )
    draft_proposal = ProposalFactory.create(
        process=draft_process, author=other_resident, title="Proposition non publique"
    )
    other_proposal = ProposalFactory.create(
        process=other_process, author=other_resident, title="Une guinguette sur les berges"
    )

    comment = CommentFactory.create(proposal=proposal, author=other_resident, stance=Comment.Stance.AGREE)
    reply = CommentFactory.create(
        proposal=proposal, author=resident, parent=comment, root=comment, body="Merci, d'accord !"
    )
    own_comment = CommentFactory.create(proposal=proposal, author=resident, body="Précision : côté rue Ménétrier.")
    hidden_comment = CommentFactory.create(
        proposal=proposal,
        author=other_resident,
        body="Propos injurieux",
        is_hidden=True,
        hidden_reason="Propos insultants envers une personne",
        hidden_by=moderator,
    )
    Report.objects.create(comment=comment, reporter=people["elu"], reason="Hors sujet")
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=4)
    Support.objects.create(proposal=answered, user=resident)
    Proposal.objects.filter(pk=answered.pk).update(support_count=1)

    answer = make_answer(
        proposal=answered,
        status=Status.ACCEPTED,
        author=agent,
        signed_by="Mme l'adjointe au quartier",
        body="La Ville retient cette proposition : un composteur sera installé au printemps.",
    )
    answer_template = AnswerTemplate.objects.create(
        title="Hors compétence",
        status=Status.NOT_RETAINED,
        body="Cette proposition ne relève pas de la compétence de la Ville ; nous l'avons transmise.",
    )
    from django.contrib.contenttypes.models import ContentType

    commitment = CommitmentFactory.create(
        process=process,
        territory=quartier,
        title="Installer un composteur partagé",
        service=service,
        planned_date=timezone.localdate() + datetime.timedelta(days=90),
        progress=30,
        state=Commitment.State.IN_PROGRESS,
        source_type=ContentType.objects.get_for_model(Proposal),
        source_id=answered.pk,
    )
    commitment_update = CommitmentUpdate.objects.create(
        commitment=commitment,
        date=timezone.localdate(),
        body="Le site est choisi avec les habitants.",
        progress=30,
        state=Commitment.State.IN_PROGRESS,
        author=agent,
    )
    draft_commitment = CommitmentFactory.create(process=draft_process, title="Engagement non public")

    image = ProposalImage(proposal=proposal, alt_text="Un banc en bois sous un platane")
    image.image.save("banc.png", ContentFile(png_bytes()), save=True)
    draft_image = ProposalImage(proposal=draft_proposal, alt_text="Plan provisoire")
    draft_image.image.save("plan.png", ContentFile(png_bytes()), save=True)

    notification = Notification.objects.create(
        user=resident,
        kind=Notification.Kind.COMMENT,
        title="Nouveau commentaire sur votre proposition",
        url=proposal.get_absolute_url(),
    )
    Follow.objects.create(user=resident, process=process)
    note = InternalNote.objects.create(proposal=proposal, author=agent, body="Voir avec la voirie.")
    AuditLogEntry.objects.create(
        actor=agent,
        actor_label=agent.display_name,
        action="proposal.assign",
        target_type="proposals.proposal",
        target_id=str(answered.pk),
        target_label=answered.title,
    )
    for obj in (proposal, answered):
        obj.refresh_from_db()
    world = World(
        people=people,
        city=city,
        quartier=quartier,
        other_quartier=other_quartier,
        theme=theme,
        service=service,
        process=process,
        draft_process=draft_process,
        other_process=other_process,
        proposal=proposal,
        answered=answered,
        draft_proposal=draft_proposal,
        other_proposal=other_proposal,
        comment=comment,
        reply=reply,
        own_comment=own_comment,
        hidden_comment=hidden_comment,
        answer=answer,
        answer_template=answer_template,
        commitment=commitment,
        commitment_update=commitment_update,
        draft_commitment=draft_commitment,
        image=image,
        draft_image=draft_image,
        notification=notification,
        note=note,
    )
    from tests.security.modules import extend_world

    extend_world(world, only=modules)
    return world


def build_whole_world() -> World:
    """The city, its two quartiers, the personas (signed in once) and the whole world (every
    module part)."""
    city = make_city()
    quartier = make_quartier(city)
    other_quartier = make_other_quartier(city)
    world = build_world(make_personas(quartier, other_quartier), quartier, other_quartier)
    world.sessions = open_sessions(world.people.values())
    return world


def fingerprint() -> dict[str, object]:
    from tests.security.modules import module_fingerprint

    """A snapshot of everything a request could change; equal before and after means
    the request changed no data (used to prove that no GET writes)."""
    return {
        "supports": sorted(Support.objects.values_list("proposal_id", "user_id")),
        "proposals": sorted(
            Proposal.objects.values_list(
                "pk",
                "title",
                "body",
                "status",
                "is_withdrawn",
                "support_count",
                "comment_count",
                "assigned_service_id",
            )
        ),
        "comments": sorted(Comment.objects.values_list("pk", "body", "is_hidden")),
        "reports": sorted(Report.objects.values_list("pk", "resolved_at")),
        "answers": Answer.objects.count(),
        "templates": sorted(AnswerTemplate.objects.values_list("pk", "title", "body")),
        "notes": InternalNote.objects.count(),
        "follows": sorted(
            Follow.objects.values_list("user_id", "process_id", "territory_id", "target_type_id", "target_id")
        ),
        "notifications": sorted(Notification.objects.values_list("pk", "read_at")),
        "commitments": sorted(Commitment.objects.values_list("pk", "title", "progress", "state")),
        "updates": CommitmentUpdate.objects.count(),
        "processes": sorted(Process.objects.values_list("pk", "title", "is_published", "slug")),
        "users": sorted(User.objects.values_list("pk", "email", "display_name", "is_active", "is_deleted")),
        "audit": AuditLogEntry.objects.count(),
        "processes_count": ProcessFactory._meta.model.objects.count(),
        **module_fingerprint(),
    }


T = TypeVar("T")


_ROW_WRITES = """
    SELECT coalesce(sum(pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
                        + pg_stat_get_xact_tuples_deleted(c.oid)), 0)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 't', 'm', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
"""


def row_writes() -> int:
    """Rows inserted, updated or deleted so far in the current transaction, on every table
    (PostgreSQL counts them per transaction, savepoints included, whether kept or rolled back).

    The sum of ``n_tup_ins + n_tup_upd + n_tup_del`` over ``pg_stat_xact_user_tables``, read from
    the functions behind that view without its join of every index (0.7 ms instead of 1.6 ms; the
    matrix asks it twice per case)."""
    with connection.cursor() as cursor:
        cursor.execute(_ROW_WRITES)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def changes_data(action: Callable[[], T], *, keep: bool = True) -> tuple[T, bool]:
    """Run ``action`` and tell whether it changed the :func:`fingerprint`.

    The same answer as comparing the fingerprints taken before and after, at a fraction of the
    cost: an action that wrote no row at all cannot have changed them, and only when a row was
    written are the two fingerprints compared (the action's writes rolled back to read the
    "before" one, then, with ``keep``, the action replayed so that the caller goes on from its
    state). The matrix asks this of about 2,000 GETs, most of which write nothing."""
    savepoint = transaction.savepoint()
    writes = row_writes()
    result = action()
    if row_writes() == writes:
        transaction.savepoint_commit(savepoint)
        return result, False
    after = fingerprint()
    transaction.savepoint_rollback(savepoint)
    changed = fingerprint() != after
    if keep and not changed:
        action()
    return result, changed


@dataclass(frozen=True)
class SharedWorld:
    """The world built once per module and worker, and the folder its uploads were written to."""

    world: World
    media: Path


def shared_world_fixture(media_name: str) -> Any:
    """The module-scoped ``_shared_world`` fixture of a test package (the security matrix, the
    browser tests): :func:`build_whole_world` once, kept by :func:`tests.shared_rows.built_once`."""

    @pytest.fixture(scope="module", name="_shared_world")
    def shared_world(
        django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[SharedWorld]:
        media = tmp_path_factory.mktemp(media_name)
        with built_once(django_db_blocker, build_whole_world, media=media) as world:
            yield SharedWorld(world=world, media=media)

    return shared_world
