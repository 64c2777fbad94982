"""The budgets module in the security fixture world and the permission matrix.

The projects part adds a published budget in its submission phase (in ``quartier``), a draft
one, projects, a comment and an invitation; the voting part adds its own objects and rows
(:mod:`tests.security.modules.budgets_voting`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from apps.budgets.models import Budget, Envelope, Project, ProjectInvitation
from apps.core.models import Process
from apps.discussion.models import Comment
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process
from tests.factories import CommentFactory
from tests.security.matrix_base import (
    INSTRUCTION,
    MODERATION,
    PUBLIC,
    SIGNED_IN,
    STAFF_OF_QUARTIER,
    Route,
    per,
)
from tests.security.modules.budgets_voting import VOTING_ROUTES, extend_world_voting, voting_fingerprint
from tests.security.world import World


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["budgets"]``."""
    resident = world.people["resident"]
    other_resident = world.people["other_resident"]
    process = make_budget_process(
        "submission", territory=world.quartier, title="Budget participatif du quartier", slug="budget-quartier"
    )
    budget = make_budget(process, max_choices=3)
    envelope = budget.envelopes.get(territory=world.quartier)
    project = ProjectFactory.create(budget=budget, envelope=envelope, author=resident, title="Un jardin partagé")
    other_project = ProjectFactory.create(budget=budget, envelope=envelope, author=other_resident, title="Des bancs")
    invitation = ProjectInvitation.objects.create(project=other_project, user=resident, invited_by=other_resident)
    comment = CommentFactory.create(on=project, author=other_resident, body="Bonne idée")
    hidden = CommentFactory.create(
        on=project, author=other_resident, body="Hors sujet", is_hidden=True, hidden_reason="Hors sujet"
    )
    draft_process = make_budget_process(
        "submission",
        territory=world.quartier,
        title="Budget en préparation",
        slug="budget-brouillon",
        is_published=False,
    )
    draft_budget = make_budget(draft_process)
    draft_project = ProjectFactory.create(budget=draft_budget, author=resident)
    world.extra["budgets"] = SimpleNamespace(
        process=process,
        budget=budget,
        envelope=envelope,
        project=project,
        other_project=other_project,
        invitation=invitation,
        comment=comment,
        hidden_comment=hidden,
        draft_process=draft_process,
        draft_budget=draft_budget,
        draft_project=draft_project,
    )
    extend_world_voting(world)


def _b(world: World) -> Any:
    return world.extra["budgets"]


def _slug(world: World) -> dict[str, Any]:
    return {"slug": _b(world).process.slug}


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(_b(world), attr).pk}


def _process_pk(world: World) -> dict[str, Any]:
    return {"pk": _b(world).process.pk}


def _project_data(world: World) -> dict[str, Any]:
    return {
        "title": "Une fresque sur le mur de l'école",
        "description": "Une fresque peinte avec les enfants du quartier.",
        "address": "Rue de la Paix",
        "envelope": _b(world).envelope.pk,
        "estimated_cost": "4000",
        "collective": "",
    }


def _config_data(world: World) -> dict[str, Any]:
    return {
        "total_amount": "150000",
        "city_wide_share": "10",
        "minimum_per_quartier": "10000",
        "weight_population": "50",
        "weight_priority_population": "30",
        "weight_equal": "20",
        "ballot_type": "approval",
        "max_choices": "4",
        "min_spend_share": "0",
        "counting_rule": "greedy",
        "completion": "",
        "min_age": "16",
        "residents_only": "on",
        "required_verification": "email",
        "rules_falc": "",
    }


AUTHOR = per("denied", anonymous="login", resident="ok")
RESIDENT_ACTS = per("denied", anonymous="login", resident="redirect")
AGENT_ACTS = per("denied", anonymous="login", agent="redirect")
MODERATOR_ACTS = per("denied", anonymous="login", moderator="redirect")

