"""Exact public verification: the engine runs on the published pseudonymised pool file, so anyone
with the report, that file and the quotas re-runs the draw and finds the panel, member by member."""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.sortition import bridge, services
from apps.sortition.engine import draw_alternates, draw_panel, read_pool
from apps.sortition.engine.quotas import build_types
from apps.sortition.engine.report import distribution_from_report
from apps.sortition.engine.verify import main as verify_main
from apps.sortition.models import Draw, PoolMember
from tests.conftest import Personas
from tests.sortition.factories import CATEGORIES, MARKER_EMAIL, announce, people_csv

pytestmark = pytest.mark.django_db

SEED = "04 17 22 31 45"


def _download(client: Client, draw: Draw, tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name, filename in (
        ("report", "rapport.json"),
        ("pool", "liste-pseudonymisee.csv"),
        ("categories", "quotas.csv"),
    ):
        response = client.get(reverse(f"sortition:{name}", kwargs={"slug": draw.slug}))
        assert response.status_code == 200, name
        files[name] = tmp_path / filename
        files[name].write_bytes(response.content)
    return files


def _verify(files: dict[str, Path]) -> int:
    return verify_main([str(files["report"]), "--people", str(files["pool"]), "--categories", str(files["categories"])])


@pytest.fixture
def published(make_draw: Callable[..., Draw]) -> Draw:
    draw = make_draw("drawn", people=people_csv(bom=True, sep=";"))
    Draw.objects.filter(pk=draw.pk).update(is_published=True)
    draw.refresh_from_db()
    return draw


def test_downloaded_files_verify_the_exact_panel(
    published: Draw, client_for: Callable[[User | None], Client], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _download(client_for(None), published, tmp_path)
    assert _verify(files) == 0, capsys.readouterr().out
    assert "Tirage vérifié" in capsys.readouterr().out
    selected = sorted(published.members.filter(status=PoolMember.Status.SELECTED).values_list("pseudonym", flat=True))
    report = json.loads(files["report"].read_text(encoding="utf-8"))
    assert report["panel"] == selected and len(selected) == published.panel_size
    # What the verifier recomputes from the three files is that very panel.
    pool = read_pool(files["pool"], files["categories"])
    assert pool.people_sha256 == report["files"]["respondents_sha256"] == published.pool_sha256
    assert hashlib.sha256(files["pool"].read_bytes()).hexdigest() == published.pool_sha256
    distribution = distribution_from_report(report, build_types(pool))
    assert sorted(draw_panel(distribution, report["seed"])) == selected
    assert set(report["probabilities"]) == set(pool.ids)


def test_command_line_verifier_in_a_separate_process(
    published: Draw, client_for: Callable[[User | None], Client], tmp_path: Path
) -> None:
    files = _download(client_for(None), published, tmp_path)
    command = [sys.executable, "-m", "apps.sortition.engine.verify", str(files["report"])]
    command += ["--people", str(files["pool"]), "--categories", str(files["categories"])]
    result = subprocess.run(command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tirage vérifié" in result.stdout


def test_a_changed_seed_in_the_report_fails(
    published: Draw, client_for: Callable[[User | None], Client], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _download(client_for(None), published, tmp_path)
    report = json.loads(files["report"].read_text(encoding="utf-8"))
    report["seed"] = "04 17 22 31 46"
    files["report"].write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert _verify(files) == 1
    assert "NON vérifié" in capsys.readouterr().out


def test_a_changed_row_of_the_pool_file_fails(
    published: Draw, client_for: Callable[[User | None], Client], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _download(client_for(None), published, tmp_path)
    lines = files["pool"].read_text(encoding="utf-8").split("\n")
    pseudonym, genre, age = lines[3].split(",")
    lines[3] = ",".join([pseudonym, genre, "jeune" if age == "senior" else "senior"])
    files["pool"].write_text("\n".join(lines), encoding="utf-8")
    assert _verify(files) == 1
    assert "empreinte SHA-256" in capsys.readouterr().out


def test_another_panel_in_the_report_fails_member_by_member(
    published: Draw, client_for: Callable[[User | None], Client], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _download(client_for(None), published, tmp_path)
    report = json.loads(files["report"].read_text(encoding="utf-8"))
    # Swap a drawn member for a member of the same profile who was not drawn: same composition,
    # so only a check of the exact people can see it.
    members = {m.pseudonym: m.features for m in published.members.all()}
    drawn = report["panel"][0]
    twin = next(p for p, f in members.items() if f == members[drawn] and p not in report["panel"])
    report["panel"] = sorted([twin, *report["panel"][1:]])
    files["report"].write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert _verify(files) == 1
    assert "Le panel publié n'est pas celui" in capsys.readouterr().out


def test_the_public_pool_file_holds_no_personal_data(
    published: Draw, client_for: Callable[[User | None], Client]
) -> None:
    content = client_for(None).get(reverse("sortition:pool", kwargs={"slug": published.slug})).content
    text = content.decode("utf-8")
    for secret in (MARKER_EMAIL, "Nom Personne 7", "06 00 00 00 07", "E0007", "exemple.fr", "E00"):
        assert secret not in text, secret
    lines = text.split("\n")
    assert lines[0] == "pool_member_identifier,genre,age" and lines[-1] == ""
    rows = [line.split(",") for line in lines[1:-1]]
    assert len(rows) == 30 and "\r" not in text and not content.startswith(b"\xef\xbb\xbf")
    assert [row[0] for row in rows] == sorted(published.members.values_list("pseudonym", flat=True))
    seven = published.members.get(identifier="E0007")
    assert [seven.pseudonym, seven.features["genre"], seven.features["age"]] in rows


def test_pool_file_is_deterministic_and_survives_the_purge(
    published: Draw, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("sortition:pool", kwargs={"slug": published.slug})
    before = client_for(None).get(url).content
    rebuilt = bridge.public_pool_csv(
        bridge.categories_of(published.categories_csv),
        [(m.pseudonym, m.features) for m in published.members.order_by("?")],
    )
    assert rebuilt.encode("utf-8") == before
    assert services.purge_personal_data(today=published.purge_on) == 1
    published.refresh_from_db()
    assert published.purged_at is not None
    assert client_for(None).get(url).content == before
    assert published.pool_sha256 == hashlib.sha256(before).hexdigest()


def test_pool_file_is_public_only_once_the_seed_is_announced(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("computed")
    url = reverse("sortition:pool", kwargs={"slug": draw.slug})
    agent = client_for(personas["agent"])
    assert draw.pool_csv and agent.get(url).status_code == 404
    detail = agent.get(reverse("sortition:detail", kwargs={"slug": draw.slug})).content.decode()
    assert url not in detail
    announce(draw, personas["agent"])
    # The announcement publishes the page and the pool file at once.
    assert agent.get(url).status_code == 200
    assert client_for(None).get(url).status_code == 200
    detail = client_for(None).get(reverse("sortition:detail", kwargs={"slug": draw.slug})).content.decode()
    assert url in detail and draw.pool_sha256 in detail and draw.people_sha256 in detail
    assert f"--people tirage-{draw.slug}-liste-pseudonymisee.csv" in detail


def test_alternates_are_the_engines_on_the_public_pool(published: Draw, personas: Personas) -> None:
    agent = personas["agent"]
    panel = sorted(published.members.filter(status=PoolMember.Status.SELECTED).values_list("pseudonym", flat=True))
    declined = published.members.get(pseudonym=panel[0])
    services.member_set_status(actor=agent, member=declined, status=PoolMember.Status.DECLINED)
    attempt = services.alternates_draw(actor=agent, draw=published)
    pool = bridge.public_pool(published.pool_csv, published.categories_csv)
    expected = draw_alternates(pool, panel, [declined.pseudonym], f"{SEED}#1")
    assert attempt.outcome["replacements"] == expected
    assert published.members.get(pseudonym=expected[declined.pseudonym]).replaces_id == declined.pk


def test_pseudonyms_are_unique_within_a_draw(
    published: Draw, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = published.members.first()
    assert member is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        PoolMember.objects.create(draw=published, identifier="autre", pseudonym=member.pseudonym)
    # A collision at import time changes the secret key instead.
    real = bridge.unique_pseudonyms
    calls: list[str] = []

    def collide_once(salt: str, identifiers: list[str]) -> dict[str, str] | None:
        calls.append(salt)
        return None if len(calls) == 1 else real(salt, identifiers)

    monkeypatch.setattr(bridge, "unique_pseudonyms", collide_once)
    draw = Draw.objects.create(
        title="Autre",
        slug="autre-panel",
        territory=published.territory,
        panel_size=6,
        list_source=Draw.ListSource.ELECTORAL_ROLL,
        legal_basis="Mission d'intérêt public.",
        purge_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    services.pool_import(actor=personas["agent"], draw=draw, people=people_csv(), categories=CATEGORIES)
    draw.refresh_from_db()
    assert len(calls) == 2 and calls[0] != calls[1] == draw.pseudonym_salt
    assert draw.members.get(identifier="E0001").pseudonym == bridge.pseudonym_for(draw.pseudonym_salt, "E0001")


def test_migration_moves_pending_draws_to_the_public_pool_file(make_draw: Callable[..., Draw]) -> None:
    from importlib import import_module

    migration = import_module("apps.sortition.migrations.0003_public_pool_file")
    draw = make_draw("announced")
    pool_csv, distribution = draw.pool_csv, draw.distribution
    assert distribution is not None
    names = dict(draw.members.values_list("pseudonym", "identifier"))
    # A draw as it was before: no public file, a distribution on the identifiers of the list.
    legacy = {
        **distribution,
        "type_members": [[names[p] for p in group] for group in distribution["type_members"]],
        "probabilities": {names[p]: v for p, v in distribution["probabilities"].items()},
    }
    Draw.objects.filter(pk=draw.pk).update(pool_csv="", pool_sha256="", distribution=legacy)
    drawn = make_draw("drawn")
    Draw.objects.filter(pk=drawn.pk).update(pool_csv="", pool_sha256="")
    migration.forwards(django_apps, None)
    draw.refresh_from_db()
    assert draw.pool_csv == pool_csv and draw.distribution == distribution
    assert draw.pool_sha256 == hashlib.sha256(pool_csv.encode()).hexdigest()
    # Drawn before: its report stays on the list identifiers and it gets no public pool file;
    # its alternates are still drawn on the identifiers, as its final draw was.
    drawn.refresh_from_db()
    assert drawn.pool_csv == "" and services.member_key(drawn) == "identifier"
    selected = sorted(drawn.members.filter(status=PoolMember.Status.SELECTED).values_list("identifier", flat=True))
    decliner = drawn.members.get(identifier=selected[0])
    agent = drawn.created_by
    assert agent is not None
    services.member_set_status(actor=agent, member=decliner, status=PoolMember.Status.DECLINED)
    attempt = services.alternates_draw(actor=agent, draw=drawn)
    expected = draw_alternates(services.load_pool(drawn), selected, [selected[0]], f"{SEED}#1")
    replacement = drawn.members.get(identifier=expected[selected[0]])
    assert attempt.outcome["replacements"] == {decliner.pseudonym: replacement.pseudonym}
