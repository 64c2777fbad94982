"""``manage.py sortition_select``: JSON output and French errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.sortition.engine.quotas import quota_violations
from tests.sortition.engine.helpers import DATA, bench_pool


def run(*args: str) -> str:
    buffer = io.StringIO()
    call_command("sortition_select", *args, stdout=buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("algorithm", ["leximin", "legacy"])
def test_json_output(algorithm: str) -> None:
    folder = DATA / "sftest_22"
    output = run(
        "--people",
        str(folder / "respondents.csv"),
        "--categories",
        str(folder / "categories.csv"),
        "--panel-size",
        "22",
        "--seed",
        "graine publique",
        "--json",
        "--algorithm",
        algorithm,
        "--legacy-runs",
        "200",
    )
    payload = json.loads(output)
    assert set(payload) == {"selected", "probabilities", "seconds"}
    pool, k = bench_pool("sftest_22")
    assert len(payload["selected"]) == k
    assert quota_violations(pool, payload["selected"]) == []
    assert set(payload["probabilities"]) == set(pool.ids)
    assert sum(payload["probabilities"].values()) == pytest.approx(k)


def test_readable_summary_and_id_column(tmp_path: Path) -> None:
    people = tmp_path / "vivier.csv"
    people.write_text("matricule,nom,genre\nM1,Ana,femme\nM2,Paul,homme\nM3,Léa,femme\nM4,Jo,homme\n", encoding="utf-8")
    categories = tmp_path / "quotas.csv"
    categories.write_text("category,feature,min,max\ngenre,femme,1,1\ngenre,homme,1,1\n", encoding="utf-8")
    base = ["--people", str(people), "--categories", str(categories), "--panel-size", "2", "--seed", "s"]
    output = run(*base, "--id-column", "matricule")
    assert "Probabilité de sélection minimale : 0.5000" in output
    assert "genre : femme — 1 ≤ 1 ≤ 1" in output
    assert "Ana" not in output
    payload = json.loads(run(*base, "--id-column", "matricule", "--json"))
    assert set(payload["probabilities"]) == {"M1", "M2", "M3", "M4"}


def test_errors_are_french(tmp_path: Path) -> None:
    people = tmp_path / "vivier.csv"
    people.write_text("genre\nfemme\nautre\n", encoding="utf-8")
    categories = tmp_path / "quotas.csv"
    categories.write_text("category,feature,min,max\ngenre,femme,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"vivier\.csv, ligne 3 : valeur « autre » inconnue"):
        run("--people", str(people), "--categories", str(categories), "--panel-size", "1", "--seed", "s")
    categories.write_text("category,feature,min,max\ngenre,femme,2,2\ngenre,autre,0,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="dépasse la taille du panel"):
        run("--people", str(people), "--categories", str(categories), "--panel-size", "1", "--seed", "s")
