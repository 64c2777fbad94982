"""Polis openData interchange: round trips, the openData quirks, and clear errors on bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from apps.consultations.opinion.synthetic import planted_conversation
from apps.consultations.polis_csv import (
    PolisComment,
    PolisFormatError,
    PolisVotes,
    read_comments,
    read_participants_votes,
    read_votes,
    write_comments,
    write_participants_votes,
    write_votes,
)


def _same(a: object, b: object) -> None:
    for name in ("participant_ids", "statement_ids", "rows", "cols", "values"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_votes_round_trip() -> None:
    matrix = planted_conversation(participants=60, statements=12, votes=500, seed=2).matrix
    votes = PolisVotes(
        timestamps=np.arange(matrix.n_votes, dtype=np.int64) * 1000,
        comment_ids=matrix.statement_ids[matrix.cols],
        voter_ids=matrix.participant_ids[matrix.rows],
        votes=matrix.values.astype(np.int64),
    )
    text = write_votes(votes)
    assert text.startswith("timestamp,datetime,comment-id,voter-id,vote\n")
    _same(read_votes(io.StringIO(text)).matrix(), matrix)


def test_participants_votes_round_trip_keeps_groups_and_unseen_cells() -> None:
    matrix = planted_conversation(participants=40, statements=9, votes=200, seed=3).matrix
    groups = np.where(np.arange(matrix.shape[0]) % 4 == 0, -1, np.arange(matrix.shape[0]) % 3)
    text = write_participants_votes(matrix, groups=groups)
    back = read_participants_votes(io.StringIO(text))
    _same(back.matrix, matrix)
    assert back.group_ids == {int(p): int(g) for p, g in zip(matrix.participant_ids, groups, strict=True) if g >= 0}
    header, first = text.splitlines()[:2]
    assert header.startswith("participant,group-id,n-comments,n-votes,n-agree,n-disagree,")
    cells = first.split(",")
    assert int(cells[3]) == sum(1 for cell in cells[6:] if cell != "")


def test_comments_round_trip_with_quotes_newlines_and_unicode() -> None:
    comments = [
        PolisComment(
            comment_id=0, author_id=4, body="Des « bancs » à l'ombre,\nprès de l'école", moderated=1, timestamp=5
        ),
        PolisComment(comment_id=3, author_id=9, body='Il a dit "non"', moderated=-1, agrees=2, disagrees=1),
    ]
    assert read_comments(io.StringIO(write_comments(comments))) == comments


def test_later_vote_wins_and_moderated_out_statements_are_dropped() -> None:
    votes = read_votes(
        io.StringIO(
            "timestamp,datetime,comment-id,voter-id,vote\n"
            "200,,0,5,-1\n"
            "100,,0,5,1\n"  # earlier, listed later: loses
            "150,,1,5,1\n"
            "150,,2,5,1\n"
        )
    )
    comments = [PolisComment(0, 1, "a", 1), PolisComment(1, 1, "b", -1), PolisComment(2, 1, "c", 0)]
    matrix = votes.matrix(comments)
    assert list(matrix.statement_ids) == [0, 2]
    assert sorted(zip(matrix.cols.tolist(), matrix.values.tolist(), strict=True)) == [(0, -1), (1, 1)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("timestamp,comment-id,vote\n1,2,1\n", "colonnes manquantes dans votes.csv : voter-id"),
        ("comment-id,voter-id,vote\n1,2,5\n", "Ligne 2 : un vote vaut 1"),
        ("comment-id,voter-id,vote\n1,٣,1\n", "Ligne 2 : la colonne « voter-id » doit être un nombre entier"),
        ("comment-id,voter-id,vote\n1,1_0,1\n", "Ligne 2 : la colonne « voter-id »"),
        ("comment-id,voter-id,vote\n1,2,1\n3,4\n", "Ligne 3 : 2 colonnes au lieu de 3"),
        ("comment-id,voter-id,vote\n1,2\x00,1\n", "Ligne 2 : la colonne « voter-id »"),
        ("", "est vide"),
    ],
)
def test_bad_votes_files_get_a_french_error_with_the_line(text: str, message: str) -> None:
    with pytest.raises(PolisFormatError, match=message):
        read_votes(io.StringIO(text))


def test_an_oversized_field_is_a_clear_error() -> None:
    text = "comment-id,author-id,moderated,comment-body\n1,1,1," + "x" * 200_000 + "\n"
    with pytest.raises(PolisFormatError, match="CSV illisible"):
        read_comments(io.StringIO(text))
    with pytest.raises(PolisFormatError, match="Ligne 2 : 2 colonnes au lieu de 8"):
        read_participants_votes(io.StringIO("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n1,0\n"))


def test_duplicate_comment_ids_are_refused() -> None:
    text = "comment-id,author-id,moderated,comment-body\n1,1,1,a\n1,2,1,b\n"
    with pytest.raises(PolisFormatError, match="Ligne 3 : l'identifiant de contribution 1 apparaît deux fois"):
        read_comments(io.StringIO(text))


def test_opinion_map_command_prints_the_json_the_issue_describes(tmp_path: Path) -> None:
    planted = planted_conversation(participants=200, statements=30, votes=5000, fidelity=0.95, pass_rate=0.05, seed=6)
    matrix = planted.matrix
    votes = PolisVotes(
        timestamps=np.zeros(matrix.n_votes, dtype=np.int64),
        comment_ids=matrix.statement_ids[matrix.cols],
        voter_ids=matrix.participant_ids[matrix.rows] + 1000,
        votes=matrix.values.astype(np.int64),
    )
    moderated_out = 7
    comments = [PolisComment(int(s), 1, f"avis {s}", -1 if s == moderated_out else 1) for s in matrix.statement_ids]
    (tmp_path / "votes.csv").write_text(write_votes(votes), encoding="utf-8")
    (tmp_path / "comments.csv").write_text(write_comments(comments), encoding="utf-8")
    out = io.StringIO()
    call_command("opinion_map", comments=tmp_path / "comments.csv", votes=tmp_path / "votes.csv", json=True, stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"participants", "groups", "consensus", "representative", "seconds"}
    assert result["participants"] == matrix.shape[0]
    assert len(result["groups"]) == 3 == len(result["representative"])
    placed = [voter for group in result["groups"] for voter in group]
    assert len(placed) == len(set(placed)) == result["in_conversation"]
    assert min(placed) >= 1000  # the CSV's voter ids, not row numbers
    every = {s for group in result["representative"] for s in group} | set(result["consensus"])
    assert moderated_out not in every and every <= {int(s) for s in matrix.statement_ids}


def test_opinion_map_command_reports_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text("comment-id,voter-id,vote\nx,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Ligne 2 : la colonne « comment-id »"):
        call_command("opinion_map", votes=tmp_path / "votes.csv")
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("opinion_map", votes=tmp_path / "absent.csv")