ROUTES: list[Route] = [
    # ---- public pages ---------------------------------------------------------------------
    Route("budgets:detail", PUBLIC, _slug),
    Route("budgets:detail", STAFF_OF_QUARTIER, lambda w: {"slug": _b(w).draft_process.slug}, case="draft"),
    Route("budgets:envelopes", PUBLIC, _slug),
    Route("budgets:projects", PUBLIC, _slug, query="?etat=submitted&tri=cout&enveloppe=abc&q=jardin"),
    Route(
        "budgets:project_create",
        SIGNED_IN,
        _slug,
        post=per("redirect", anonymous="login"),
        data=_project_data,
    ),
    Route("budgets:project", PUBLIC, _pk("project")),
    Route("budgets:project", STAFF_OF_QUARTIER, _pk("draft_project"), case="draft"),
    Route("budgets:project_edit", AUTHOR, _pk("project"), post=RESIDENT_ACTS, data=_project_data),
    Route(
        "budgets:project_comment",
        None,
        _pk("project"),
        post=per("redirect", anonymous="login"),
        data=lambda w: {"body": "Je soutiens ce projet."},
    ),
    Route(
        "budgets:project_invite",
        None,
        _pk("project"),
        post=RESIDENT_ACTS,
        data=lambda w: {"email": w.people["other_resident"].email},
    ),
    Route("budgets:invitation_accept", None, _pk("other_project"), post=RESIDENT_ACTS),
    Route("budgets:invitation_decline", None, _pk("other_project"), post=RESIDENT_ACTS),
    Route(
        "budgets:comment_report",
        per("ok", anonymous="login", other_resident="denied"),
        _pk("comment"),
        post=per("redirect", anonymous="login", other_resident="denied"),
        data=lambda w: {"reason": "Propos hors sujet"},
    ),
    Route(
        "budgets:comment_hide",
        MODERATION,
        _pk("comment"),
        post=MODERATOR_ACTS,
        data=lambda w: {"reason": "Propos insultants"},
    ),
    Route("budgets:comment_unhide", None, _pk("hidden_comment"), post=MODERATOR_ACTS),
    # ---- back office ----------------------------------------------------------------------
    Route("budgets_admin:config", INSTRUCTION, _process_pk, post=AGENT_ACTS, data=_config_data),
    Route("budgets_admin:config", INSTRUCTION, lambda w: {"pk": w.process.pk}, case="no-budget"),
    Route("budgets_admin:envelopes_recompute", None, _process_pk, post=AGENT_ACTS),
    Route("budgets_admin:analysis", INSTRUCTION, _process_pk, query="?etat=submitted&enveloppe=1&tri=x"),
    Route(
        "budgets_admin:analysis_bulk",
        None,
        _process_pk,
        post=AGENT_ACTS,
        data=lambda w: {"projects": [_b(w).project.pk, _b(w).other_project.pk], "action": "under_analysis"},
    ),
    Route("budgets_admin:ballot_numbers", None, _process_pk, post=AGENT_ACTS),
    Route(
        "budgets_admin:realisation",
        INSTRUCTION,
        _process_pk,
        post=per("denied", anonymous="login", agent="invalid"),
        data=lambda w: {"service": w.service.pk},
    ),
    Route(
        "budgets_admin:project",
        INSTRUCTION,
        _pk("project"),
        post=AGENT_ACTS,
        data=lambda w: {"status": "under_analysis", "reason": "", "city_cost": ""},
    ),
    Route(
        "budgets_admin:project_merge",
        None,
        _pk("other_project"),
        post=AGENT_ACTS,
        data=lambda w: {"target": _b(w).project.pk},
    ),
    *VOTING_ROUTES,
]


def fingerprint() -> dict[str, Any]:
    return {
        "budgets": sorted(
            Budget.objects.values_list(
                "pk",
                "total_amount",
                "city_wide_share",
                "ballot_type",
                "counting_rule",
                "rules_frozen_at",
                "results_published_at",
                "rules_falc",
            )
        ),
        "envelopes": sorted(Envelope.objects.values_list("pk", "amount")),
        "projects": sorted(
            Project.objects.values_list(
                "pk",
                "title",
                "status",
                "city_cost",
                "ballot_number",
                "comment_count",
                "merged_into_id",
                "analysis_reason",
            )
        ),
        "coauthors": sorted(Project.coauthors.through.objects.values_list("project_id", "user_id")),
        "project_comments": sorted(
            Comment.objects.filter(target_type__model="project").values_list("pk", "body", "is_hidden")
        ),
        "invitations": sorted(ProjectInvitation.objects.values_list("project_id", "user_id")),
        "budget_processes": Process.objects.filter(phases__module="budgets").distinct().count(),
        **voting_fingerprint(),
    }
