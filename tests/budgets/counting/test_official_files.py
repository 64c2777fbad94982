"""The official outcomes of real Pabulib elections, reproduced by ``count_official``.

Every file of bench-data/pabulib-official declares the rule its city applied and lists
the official winners (``selected`` = 1). Each file must be reproduced exactly, or be in
EXCEPTIONS with the reason it cannot be (a tie decided by lot, a data error in the file,
a rule variant described nowhere). The share of reproduced files among those that declare
a supported rule and list their winners must be at least 99 %.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from apps.budgets.counting import Election, Outcome, UnsupportedRuleError, count_official, read_pabulib
from apps.budgets.counting.official import SUPPORTED_RULES

DATA = Path("/work/shared/bench-data/pabulib-official")
FILES = sorted(DATA.glob("*.pb"))

# stem -> why its official outcome is not reproduced. Empty: every file is reproduced.
# An entry must say what differs and why (e.g. "tie between 12 and 17 (same votes, same
# cost) drawn by lot", "the PROJECTS cost of 5 is not the one the city counted").
EXCEPTIONS: dict[str, str] = {}


@cache
def election(stem: str) -> Election:
    return read_pabulib(DATA / f"{stem}.pb", lenient=True)


@cache
def official_count(stem: str) -> Outcome:
    return count_official(election(stem))


def official_winners(e: Election) -> set[str] | None:
    """The winners listed in the file, or None when it lists none."""
    if not e.projects or "selected" not in e.projects[0].extra:
        return None
    return {p.id for p in e.projects if p.extra.get("selected") == "1"}


def test_the_sample_covers_every_supported_rule_family() -> None:
    declared = {election(path.stem).meta.get("rule") for path in FILES}
    assert {
        "greedy",
        "greedy-no-skip",
        "greedy-threshold",
        "equalshares/add1",
        "equalshares/add1-comparison",
    } <= declared
    assert declared <= set(SUPPORTED_RULES)


@pytest.mark.parametrize("stem", [path.stem for path in FILES])
def test_official_outcome_is_reproduced(stem: str) -> None:
    e = election(stem)
    expected = official_winners(e)
    assert expected is not None, "every file of the sample lists its winners"
    ours = set(official_count(stem).selected)
    if stem in EXCEPTIONS:
        assert ours != expected, f"{stem} is reproduced now: remove it from EXCEPTIONS"
        return
    assert ours == expected, f"missing {sorted(expected - ours)}, extra {sorted(ours - expected)}"


def test_at_least_99_percent_of_the_elections_are_reproduced() -> None:
    counted = 0
    reproduced = 0
    for path in FILES:
        e = election(path.stem)
        expected = official_winners(e)
        if expected is None:
            continue
        try:
            outcome = official_count(path.stem)
        except UnsupportedRuleError:
            continue
        counted += 1
        reproduced += set(outcome.selected) == expected
    assert counted == len(FILES)
    assert reproduced / counted >= 0.99, f"{reproduced} of {counted}"
    assert counted - reproduced == len(EXCEPTIONS)


def test_the_variant_applied_is_named() -> None:
    assert official_count("Poland_Gdynia_2021_Wielki_Kack__small").variant == "greedy/no-skip/threshold=50"
    assert official_count("Poland_Lodz_2024_Zarzew").variant == "greedy/skip/threshold=50"
    assert official_count("Poland_Krakow_2024_Pradnik_Bialy").variant == "greedy/skip"
    assert official_count("Netherlands_Assen_2024").variant == "equal-shares/add1-until-overspend"
    wieliczka = official_count("Poland_Wieliczka_2023_Green_Budget")
    assert wieliczka.variant == "equal-shares/add1-until-overspend/comparison"
    assert any("voters prefer the Equal Shares outcome" in w for w in wieliczka.warnings)


def test_a_project_listed_twice_is_counted_once_and_reported() -> None:
    stem = "Poland_Warszawa_2026_Jelonki_Polnocne_Jelonki_Poludniowe_Chrzanow"
    warnings = official_count(stem).warnings
    assert any("voter '298577' lists a project twice" in w for w in warnings)
    # The city's "votes" column counted that ballot twice for project 1051.
    assert any("1051 (634 in the file, 633 counted)" in w for w in warnings)


def test_no_tie_decides_a_winner_in_the_sample() -> None:
    assert {path.stem: official_count(path.stem).ties for path in FILES if official_count(path.stem).ties} == {}
