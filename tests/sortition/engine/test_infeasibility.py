"""Infeasible quotas: French explanations naming the quotas, and structured relaxations."""

from __future__ import annotations

import pytest

from apps.sortition.engine import InfeasibleQuotas, QuotaRelaxation, check_quotas, leximin, read_pool

PEOPLE = ("genre,âge\n" + "femme,16-29 ans\n" * 6 + "homme,30 ans et plus\n" * 4).encode()


def quotas(femmes: tuple[int, int], jeunes: tuple[int, int], hommes: tuple[int, int] = (0, 10)) -> bytes:
    return (
        "category,feature,min,max\n"
        f"genre,femme,{femmes[0]},{femmes[1]}\ngenre,homme,{hommes[0]},{hommes[1]}\n"
        f"âge,16-29 ans,{jeunes[0]},{jeunes[1]}\nâge,30 ans et plus,0,10\n"
    ).encode()


def explain(people: bytes, categories: bytes, k: int) -> InfeasibleQuotas:
    with pytest.raises(InfeasibleQuotas) as caught:
        check_quotas(read_pool(people, categories), k)
    return caught.value


def test_cross_category_conflict_names_both_quotas() -> None:
    error = explain(PEOPLE, quotas((5, 10), (0, 3)), 6)
    assert error.explanation[0] == (
        "Impossible de respecter à la fois « genre : femme ≥ 5 » et « âge : 16-29 ans ≤ 3 » : "
        "il manque 2 personnes ; assouplir l'un de ces quotas de 2."
    )
    assert error.relaxations == [QuotaRelaxation("genre", "femme", "min", 5, 3)]
    # Applying the suggested relaxation makes the quotas feasible.
    check_quotas(read_pool(PEOPLE, quotas((3, 10), (0, 3))), 6)
    with pytest.raises(InfeasibleQuotas):
        leximin(read_pool(PEOPLE, quotas((5, 10), (0, 3))), 6)


def test_sum_of_minimums_above_panel_size() -> None:
    error = explain(PEOPLE, quotas((4, 10), (0, 10), hommes=(4, 10)), 6)
    assert error.explanation == [
        "Catégorie « genre » : la somme des minimums (8) dépasse la taille du panel (6) de 2 ; "
        "baisser des minimums de 2 au total."
    ]
    assert sum(r.current - r.suggested for r in error.relaxations) == 2


def test_sum_of_maximums_below_panel_size() -> None:
    error = explain(PEOPLE, quotas((0, 2), (0, 10), hommes=(0, 2)), 6)
    assert "Catégorie « genre » : la somme des maximums (4) est inférieure à la taille du panel (6) de 2" in str(error)
    assert all(r.bound == "max" for r in error.relaxations)


def test_minimum_above_pool_count() -> None:
    error = explain(PEOPLE, quotas((0, 10), (0, 10), hommes=(5, 10)), 6)
    assert error.explanation[0] == (
        "Impossible de respecter « genre : homme ≥ 5 » : le vivier ne compte que 4 personnes avec cette valeur ; "
        "il en manque 1, baisser ce minimum à 4."
    )
    assert error.relaxations == [QuotaRelaxation("genre", "homme", "min", 5, 4)]


def test_pool_smaller_than_panel() -> None:
    error = explain(PEOPLE, quotas((0, 20), (0, 20), hommes=(0, 20)), 11)
    assert "le vivier n'en contient que 10" in str(error)


def test_several_conflicts_are_all_explained() -> None:
    # Two conflicts: all women are young (women ≥ 4, young ≤ 2) and all men live in the
    # north (men ≥ 4, north ≤ 3); young ≤ 2 and north ≤ 3 also leave 3 seats empty.
    people = ("genre,âge,quartier\n" + "femme,jeune,Sud\n" * 6 + "homme,âgé,Nord\n" * 6).encode()
    categories = (
        "category,feature,min,max\n"
        "genre,femme,4,10\ngenre,homme,4,10\nâge,jeune,0,2\nâge,âgé,0,10\nquartier,Nord,0,3\nquartier,Sud,0,10\n"
    ).encode()
    error = explain(people, categories, 8)
    assert len(error.explanation) == 3  # two conflicts, then the overall proposal
    assert "« âge : jeune ≤ 2 » et « quartier : Nord ≤ 3 » : il manque 3 personnes" in error.explanation[0]
    assert "« genre : homme ≥ 4 » et « quartier : Nord ≤ 3 » : il manque 1 personne" in error.explanation[1]
    assert error.explanation[2].startswith("Assouplissement minimal proposé (3 personnes au total)")
    assert sum(abs(r.suggested - r.current) for r in error.relaxations) == 3
