"""Issue 8, item 8: a draw seed that nobody can choose.

The announcement names a future public event (and optionally commits to a secret), publishes the
page and the hashes of the pool file and of the distribution; the draw is refused until the
event's result is known; the report carries the timeline, which the verifier checks.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from apps.accounts.models import User
from apps.core.models import AuditLogEntry
from apps.sortition import services
from apps.sortition.engine import timeline
from apps.sortition.engine.verify import main as verify_main
from apps.sortition.models import Draw, PoolMember
from tests.conftest import Personas
from tests.sortition.factories import EVENT, RESULT, announce, event_passed

pytestmark = pytest.mark.django_db


def _files(client: Client, draw: Draw, tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name in ("report", "pool", "categories"):
        response = client.get(reverse(f"sortition:{name}", kwargs={"slug": draw.slug}))
        assert response.status_code == 200, name
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_bytes(response.content)
    return files


def _verify(files: dict[str, Path]) -> int:
    return verify_main([str(files["report"]), "--people", str(files["pool"]), "--categories", str(files["categories"])])


def test_drawing_before_the_event_is_refused_by_the_service(make_draw: Callable[..., Draw], personas: Personas) -> None:
    draw = make_draw("announced")
    with pytest.raises(ValidationError) as error:
        services.draw_final(actor=personas["agent"], draw=draw, event_result=RESULT)
    assert "le tirage est impossible avant" in str(error.value) and EVENT in str(error.value)
    draw.refresh_from_db()
    assert draw.state == Draw.State.COMPUTED and not draw.seed and not draw.members.filter(status="selected").exists()
    assert AuditLogEntry.objects.filter(action="sortition.final_refused", target_id=str(draw.pk)).exists()
    event_passed(draw)
    services.draw_final(actor=personas["agent"], draw=draw, event_result=RESULT)
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAWN and draw.seed == RESULT


def test_drawing_an_unannounced_or_unpublished_draw_is_refused(
    make_draw: Callable[..., Draw], personas: Personas
) -> None:
    agent = personas["agent"]
    draw = make_draw("computed")
    with pytest.raises(ValidationError, match="Annoncez d'abord le tirage"):
        services.draw_final(actor=agent, draw=draw, event_result=RESULT)
    announce(draw, agent)
    draw.refresh_from_db()
    assert draw.is_published  # the announcement publishes the page
    with pytest.raises(ValidationError, match="sa page reste publique"):
        services.draw_publish(actor=agent, draw=draw, published=False)
    # Even if the page went offline behind the services' back, the draw is refused.
    event_passed(draw)
    Draw.objects.filter(pk=draw.pk).update(is_published=False)
    with pytest.raises(ValidationError, match="doit être en ligne depuis l'annonce"):
        services.draw_final(actor=agent, draw=draw, event_result=RESULT)


def test_announcement_needs_a_future_event_and_a_valid_commitment(
    make_draw: Callable[..., Draw], personas: Personas
) -> None:
    agent = personas["agent"]
    draw = make_draw("computed")
    with pytest.raises(ValidationError) as error:
        services.seed_announce(
            actor=agent,
            draw=draw,
            seed_source=" ",
            seed_event_at=timezone.now() - datetime.timedelta(minutes=1),
            seed_commitment="pas une empreinte",
        )
    assert set(error.value.message_dict) == {"seed_source", "seed_event_at", "seed_commitment"}
    draw.refresh_from_db()
    assert draw.seed_announced_at is None and not draw.is_published
    announce(draw, agent)
    with pytest.raises(ValidationError, match="déjà annoncé"):
        announce(draw, agent)


def test_the_event_comes_at_least_the_minimum_notice_after_the_announcement(
    make_draw: Callable[..., Draw], personas: Personas, settings: Settings
) -> None:
    # An event an hour away leaves nobody the time to archive the published hashes before the
    # seed exists; the notice is a setting (24 h by default).
    settings.SORTITION_SEED_MIN_NOTICE_HOURS = 24
    agent = personas["agent"]
    draw = make_draw("computed")
    with pytest.raises(ValidationError, match="au moins 24 heures") as error:
        announce(draw, agent, hours=23)
    assert set(error.value.message_dict) == {"seed_event_at"}
    draw.refresh_from_db()
    assert draw.seed_announced_at is None and not draw.is_published
    settings.SORTITION_SEED_MIN_NOTICE_HOURS = 2
    assert announce(draw, agent, hours=3).seed_announced_at is not None


def test_commit_reveal_checks_the_secret_and_adds_it_to_the_event(
    make_draw: Callable[..., Draw],
    personas: Personas,
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
) -> None:
    agent = personas["agent"]
    draw = make_draw("computed")
    secret = "pomme bleue 1789"
    announce(draw, agent, commitment=hashlib.sha256(secret.encode()).hexdigest().upper())
    draw.refresh_from_db()
    assert draw.seed_mode == Draw.SeedMode.COMMIT_REVEAL
    event_passed(draw)
    for wrong in ("", "pomme bleue 1788"):
        with pytest.raises(ValidationError) as error:
            services.draw_final(actor=agent, draw=draw, event_result=RESULT, secret=wrong)
        assert "secret" in error.value.message_dict
    services.draw_final(actor=agent, draw=draw, event_result=RESULT, secret=secret)
    draw.refresh_from_db()
    assert draw.report is not None
    assert draw.seed == f"{RESULT} + {secret}" == draw.report["seed"]
    assert draw.report["timeline"]["secret"] == secret
    files = _files(client_for(None), draw, tmp_path)
    assert _verify(files) == 0
    page = client_for(None).get(draw.get_absolute_url()).content.decode()
    assert draw.seed_commitment in page and secret in page


def test_hashes_shown_are_those_of_the_files(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("announced")
    anonymous = client_for(None)
    page = anonymous.get(draw.get_absolute_url()).content.decode()
    pool = anonymous.get(reverse("sortition:pool", kwargs={"slug": draw.slug})).content
    lottery = anonymous.get(reverse("sortition:distribution", kwargs={"slug": draw.slug})).content
    assert hashlib.sha256(pool).hexdigest() == draw.pool_sha256
    assert hashlib.sha256(lottery).hexdigest() == draw.distribution_sha256
    assert draw.pool_sha256 in page and draw.distribution_sha256 in page
    assert EVENT.replace("'", "&#x27;") in page and "Le tirage est impossible avant le" in page
    # After the draw, the report's timeline carries the same hashes and the page the seed.
    event_passed(draw)
    services.draw_final(actor=personas["agent"], draw=draw, event_result=RESULT)
    draw.refresh_from_db()
    report = json.loads(anonymous.get(reverse("sortition:report", kwargs={"slug": draw.slug})).content)
    assert report["timeline"]["pool_sha256"] == hashlib.sha256(pool).hexdigest()
    assert report["timeline"]["distribution_sha256"] == hashlib.sha256(lottery).hexdigest()
    assert report["format"] == "archipel-sortition-audit/2"
    page = anonymous.get(draw.get_absolute_url()).content.decode()
    assert "Résultat publié de l'événement" in page and RESULT in page


def test_distribution_file_is_not_public_before_the_announcement(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("computed")
    url = reverse("sortition:distribution", kwargs={"slug": draw.slug})
    assert client_for(personas["agent"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def _later(moment: str) -> str:
    return (datetime.datetime.fromisoformat(moment) + datetime.timedelta(hours=1)).isoformat()


TAMPERING: list[tuple[str, Any, str]] = [
    ("drawn before the event", lambda t: t.update(event_at=_later(t["drawn_at"])), "avant que"),
    ("announced after the event", lambda t: t.update(announced_at=t["event_at"]), "l'annonce n'a pas eu lieu"),
    ("other event result", lambda t: t.update(event_result="01 02 03 04 05"), "la graine n'est pas le résultat"),
    ("other pool hash", lambda t: t.update(pool_sha256="0" * 64), "l'empreinte de la liste"),
    ("other lottery hash", lambda t: t.update(distribution_sha256="0" * 64), "la loterie du rapport"),
    ("secret without commitment", lambda t: t.update(secret="x"), "aucun n'a été engagé"),
    ("unreadable date", lambda t: t.update(drawn_at="hier"), "illisible"),
    ("no timeline", lambda t: t.clear(), "origine de la graine inconnue"),
]


@pytest.mark.parametrize(("label", "change", "message"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_a_tampered_timeline_fails_the_verifier(
    label: str,
    change: Any,
    message: str,
    make_draw: Callable[..., Draw],
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draw = make_draw("drawn")
    files = _files(client_for(None), draw, tmp_path)
    assert _verify(files) == 0
    assert "Chronologie vérifiée" in capsys.readouterr().out
    report = json.loads(files["report"].read_text(encoding="utf-8"))
    change(report["timeline"])
    files["report"].write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert _verify(files) == 1
    out = capsys.readouterr().out
    assert "NON vérifié" in out and message in out, out


def test_timeline_check_is_pure_and_explains_itself() -> None:
    assert timeline.combined_seed(" 04  17 22 ") == "04 17 22"
    assert timeline.combined_seed("04 17", "s") == "04 17 + s"
    assert timeline.commitment_of("abc") == hashlib.sha256(b"abc").hexdigest()
    assert timeline.check_timeline({}, "0" * 64) == [
        "Le rapport ne contient pas la chronologie du tirage (annonce, événement public, tirage)."
    ]


def test_legacy_draw_says_its_seed_was_typed_by_the_agent(
    make_draw: Callable[..., Draw], client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("drawn")
    # What migration 0004 does to draws drawn before the timeline existed.
    Draw.objects.filter(pk=draw.pk).update(seed_mode=Draw.SeedMode.LEGACY)
    page = client_for(None).get(draw.get_absolute_url()).content.decode()
    assert "Graine saisie par l&#x27;agent (ancienne procédure" in page  # a choice label: escaped
    assert "rien ne prouve que la graine n'a pas été choisie" in page


def test_legacy_report_verifies_with_a_warning(
    make_draw: Callable[..., Draw],
    client_for: Callable[[User | None], Client],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draw = make_draw("drawn")
    files = _files(client_for(None), draw, tmp_path)
    report = json.loads(files["report"].read_text(encoding="utf-8"))
    report["format"] = "archipel-sortition-audit/1"
    del report["timeline"]
    files["report"].write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert _verify(files) == 0
    assert "rien ne prouve qu'elle n'a pas été choisie" in capsys.readouterr().out


def test_alternates_still_follow_the_seed(make_draw: Callable[..., Draw], personas: Personas) -> None:
    agent = personas["agent"]
    draw = make_draw("drawn")
    member = draw.members.filter(status=PoolMember.Status.SELECTED).first()
    assert member is not None
    services.member_set_status(actor=agent, member=member, status=PoolMember.Status.DECLINED)
    attempt = services.alternates_draw(actor=agent, draw=draw)
    assert attempt.seed == f"{RESULT}#1"
