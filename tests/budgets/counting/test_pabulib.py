"""Reading and writing Pabulib files."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from pabutools.election.pabulib import parse_pabulib_from_string

from apps.budgets.counting import PabulibError, Points, read_pabulib, write_pabulib

DATA = Path("/work/shared/bench-data/pabulib")
FILES = sorted(DATA.glob("*.pb"))

GOOD = """META
key;value
budget;100
vote_type;approval
num_projects;3
num_votes;2
PROJECTS
project_id;cost;name;category
1;60;Parc;nature
2;40.0;"Rue; piétonne";mobilité
10;30;Banc;
VOTES
voter_id;vote;age
a;1,2;30
b;10;
"""


def test_real_files_are_read() -> None:
    assert len(FILES) == 7
    toulouse = read_pabulib(DATA / "France_Toulouse_2024.pb")
    assert (len(toulouse.projects), len(toulouse.ballots), toulouse.budget) == (183, 7260, 8000000)
    assert toulouse.project("245").cost == 100000  # written "100000.0" in the file
    zurich = read_pabulib(DATA / "Switzerland_Zurich_D10.pb")
    assert zurich.vote_type == "cumulative"
    assert zurich.ballots[0] == Points({"9": 4, "3": 3, "13": 3})


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_round_trip(path: Path) -> None:
    election = read_pabulib(path)
    text = write_pabulib(election)
    again = read_pabulib(text)
    assert again == election
    # pabutools reads our output as the same election.
    instance, profile = parse_pabulib_from_string(text)
    assert {p.name: Fraction(p.cost) for p in instance} == {p.id: Fraction(p.cost) for p in election.projects}
    assert Fraction(instance.budget_limit) == election.budget
    assert len(profile) == len(election.ballots)


def test_tolerates_bom_crlf_quotes_decimals_extra_columns() -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    election = read_pabulib(text.encode("utf-8"))
    assert [p.cost for p in election.projects] == [60, 40, 30]
    assert election.project("2").name == "Rue; piétonne"
    assert election.project("1").extra == {"category": "nature"}
    assert election.ballots.voter_meta is not None and election.ballots.voter_meta[0] == {"age": "30"}
    assert read_pabulib(write_pabulib(election)) == election


def test_writer_adds_selected_column() -> None:
    election = read_pabulib(GOOD)
    text = write_pabulib(election, selected={"1"})
    again = read_pabulib(text)
    assert [p.extra["selected"] for p in again.projects] == ["1", "0", "0"]


def test_fractional_amounts_round_trip() -> None:
    election = read_pabulib(GOOD.replace("1;60;", "1;60.25;").replace("budget;100", "budget;100,5"))
    assert election.project("1").cost == Fraction(241, 4)
    assert election.budget == Fraction(201, 2)
    assert read_pabulib(write_pabulib(election)) == election


@pytest.mark.parametrize(
    ("mutation", "line", "fragment"),
    [
        (lambda t: t.replace("1;60;Parc", "1;soixante;Parc"), 9, "is not a number"),
        (lambda t: t.replace("b;10;", "b;10,99;"), 15, "unknown project '99'"),
        (lambda t: t.replace("10;30;Banc;", "1;30;Banc;"), 11, "appears twice"),
        (lambda t: t.replace("num_votes;2", "num_votes;3"), 6, "declares 3 votes"),
        (lambda t: t.replace("vote_type;approval", "vote_type;magic"), 4, "unsupported vote_type"),
        (lambda t: t.replace("project_id;cost;name;category", "project_id;prix;name;category"), 8, "no 'cost'"),
        (lambda t: t.replace("a;1,2;30", "a;1,2;30;extra"), 14, "4 fields"),
        (lambda t: t.replace("a;1,2;30", "a;1,1;30"), 14, "twice"),
        (lambda t: "hello\n" + t, 1, "must start with"),
        (lambda t: t.replace("budget;100\n", ""), 11, "no 'budget'"),
        (lambda t: t.split("VOTES")[0], 11, "no VOTES section"),
    ],
)
def test_malformed_files_are_refused_with_line_and_reason(
    mutation: Callable[[str], str], line: int, fragment: str
) -> None:
    with pytest.raises(PabulibError) as caught:
        read_pabulib(mutation(GOOD))
    assert caught.value.line == line, str(caught.value)
    assert fragment in caught.value.message
    assert caught.value.message_fr and caught.value.message_fr != caught.value.message
    assert caught.value.display_fr.startswith(f"ligne {line} : ")


def test_cumulative_points_must_match_votes() -> None:
    text = (
        "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\n"
        "VOTES\nvoter_id;vote;points\nv1;1,2;3\n"
    )
    with pytest.raises(PabulibError) as caught:
        read_pabulib(text)
    assert caught.value.line == 11
    assert "2 projects but 1 points" in caught.value.message
