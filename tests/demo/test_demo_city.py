"""The demo city command builds a coherent French city whatever the day it runs."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import Client

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import Process, RoleAssignment, Territory
from apps.discussion.models import Comment
from apps.followup.models import Commitment, CommitmentUpdate
from apps.proposals.models import DECISION_STATUSES, Proposal

pytestmark = pytest.mark.django_db

DEMO_EMAILS = (
    "habitante@demo.archipel.fr",
    "voisin@demo.archipel.fr",
    "agent@demo.archipel.fr",
    "elue@demo.archipel.fr",
    "moderation@demo.archipel.fr",
    "admin@demo.archipel.fr",
)


def test_eleven_quartiers_with_qpv_flags(demo: None) -> None:
    quartiers = Territory.objects.filter(kind=Territory.Kind.QUARTIER)
    assert quartiers.count() == 11
    assert Territory.objects.filter(kind=Territory.Kind.CITY, slug="nantes").exists()
    assert set(quartiers.filter(is_priority_area=True).values_list("slug", flat=True)) == {
        "bellevue-chantenay-sainte-anne",
        "dervallieres-zola",
        "malakoff-saint-donatien",
        "nantes-nord",
        "breil-barberie",
        "doulon-bottiere",
    }
    assert not quartiers.filter(population__isnull=True).exists()


def test_processes_cover_every_state(demo: None) -> None:
    processes = list(Process.objects.prefetch_related("phases"))
    assert len(processes) >= 12
    states = {process.state() for process in processes if process.is_published}
    assert states == {"upcoming", "open", "closed"}
    assert Process.objects.filter(territory__kind=Territory.Kind.CITY).exists()
    kinds = {phase.kind for p in processes if (phase := p.current_phase()) is not None}
    assert {"collect", "support", "analysis", "followup"} <= kinds
    assert all(p.falc_summary and p.rules_open and p.description_html for p in processes)


def test_every_decided_proposal_has_an_answer(demo: None) -> None:
    assert Proposal.objects.count() >= 60
    decided = Proposal.objects.filter(status__in=DECISION_STATUSES)
    assert decided.exists()
    assert not decided.filter(answers__isnull=True).exists()
    assert Answer.objects.exclude(body_html="").count() == Answer.objects.count()
    assert Commitment.objects.exists() and CommitmentUpdate.objects.exists()
    overdue = [c for c in Commitment.objects.all() if c.is_overdue]
    assert overdue, "the demo shows late commitments too"


def test_counters_equal_real_counts(demo: None) -> None:
    mismatched = Proposal.objects.annotate(
        real_supports=Count("supports", distinct=True), real_comments=Count("comments", distinct=True)
    ).exclude(Q(support_count=F("real_supports")) & Q(comment_count=F("real_comments")))
    assert not mismatched.exists()
    assert Proposal.objects.filter(support_count__gt=0).exists()


def test_threads_moderation_and_paper(demo: None) -> None:
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert not replies.filter(root__isnull=True).exists()
    assert Comment.objects.filter(is_hidden=True).exclude(hidden_reason="").exists()
    assert Comment.objects.filter(reports__resolved_at__isnull=True).exists()
    assert Proposal.objects.filter(is_paper=True, author__isnull=True).exclude(paper_author_name="").exists()


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_demo_accounts_can_log_in(demo: None, email: str) -> None:
    assert Client().login(username=email, password="demo-archipel-2026")


def test_roles_and_superuser(demo: None) -> None:
    roles = dict(RoleAssignment.objects.values_list("user__email", "role"))
    assert roles["agent@demo.archipel.fr"] == "agent"
    assert roles["elue@demo.archipel.fr"] == "elu"
    assert roles["moderation@demo.archipel.fr"] == "moderator"
    assert User.objects.get(email="admin@demo.archipel.fr").is_superuser
    assert User.objects.filter(email__startswith="habitant", is_superuser=False).count() >= 150


def test_if_empty_is_idempotent(demo: None) -> None:
    count = Proposal.objects.count()
    call_command("demo_city", if_empty=True, size="small")
    assert Proposal.objects.count() == count
    with pytest.raises(CommandError):
        call_command("demo_city", size="small")


def test_each_located_proposal_is_where_its_title_and_quartier_say(demo: None) -> None:
    # Issue 8, item 16: a proposal's address, title and map marker name the same place, in its quartier.
    from apps.core.management.commands import _demo_data as data

    centres = {quartier["name"]: quartier["centre"] for quartier in data.QUARTIERS}
    places = {quartier["name"]: set(quartier["places"]) for quartier in data.QUARTIERS}
    located = Proposal.objects.exclude(latitude=None).select_related("territory")
    assert located.count() > 20
    for proposal in located:
        assert proposal.territory is not None and proposal.latitude is not None and proposal.longitude is not None
        quartier = proposal.territory.name
        assert proposal.address in places[quartier], (proposal.address, quartier)
        assert proposal.title.endswith(f", {proposal.address}"), (proposal.title, proposal.address)
        point = (float(proposal.latitude), float(proposal.longitude))
        nearest = min(centres, key=lambda name: (centres[name][0] - point[0]) ** 2 + (centres[name][1] - point[1]) ** 2)
        assert nearest == quartier, (proposal.title, point, quartier, nearest)


def test_answers_name_each_service_with_its_article(demo: None) -> None:
    # « la Pôle de proximité » read wrong: a pôle is masculine.
    from apps.followup.models import CommitmentUpdate as Update

    texts = list(Answer.objects.values_list("body", flat=True)) + list(Update.objects.values_list("body", flat=True))
    assert texts and not [text for text in texts if "la pôle" in text.lower()]


def test_quartiers_have_outlines_and_every_placed_item_lies_in_its_quartier(demo: None) -> None:
    # Issue 10, item 4: the map click finds the quartier by point in polygon on these outlines.
    from apps.budgets.models import Project
    from apps.core import geo

    quartiers = Territory.objects.filter(kind=Territory.Kind.QUARTIER)
    assert quartiers.count() == 11 and not quartiers.filter(boundary=None).exists()
    assert Territory.objects.get(kind=Territory.Kind.CITY).boundary
    for proposal in Proposal.objects.exclude(latitude=None).select_related("territory"):
        assert proposal.territory is not None and proposal.latitude is not None and proposal.longitude is not None
        assert geo.contains(proposal.territory.boundary, latitude=proposal.latitude, longitude=proposal.longitude)
    projects = (
        Project.objects.exclude(latitude=None).exclude(envelope__territory=None).select_related("envelope__territory")
    )
    assert projects.count() > 10
    for project in projects:
        assert project.envelope.territory is not None
        assert project.latitude is not None and project.longitude is not None
        outline = project.envelope.territory.boundary
        assert geo.contains(outline, latitude=project.latitude, longitude=project.longitude), project.title
