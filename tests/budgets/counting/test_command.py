"""The ``pb_count`` management command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.budgets.counting import count, read_pabulib

ASSEN = Path("/work/shared/bench-data/pabulib/Netherlands_Assen_2024.pb")


@pytest.mark.parametrize(
    ("args", "rule", "completion"),
    [
        (["--rule", "greedy"], "greedy", None),
        (["--rule", "equal-shares"], "equal-shares", "add1-utilitarian"),
        (["--rule", "equal-shares", "--completion", "none"], "equal-shares", None),
    ],
)
def test_json_output(args: list[str], rule: str, completion: str | None) -> None:
    out = io.StringIO()
    call_command("pb_count", str(ASSEN), *args, "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert set(payload) == {"selected", "cost", "seconds", "rule", "variant"}
    assert payload["rule"] == rule
    assert payload["variant"] == rule + (f"/{completion}" if completion else "")
    expected = count(read_pabulib(ASSEN), rule, completion)
    assert payload["selected"] == list(expected.selected)
    assert payload["cost"] == expected.cost
    assert payload["seconds"] >= 0


def test_table_output() -> None:
    out = io.StringIO()
    call_command("pb_count", str(ASSEN), "--rule", "greedy", stdout=out)
    text = out.getvalue()
    assert "greedy: 7 projects, cost 99200 of 100000" in text
    assert "not_affordable" in text


def test_malformed_file_is_a_command_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(ASSEN.read_text(encoding="utf-8").replace("3;7200;43", "3;abc;43"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 20: cost 'abc' of project '3' is not a number"):
        call_command("pb_count", str(bad), "--json", stdout=io.StringIO())


OFFICIAL = Path("/work/shared/bench-data/pabulib-official")


def test_official_rule_json_names_the_declared_rule_and_the_variant() -> None:
    out = io.StringIO()
    call_command(
        "pb_count",
        str(OFFICIAL / "Poland_Gdynia_2021_Wielki_Kack__small.pb"),
        "--rule",
        "official",
        "--json",
        stdout=out,
    )
    payload = json.loads(out.getvalue())
    assert payload["rule"] == "official"
    assert payload["declared_rule"] == "greedy-no-skip"
    assert payload["variant"] == "greedy/no-skip/threshold=50"
    assert (payload["warnings"], payload["ties"]) == ([], [])
    assert payload["selected"] == ["WIK/0018", "WIK/0023", "WIK/0022", "WIK/0015", "WIK/0013"]


def test_official_rule_table_shows_the_variant_and_the_file_quirks() -> None:
    out = io.StringIO()
    path = OFFICIAL / "Poland_Warszawa_2026_Jelonki_Polnocne_Jelonki_Poludniowe_Chrzanow.pb"
    call_command("pb_count", str(path), "--rule", "official", stdout=out)
    text = out.getvalue()
    assert text.startswith("official (greedy-threshold: greedy/skip/threshold=30)")
    assert "note: line 1391: voter '298577' lists a project twice, counted once" in text


def test_missing_file_is_a_command_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pb"
    with pytest.raises(CommandError, match=r"nowhere\.pb: no such file"):
        call_command("pb_count", str(missing), "--rule", "official", "--json", stdout=io.StringIO())


def test_unsupported_declared_rule_is_a_command_error(tmp_path: Path) -> None:
    custom = tmp_path / "custom.pb"
    custom.write_text(ASSEN.read_text(encoding="utf-8").replace("equalshares/add1", "greedy-custom"), encoding="utf-8")
    with pytest.raises(CommandError, match="rule 'greedy-custom' is not supported"):
        call_command("pb_count", str(custom), "--rule", "official", stdout=io.StringIO())
