"""Reading the pool files: errors with file and line, ids, dropped personal columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.sortition.engine import PoolError, read_pool

CATEGORIES = b"category,feature,min,max\ngenre,femme,1,2\ngenre,homme,1,2\nquartier,Nord,0,2\nquartier,Sud,0,2\n"
PEOPLE = b"nom,genre,quartier,email\nAlice,femme,Nord,a@x.fr\nBruno,homme,Sud,b@x.fr\nChlo\xc3\xa9,femme,Sud,c@x.fr\n"


def messages(error: PoolError) -> list[str]:
    return [str(issue) for issue in error.errors]


def test_reads_pool_and_drops_personal_columns() -> None:
    pool = read_pool(PEOPLE, CATEGORIES)
    assert pool.ids == ("0", "1", "2")
    assert pool.categories == ("genre", "quartier")
    assert pool.features == (("femme", "Nord"), ("homme", "Sud"), ("femme", "Sud"))
    assert pool.count("genre", "femme") == 2
    # Names and e-mails are not kept anywhere in the pool.
    assert "Alice" not in repr(pool) and "a@x.fr" not in repr(pool)
    assert len(pool.people_sha256) == 64 and len(pool.categories_sha256) == 64


def test_id_column_detected_and_explicit() -> None:
    people = b"pool_member_identifier,genre,quartier\nX7,femme,Nord\nA2,homme,Sud\n"
    assert read_pool(people, CATEGORIES).ids == ("X7", "A2")
    people = b"code,genre,quartier\nX7,femme,Nord\nA2,homme,Sud\n"
    assert read_pool(people, CATEGORIES).ids == ("0", "1")
    assert read_pool(people, CATEGORIES, id_column="code").ids == ("X7", "A2")


def test_bom_crlf_and_semicolons_are_tolerated() -> None:
    people = "\ufeffid;genre;quartier\r\n1;femme;Nord\r\n\r\n2;homme;Sud\r\n".encode()
    categories = CATEGORIES.replace(b",", b";").replace(b"\n", b"\r\n")
    pool = read_pool(b"\xef\xbb\xbf" + people.removeprefix(b"\xef\xbb\xbf"), categories)
    assert pool.ids == ("1", "2")
    assert pool.features == (("femme", "Nord"), ("homme", "Sud"))


def test_reads_paths(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_bytes(PEOPLE)
    (tmp_path / "c.csv").write_bytes(CATEGORIES)
    assert len(read_pool(str(tmp_path / "p.csv"), str(tmp_path / "c.csv")).ids) == 3


def test_unknown_value_points_at_file_and_line() -> None:
    people = b"genre,quartier\nfemme,Nord\nhomme,Nord-Est\nfemme,Sud\n"
    with pytest.raises(PoolError) as caught:
        read_pool(people, CATEGORIES)
    assert messages(caught.value) == [
        "respondents.csv, ligne 3 : valeur « Nord-Est » inconnue pour la catégorie « quartier »"
    ]


def test_collects_all_errors() -> None:
    people = b"id,genre,quartier\n1,femme,Est\n1,homme,Sud\n3,autre,Ouest\n4,,Nord\n"
    with pytest.raises(PoolError) as caught:
        read_pool(people, CATEGORIES, people_name="vivier.csv")
    found = messages(caught.value)
    assert found == [
        "vivier.csv, ligne 2 : valeur « Est » inconnue pour la catégorie « quartier »",
        "vivier.csv, ligne 3 : identifiant « 1 » en double (déjà ligne 2)",
        "vivier.csv, ligne 4 : valeur « autre » inconnue pour la catégorie « genre »",
        "vivier.csv, ligne 4 : valeur « Ouest » inconnue pour la catégorie « quartier »",
        "vivier.csv, ligne 5 : valeur manquante pour la catégorie « genre »",
    ]
    assert str(caught.value) == "\n".join(found)


def test_error_count_is_capped() -> None:
    people = b"genre,quartier\n" + b"x,y\n" * 100
    with pytest.raises(PoolError) as caught:
        read_pool(people, CATEGORIES)
    assert len(caught.value.errors) == 51
    assert "premières" in caught.value.errors[-1].message


def test_missing_column() -> None:
    with pytest.raises(PoolError) as caught:
        read_pool(b"genre,age\nfemme,30\n", CATEGORIES)
    assert messages(caught.value) == [
        "respondents.csv, ligne 1 : colonne « quartier » absente (catégorie définie dans categories.csv)"
    ]
    with pytest.raises(PoolError) as caught:
        read_pool(PEOPLE, CATEGORIES, id_column="matricule")
    assert "colonne d'identifiant « matricule » absente" in str(caught.value)


def test_category_file_errors() -> None:
    categories = b"category,feature,min,max\ngenre,femme,3,1\ngenre,homme,un,2\ngenre,femme,0,1\nquartier,Nord,-1,2\n"
    with pytest.raises(PoolError) as caught:
        read_pool(PEOPLE, categories)
    assert messages(caught.value) == [
        "categories.csv, ligne 2 : quota « genre : femme » : le min (3) dépasse le max (1)",
        "categories.csv, ligne 3 : « un » n'est pas un nombre entier (colonne min)",
        "categories.csv, ligne 4 : la valeur « femme » de la catégorie « genre » est déjà définie ligne 2",
        "categories.csv, ligne 5 : le min ne peut pas être négatif (-1)",
    ]
    with pytest.raises(PoolError) as caught:
        read_pool(PEOPLE, b"categorie,feature,max\n")
    assert "categories.csv, ligne 1 : colonne « min » absente" in str(caught.value)


SUM_MAX = "la somme des maximums (4) est inférieure à la taille du panel (5)"


def test_category_sums_checked_against_panel_size() -> None:
    with pytest.raises(PoolError) as caught:
        read_pool(PEOPLE, CATEGORIES, panel_size=5)
    assert messages(caught.value) == [
        "categories.csv, ligne 2 : catégorie « genre » : " + SUM_MAX,
        "categories.csv, ligne 4 : catégorie « quartier » : " + SUM_MAX,
    ]
    categories = b"category,feature,min,max\ngenre,femme,2,3\ngenre,homme,2,3\nquartier,Nord,0,3\nquartier,Sud,0,3\n"
    with pytest.raises(PoolError) as caught:
        read_pool(PEOPLE, categories, panel_size=3)
    assert "la somme des minimums (4) dépasse la taille du panel (3)" in str(caught.value)


@pytest.mark.parametrize(
    ("people", "categories", "expected"),
    [
        (b"", CATEGORIES, "respondents.csv : le fichier est vide"),
        (b"\n\n", CATEGORIES, "respondents.csv : le fichier est vide"),
        (b"genre,quartier\n", CATEGORIES, "respondents.csv : aucune personne dans le fichier"),
        (PEOPLE, b"", "categories.csv : le fichier est vide"),
        (PEOPLE, b"category,feature,min,max\n", "categories.csv : aucun quota n'est défini"),
        (b"genre,quartier\nfemme,Nord,en trop\n", CATEGORIES, "respondents.csv, ligne 2 : 3 valeurs pour 2 colonnes"),
    ],
)
def test_empty_and_malformed_files(people: bytes, categories: bytes, expected: str) -> None:
    with pytest.raises(PoolError) as caught:
        read_pool(people, categories)
    assert expected in str(caught.value)


def test_windows_1252_fallback() -> None:
    categories = "category,feature,min,max\nquartier,Île,0,2\nquartier,Nord,0,2\n".encode("cp1252")
    people = "quartier\nÎle\nNord\n".encode("cp1252")
    assert read_pool(people, categories).features == (("Île",), ("Nord",))
