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
    assert set(payload) == {"selected", "cost", "seconds"}
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
