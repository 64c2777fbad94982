"""Audit report and its verification, including the standalone verify module."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from apps.sortition.engine import __version__, audit_report, draw_panel, read_pool, verify_report
from apps.sortition.engine.verify import main as verify_main
from tests.sortition.engine.helpers import DATA, bench_leximin

SEED = "tirage public du 12 mai : 04 17 22 31 45"


def make_report(name: str) -> tuple[Any, dict[str, Any]]:
    pool, _, distribution = bench_leximin(name)
    return pool, audit_report(pool, distribution, draw_panel(distribution, SEED), SEED)


@pytest.fixture(scope="module")
def drawn() -> tuple[Any, dict[str, Any]]:
    # The small instance keeps the many re-computations of the tampering tests fast.
    return make_report("example_small_20")


def test_report_content() -> None:
    pool, report = make_report("sftest_22")
    json.dumps(report)  # JSON-serialisable
    assert report["algorithm"] == "leximin" and report["software"]["version"] == __version__
    assert report["seed"] == SEED
    raw = (DATA / "sftest_22" / "respondents.csv").read_bytes()
    assert report["files"]["respondents_sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(report["panel"]) == report["panel_size"] == 22
    assert all(q["min"] <= q["achieved"] <= q["max"] for q in report["quotas"])
    assert set(report["probabilities"]) == set(pool.ids)
    assert sum(report["distribution"]["weights"]) == pytest.approx(1.0)


def test_round_trip_verifies(drawn: tuple[Any, dict[str, Any]]) -> None:
    pool, report = drawn
    assert verify_report(json.loads(json.dumps(report)), pool) == []
    pool, report = make_report("sftest_22")
    assert verify_report(json.loads(json.dumps(report)), pool) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.update(seed="autre graine"), "n'est pas celui que donne le tirage"),
        (lambda r: r["panel"].__setitem__(0, "999"), "n'est pas celui que donne le tirage"),
        (lambda r: r["files"].update(respondents_sha256="0" * 64), "de la liste ne correspond pas"),
        (lambda r: r["quotas"][0].update(max=15), "Les quotas du rapport"),
        (lambda r: r["distribution"]["compositions"].reverse(), ""),
    ],
)
def test_tampered_report_fails(drawn: tuple[Any, dict[str, Any]], change: Any, expected: str) -> None:
    pool, report = drawn
    tampered = copy.deepcopy(report)
    change(tampered)
    problems = verify_report(tampered, pool)
    assert problems
    assert any(expected in problem for problem in problems)


def test_pseudonymised_report() -> None:
    pool, _, distribution = bench_leximin("example_small_20")
    panel = draw_panel(distribution, SEED)

    def pseudonymise(person: str) -> str:
        return hashlib.sha256(f"sel secret\n{person}".encode()).hexdigest()[:12]

    report = audit_report(pool, distribution, panel, SEED, pseudonymise=pseudonymise)
    assert not set(report["panel"]) & set(pool.ids)
    assert verify_report(report, pool, pseudonymise=pseudonymise) == []
    assert verify_report(report, pool) == []  # composition-level check without the salt
    report["panel"][0] = pseudonymise("nobody")
    assert verify_report(report, pool, pseudonymise=pseudonymise)


def test_verify_command_line(
    drawn: tuple[Any, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = drawn
    path = tmp_path / "rapport.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    files = [
        "--people",
        str(DATA / "example_small_20" / "respondents.csv"),
        "--categories",
        str(DATA / "example_small_20" / "categories.csv"),
    ]
    assert verify_main([str(path), *files]) == 0
    assert "Tirage vérifié" in capsys.readouterr().out
    path.write_text(json.dumps({**report, "seed": "truquée"}), encoding="utf-8")
    assert verify_main([str(path), *files]) == 1
    assert "Tirage NON vérifié" in capsys.readouterr().out
    other = tmp_path / "categories.csv"
    other.write_bytes((DATA / "example_small_20" / "categories.csv").read_bytes() + b"gender,other,0,0\n")
    assert verify_main([str(path), files[0], files[1], "--categories", str(other)]) == 1


def test_verify_rejects_other_pool(drawn: tuple[Any, dict[str, Any]]) -> None:
    _, report = drawn
    pool = read_pool(DATA / "sftest_22" / "respondents.csv", DATA / "sftest_22" / "categories.csv")
    assert verify_report(report, pool)
