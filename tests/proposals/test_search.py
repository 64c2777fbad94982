"""Search: French full-text on PostgreSQL (with its GIN index), word-by-word on SQLite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.core.models import Process
from apps.proposals.models import Proposal
from apps.proposals.search import INDEX_NAME, fold, search_proposals, similar_proposals


def _search(client: Client, process: Process, q: str) -> list[str]:
    response = client.get(reverse("proposals:list", args=[process.slug]), {"q": q})
    return sorted(p.title for p in response.context["page"].object_list)


@pytest.fixture
def searchable(collect_process: Process, make_proposal: Callable[..., Proposal]) -> Process:
    make_proposal(collect_process, title="Des bancs à l'ombre", body="Planter des arbres près de l'école Leloup.")
    make_proposal(collect_process, title="Piste cyclable", body="Une piste pour les vélos rue de Strasbourg.")
    make_proposal(collect_process, title="Marché du soir", body="Un marché le jeudi soir place Viarme.")
    return collect_process


def test_search_every_word_in_title_or_body(client: Client, searchable: Process) -> None:
    assert _search(client, searchable, "bancs arbres") == ["Des bancs à l'ombre"]
    assert _search(client, searchable, "piste strasbourg") == ["Piste cyclable"]
    assert _search(client, searchable, "bancs strasbourg") == []
    assert len(_search(client, searchable, "")) == 3


def test_search_is_not_injectable(client: Client, searchable: Process) -> None:
    for q in ("'; DROP TABLE proposals_proposal; --", "%", "a & | ! (", '"non fermé'):
        assert client.get(reverse("proposals:list", args=[searchable.slug]), {"q": q}).status_code == 200
    assert Proposal.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="French full-text search needs PostgreSQL")
def test_postgresql_french_stemming_and_websearch(client: Client, searchable: Process) -> None:
    assert _search(client, searchable, "pistes cyclables") == ["Piste cyclable"]  # plural stemmed
    assert _search(client, searchable, "arbre") == ["Des bancs à l'ombre"]
    assert _search(client, searchable, "marché -viarme") == []  # websearch syntax: exclusion
    assert _search(client, searchable, "bancs or marché") == ["Des bancs à l'ombre", "Marché du soir"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index exists only on PostgreSQL")
def test_postgresql_search_uses_the_gin_index(searchable: Process) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX_NAME])
        (definition,) = cursor.fetchone()
        assert "gin" in definition and "to_tsvector('french_unaccent'::regconfig" in definition
        cursor.execute("SET enable_seqscan = off")
    plan = search_proposals(Proposal.objects.all(), "arbres").explain()
    assert INDEX_NAME in plan


# --- accents (issue 8, item 15) ------------------------------------------------------------


@pytest.fixture
def accented(collect_process: Process, make_proposal: Callable[..., Proposal]) -> Process:
    make_proposal(collect_process, title="Un abri vélo", body="Devant la médiathèque.")
    make_proposal(collect_process, title="UN VÉLO POUR TOUS", body="En majuscules.")
    make_proposal(collect_process, title="Sécuriser la sortie", body="Devant l'école Leloup.")
    make_proposal(collect_process, title="Marché du soir", body="Place Viarme.")
    return collect_process


def test_search_ignores_accents_and_case(client: Client, accented: Process) -> None:
    """Runs on the configured database: ``french_unaccent`` on PostgreSQL, folding on SQLite."""
    assert _search(client, accented, "velo") == ["UN VÉLO POUR TOUS", "Un abri vélo"]
    assert _search(client, accented, "Velo") == ["UN VÉLO POUR TOUS", "Un abri vélo"]
    assert _search(client, accented, "VÉLO") == ["UN VÉLO POUR TOUS", "Un abri vélo"]
    assert _search(client, accented, "ecole") == ["Sécuriser la sortie"]
    assert _search(client, accented, "mediatheque") == ["Un abri vélo"]
    assert _search(client, accented, "marche") == ["Marché du soir"]


def test_plain_words_match_as_prefixes_of_their_stem(
    client: Client, accented: Process, make_proposal: Callable[..., Proposal]
) -> None:
    # The French stemmer keeps the -s of "vélos" (after a vowel), so "velo" found no plural.
    make_proposal(accented, title="Des arceaux à vélos", body="Rue de la Paix.")
    assert _search(client, accented, "velo") == ["Des arceaux à vélos", "UN VÉLO POUR TOUS", "Un abri vélo"]
    assert _search(client, accented, "arceau velos") == ["Des arceaux à vélos"]
    assert _search(client, accented, "médiat") == ["Un abri vélo"]
    for odd in ("٣ vélo", "l'école", "a:* | b", "\\", "é" * 500):
        assert client.get(reverse("proposals:list", args=[accented.slug]), {"q": odd}).status_code == 200
    # A NUL never reaches PostgreSQL: refused as a bad request before the view.
    assert client.get(reverse("proposals:list", args=[accented.slug]), {"q": "vé\x00lo"}).status_code == 400


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch operators need PostgreSQL")
def test_operators_keep_their_websearch_meaning(client: Client, accented: Process) -> None:
    assert _search(client, accented, "vélo -abri") == ["UN VÉLO POUR TOUS"]
    assert _search(client, accented, "abri or marché") == ["Marché du soir", "Un abri vélo"]
    assert _search(client, accented, '"abri vélo"') == ["Un abri vélo"]


def test_similar_proposals_ignore_accents(accented: Process) -> None:
    titles = {p.title for p in similar_proposals(Proposal.objects.filter(process=accented), "Garage a velo")}
    assert titles == {"Un abri vélo", "UN VÉLO POUR TOUS"}


def test_fold_removes_accents_case_and_ligatures() -> None:
    assert fold("VÉLO") == fold("vélo") == fold("Velo") == "velo"
    assert fold("École élémentaire") == "ecole elementaire"
    assert fold("Œuvre, cœur, Ærø") == "oeuvre, coeur, aerø".replace("ø", "ø")
    assert fold("ça, où, naïve, Noël") == "ca, ou, naive, noel"


def test_sqlite_fallback_matches_folded_text() -> None:
    """The SQLite path compares ``archipel_fold(title || ' ' || body)`` with folded words;
    checked on an in-memory SQLite database whatever the test database is."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.create_function("archipel_fold", 1, fold, deterministic=True)
    db.execute("CREATE TABLE p (title TEXT, body TEXT)")
    db.executemany("INSERT INTO p VALUES (?, ?)", [("Abri VÉLO", "École"), ("Marché", "soir")])
    query = "SELECT title FROM p WHERE archipel_fold(title || ' ' || body) LIKE ?"
    assert db.execute(query, [f"%{fold('velo')}%"]).fetchall() == [("Abri VÉLO",)]
    assert db.execute(query, [f"%{fold('ECOLE')}%"]).fetchall() == [("Abri VÉLO",)]
    assert db.execute(query, [f"%{fold('marche')}%"]).fetchall() == [("Marché",)]
