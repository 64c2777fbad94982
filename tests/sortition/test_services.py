"""The services of a draw, step by step, with the real engine on small pools."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Territory
from apps.sortition import services
from apps.sortition.engine import PoolError, draw_panel, leximin, read_pool, verify_report
from apps.sortition.models import Draw, DrawAttempt, PoolMember
from tests.conftest import Personas
from tests.sortition.factories import CATEGORIES, MARKER_EMAIL, RESULT, announce, people_csv

pytestmark = pytest.mark.django_db


def _create(agent: User, quartier: Territory, **extra: Any) -> Draw:
    values: dict[str, Any] = {
        "actor": agent,
        "title": "Panel de l'atelier mobilités",
        "territory": quartier,
        "panel_size": 6,
        "list_source": Draw.ListSource.ELECTORAL_ROLL,
        "legal_basis": "Mission d'intérêt public.",
        "purge_on": timezone.localdate() + datetime.timedelta(days=100),
    }
    values.update(extra)
    return services.draw_create(**values)


def test_create_checks_purge_date_and_scope(personas: Personas, quartier: Territory, other_quartier: Territory) -> None:
    draw = _create(personas["agent"], quartier)
    assert draw.slug == "panel-de-latelier-mobilites"
    assert AuditLogEntry.objects.filter(action="sortition.draw_create", target_id=str(draw.pk)).exists()
    with pytest.raises(ValidationError) as past:
        _create(personas["agent"], quartier, purge_on=timezone.localdate())
    assert "futur" in str(past.value)
    with pytest.raises(ValidationError) as far:
        _create(personas["agent"], quartier, purge_on=timezone.localdate() + datetime.timedelta(days=800))
    assert "deux ans" in str(far.value)
    with pytest.raises(PermissionDenied):
        _create(personas["agent"], other_quartier)
    with pytest.raises(PermissionDenied):
        _create(personas["elu"], quartier)


def test_import_keeps_only_categories_for_the_engine(make_draw: Callable[..., Draw]) -> None:
    people = people_csv(sep=";", bom=True)
    draw = make_draw("pool_loaded", people=people)
    assert draw.state == Draw.State.POOL_LOADED
    assert draw.people_sha256 == hashlib.sha256(people).hexdigest()
    assert draw.categories_sha256 == hashlib.sha256(CATEGORIES).hexdigest()
    assert draw.categories_csv == CATEGORIES.decode()
    member = draw.members.get(identifier="E0007")
    assert member.features == {"genre": "femme", "age": member.features["age"]}
    assert member.personal["courriel"] == MARKER_EMAIL
    assert "pool_member_identifier" not in member.personal and "genre" not in member.personal
    assert member.pseudonym.startswith("t-") and "E0007" not in member.pseudonym
    assert draw.members.count() == 30


def test_import_errors_name_file_line_and_reason(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("draft")
    bad = people_csv().replace(b"E0003,Nom Personne 3,personne3@exemple.fr,06 00 00 00 03,homme", b"E0003,X,y,z,autre")
    with pytest.raises(PoolError) as error:
        services.pool_import(
            actor=personas["agent"], draw=draw, people=bad, categories=CATEGORIES, people_name="liste.csv"
        )
    issue = error.value.errors[0]
    assert issue.file == "liste.csv" and issue.line == 5 and "autre" in issue.message
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAFT and not draw.members.exists()


def test_infeasible_quotas_are_explained_in_french(make_draw: Callable[..., Draw]) -> None:
    categories = b"category,feature,min,max\ngenre,femme,0,6\ngenre,homme,0,6\nage,jeune,6,6\nage,senior,0,6\n"
    people = b"id,genre,age\n" + b"".join(f"P{i},femme,{'jeune' if i < 3 else 'senior'}\n".encode() for i in range(12))
    draw = make_draw("computed", people=people, categories=categories)
    assert draw.state == Draw.State.POOL_LOADED
    attempt = draw.attempts.get()
    assert attempt.kind == DrawAttempt.Kind.PREVIEW and attempt.outcome["ok"] is False
    assert any("jeune" in sentence for sentence in attempt.outcome["explanation"])
    assert services.quota_problems(draw) is not None


def test_final_draw_is_the_engines_draw_on_the_public_pool_file(make_draw: Callable[..., Draw]) -> None:
    people = people_csv()
    draw = make_draw("drawn", people=people)
    # The engine ran on the public pool file: ids are pseudonyms, its hash is the report's.
    pool = read_pool(draw.pool_csv.encode(), CATEGORIES)
    assert pool.people_sha256 == draw.pool_sha256 == hashlib.sha256(draw.pool_csv.encode()).hexdigest()
    assert draw.people_sha256 == hashlib.sha256(people).hexdigest()
    expected = draw_panel(leximin(pool, 6), "04 17 22 31 45")
    selected = set(draw.members.filter(status=PoolMember.Status.SELECTED).values_list("pseudonym", flat=True))
    assert draw.report is not None
    assert selected == set(expected) == set(draw.report["panel"])
    assert draw.state == Draw.State.DRAWN and draw.report
    assert draw.report["pseudonymised"] is False  # the report names members as the published file does
    assert draw.report["files"]["respondents_sha256"] == draw.pool_sha256
    assert draw.report["files"]["imported_sha256"] == draw.people_sha256
    assert set(draw.report["probabilities"]) == set(draw.members.values_list("pseudonym", flat=True))
    assert verify_report(draw.report, pool) == []
    # Probabilities are stored per member and match the engine.
    assert abs(sum(p or 0.0 for p in draw.members.values_list("probability", flat=True)) - 6) < 1e-6


def test_final_draw_needs_an_announced_seed(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("computed")
    with pytest.raises(ValidationError) as error:
        services.draw_final(actor=personas["agent"], draw=draw, event_result="1 2 3")
    assert "Annoncez d'abord le tirage" in str(error.value)
    assert AuditLogEntry.objects.filter(action="sortition.final_refused").exists()


def test_second_final_draw_is_refused_and_logged(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("drawn")
    before = list(draw.members.filter(status=PoolMember.Status.SELECTED).values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.draw_final(actor=personas["agent"], draw=draw, event_result=RESULT)
    assert AuditLogEntry.objects.filter(action="sortition.final_refused", target_id=str(draw.pk)).count() == 1
    assert list(draw.members.filter(status=PoolMember.Status.SELECTED).values_list("pk", flat=True)) == before
    assert draw.attempts.filter(kind="final").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawAttempt.objects.create(draw=draw, kind=DrawAttempt.Kind.FINAL, seed="autre")


def test_announced_seed_freezes_pool_and_seed(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("announced")
    with pytest.raises(ValidationError):
        services.pool_import(actor=personas["agent"], draw=draw, people=people_csv(seed=2), categories=CATEGORIES)
    with pytest.raises(ValidationError):
        services.probabilities_request(actor=personas["agent"], draw=draw)
    with pytest.raises(ValidationError):
        announce(draw, personas["agent"])


def _quota_ok(draw: Draw) -> bool:
    active = list(draw.members.filter(status__in=services.ACTIVE))
    for category, feature, low, high in (("genre", "femme", 3, 3), ("genre", "homme", 3, 3)):
        count = sum(1 for m in active if m.features[category] == feature)
        if not low <= count <= high:
            return False
    ages = [m.features["age"] for m in active]
    return len(active) == 6 and 2 <= ages.count("jeune") <= 4


def test_alternates_replace_decliners_and_keep_quotas(make_draw: Callable[..., Draw], personas: Personas) -> None:
    agent = personas["agent"]
    draw = make_draw("drawn")
    first, second = draw.members.filter(status=PoolMember.Status.SELECTED)[:2]
    services.member_set_status(actor=agent, member=first, status=PoolMember.Status.INVITED)
    services.member_set_status(actor=agent, member=first, status=PoolMember.Status.DECLINED)
    services.member_set_status(actor=agent, member=second, status=PoolMember.Status.DECLINED)
    attempt = services.alternates_draw(actor=agent, draw=draw)
    assert attempt.kind == DrawAttempt.Kind.ALTERNATES and attempt.seed == "04 17 22 31 45#1"
    assert len(attempt.outcome["replacements"]) == 2
    assert _quota_ok(draw)
    replacement = draw.members.get(replaces=first)
    assert replacement.status == PoolMember.Status.ALTERNATE
    # A replacement who declines in turn is replaced with the next seed, never by a former decliner.
    services.member_set_status(actor=agent, member=replacement, status=PoolMember.Status.DECLINED)
    again = services.alternates_draw(actor=agent, draw=draw)
    assert again.seed == "04 17 22 31 45#2"
    assert _quota_ok(draw)
    new = draw.members.get(replaces=replacement)
    assert new.pk not in (first.pk, second.pk)
    with pytest.raises(ValidationError):
        services.alternates_draw(actor=agent, draw=draw)


def test_status_transitions_are_checked(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("drawn")
    member = draw.members.filter(status=PoolMember.Status.POOL).first()
    selected = draw.members.filter(status="selected").first()
    assert member is not None and selected is not None
    with pytest.raises(ValidationError):
        services.member_set_status(actor=personas["agent"], member=member, status=PoolMember.Status.CONFIRMED)
    with pytest.raises(PermissionDenied):
        services.member_set_status(actor=personas["elu"], member=selected, status="confirmed")


def test_large_pools_are_computed_by_the_task(
    make_draw: Callable[..., Draw],
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    draw = make_draw("pool_loaded")
    monkeypatch.setattr(services, "SYNC_COMPUTE_LIMIT", 10)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draw = services.probabilities_request(actor=personas["agent"], draw=draw)
    assert draw.state == Draw.State.COMPUTING
    with pytest.raises(ValidationError):  # nothing else while it runs
        services.probabilities_request(actor=personas["agent"], draw=draw)
    for callback in callbacks:
        callback()  # huey runs immediately in tests
    draw.refresh_from_db()
    assert draw.state == Draw.State.COMPUTED
    assert draw.attempts.filter(kind="preview").count() == 1
