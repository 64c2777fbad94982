"""Polis openData interchange: ``comments.csv``, ``votes.csv`` and ``participants-votes.csv`` in
the format of github.com/compdemocracy/openData, read and written.

Votes are 1 (agree), -1 (disagree), 0 (pass) in all three files. In ``votes.csv`` a participant
who changed their mind has several rows for one statement: the latest timestamp wins (the file
order breaks ties). Statements with ``moderated`` = -1 are left out of the vote matrix; those that
had votes are counted in ``VoteMatrix.withdrawn``, as Polis keeps their columns zeroed.

Errors name the line and say what is wrong, in French (an agent imports these files).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from apps.consultations.opinion import VoteMatrix

COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANTS_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


class PolisFormatError(ValueError):
    pass


@dataclass(frozen=True)
class PolisComment:
    comment_id: int
    author_id: int
    body: str
    moderated: int  # 1 accepted, 0 not yet moderated, -1 moderated out
    timestamp: int = 0
    datetime: str = ""
    agrees: int = 0
    disagrees: int = 0


@dataclass(frozen=True)
class PolisVotes:
    timestamps: NDArray[np.int64]
    comment_ids: NDArray[np.int64]
    voter_ids: NDArray[np.int64]
    votes: NDArray[np.int64]

    def matrix(self, comments: Iterable[PolisComment] | None = None) -> VoteMatrix:
        """The vote matrix on the statements not moderated out (all voted ones without comments); the
        moderated-out statements that had votes are counted in ``withdrawn``."""
        order = np.argsort(self.timestamps, kind="stable")
        kept = None if comments is None else [c.comment_id for c in comments if c.moderated >= 0]
        return VoteMatrix.from_votes(
            self.voter_ids[order], self.comment_ids[order], self.votes[order], statement_ids=kept
        )


def _integer(value: str, *, line: int, column: str) -> int:
    text = value.strip()
    # int() accepts Unicode digits ("٣") and underscores ("1_0"): ids are plain ASCII digits.
    body = text[1:] if text[:1] == "-" else text
    if not body or not body.isascii() or not body.isdigit():
        raise PolisFormatError(
            f"Ligne {line} : la colonne « {column} » doit être un nombre entier (reçu « {value[:40]} »)."
        )
    return int(text)


def _reader(handle: IO[str], expected: tuple[str, ...], *, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise PolisFormatError(f"Le fichier {name} est vide.") from None
    except csv.Error as error:
        raise PolisFormatError(f"Ligne 1 : {name} n'est pas un CSV lisible ({error}).") from None
    missing = [column for column in expected if column not in header]
    if missing:
        raise PolisFormatError(f"Ligne 1 : colonnes manquantes dans {name} : {', '.join(missing)}.")
    try:
        for row in reader:
            line = reader.line_num
            if "\x00" in "".join(row):
                raise PolisFormatError(f"Ligne {line} : caractère nul interdit.")
            if not row:
                continue
            if len(row) != len(header):
                raise PolisFormatError(f"Ligne {line} : {len(row)} colonnes au lieu de {len(header)}.")
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise PolisFormatError(f"Ligne {reader.line_num} : CSV illisible ({error}).") from None


def read_comments(handle: IO[str]) -> list[PolisComment]:
    comments: list[PolisComment] = []
    seen: set[int] = set()
    for line, row in _reader(handle, ("comment-id", "author-id", "moderated", "comment-body"), name="comments.csv"):
        comment_id = _integer(row["comment-id"], line=line, column="comment-id")
        if comment_id in seen:
            raise PolisFormatError(f"Ligne {line} : l'identifiant de contribution {comment_id} apparaît deux fois.")
        seen.add(comment_id)
        moderated = _integer(row["moderated"], line=line, column="moderated")
        if moderated not in (-1, 0, 1):
            raise PolisFormatError(f"Ligne {line} : « moderated » vaut -1, 0 ou 1.")
        comments.append(
            PolisComment(
                comment_id=comment_id,
                author_id=_integer(row["author-id"], line=line, column="author-id"),
                body=row["comment-body"],
                moderated=moderated,
                timestamp=_integer(row.get("timestamp") or "0", line=line, column="timestamp"),
                datetime=row.get("datetime", ""),
                agrees=_integer(row.get("agrees") or "0", line=line, column="agrees"),
                disagrees=_integer(row.get("disagrees") or "0", line=line, column="disagrees"),
            )
        )
    return comments


def read_votes(handle: IO[str]) -> PolisVotes:
    """A million rows in a few seconds: the cells are gathered as text and checked and converted
    column by column (one regular expression and one NumPy conversion each), not cell by cell."""
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise PolisFormatError("Le fichier votes.csv est vide.") from None
    missing = [column for column in ("comment-id", "voter-id", "vote") if column not in header]
    if missing:
        raise PolisFormatError(f"Ligne 1 : colonnes manquantes dans votes.csv : {', '.join(missing)}.")
    names = ("timestamp", "comment-id", "voter-id", "vote")
    positions = [header.index(name) if name in header else -1 for name in names]
    columns: list[list[str]] = [[], [], [], []]
    lines: list[int] = []
    width = len(header)
    try:
        for row in reader:
            if not row:
                continue
            if len(row) != width:
                raise PolisFormatError(f"Ligne {reader.line_num} : {len(row)} colonnes au lieu de {width}.")
            lines.append(reader.line_num)
            for column, position in zip(columns, positions, strict=True):
                column.append(row[position] if position >= 0 else "0")
    except csv.Error as error:
        raise PolisFormatError(f"Ligne {reader.line_num} : CSV illisible ({error}).") from None
    values = [_integers(column, lines, name) for column, name in zip(columns, names, strict=True)]
    bad = np.flatnonzero((values[3] < -1) | (values[3] > 1))
    if len(bad):
        raise PolisFormatError(f"Ligne {lines[bad[0]]} : un vote vaut 1 (d'accord), -1 (pas d'accord) ou 0 (passer).")
    return PolisVotes(timestamps=values[0], comment_ids=values[1], voter_ids=values[2], votes=values[3])


_INTEGER_LINES = re.compile(r"(?:-?[0-9]{1,18}\n)*-?[0-9]{1,18}")


def _integers(cells: list[str], lines: list[int], column: str) -> NDArray[np.int64]:
    """ASCII integers only: int() would take Unicode digits ("٣"), "1_0" or " 7"."""
    if cells and _INTEGER_LINES.fullmatch("\n".join(cells)) is None:
        # the slow path finds the first bad cell to name its line
        for cell, line in zip(cells, lines, strict=True):
            _integer(cell, line=line, column=column)
            if len(cell) > 18:
                raise PolisFormatError(f"Ligne {line} : la colonne « {column} » est un nombre trop grand.")
    return np.array(cells, dtype=np.int64) if cells else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class ParticipantsVotes:
    matrix: VoteMatrix
    group_ids: dict[int, int]  # Polis' own group of each in-conversation participant


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    try:
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as error:  # e.g. a field over csv's 128 KiB limit
        raise PolisFormatError(f"Ligne {reader.line_num} : CSV illisible ({error}).") from None


def read_participants_votes(handle: IO[str]) -> ParticipantsVotes:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None or tuple(header[: len(PARTICIPANTS_FIXED)]) != PARTICIPANTS_FIXED:
        raise PolisFormatError("Ligne 1 : en-tête de participants-votes.csv inattendu.")
    statement_ids = [_integer(value, line=1, column="comment-id") for value in header[len(PARTICIPANTS_FIXED) :]]
    participants: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    groups: dict[int, int] = {}
    for line, row in _rows(reader):
        if len(row) != len(header):
            raise PolisFormatError(f"Ligne {line} : {len(row)} colonnes au lieu de {len(header)}.")
        participant = _integer(row[0], line=line, column="participant")
        if row[1].strip():
            groups[participant] = _integer(row[1], line=line, column="group-id")
        for statement, cell in zip(statement_ids, row[len(PARTICIPANTS_FIXED) :], strict=True):
            if cell.strip():
                vote = _integer(cell, line=line, column=str(statement))
                if vote not in (-1, 0, 1):
                    raise PolisFormatError(f"Ligne {line} : un vote vaut 1, -1 ou 0.")
                participants.append(participant)
                statements.append(statement)
                values.append(vote)
    return ParticipantsVotes(
        VoteMatrix.from_votes(participants, statements, values, statement_ids=statement_ids), groups
    )


def _text(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def write_comments(comments: Iterable[PolisComment]) -> str:
    return _text(
        [COMMENTS_HEADER]
        + [
            [c.timestamp, c.datetime, c.comment_id, c.author_id, c.agrees, c.disagrees, c.moderated, c.body]
            for c in comments
        ]
    )


def write_votes(votes: PolisVotes, datetimes: Iterable[str] | None = None) -> str:
    labels = list(datetimes) if datetimes is not None else [""] * len(votes.votes)
    return _text(
        [VOTES_HEADER]
        + [
            [int(t), label, int(c), int(v), int(x)]
            for t, label, c, v, x in zip(
                votes.timestamps, labels, votes.comment_ids, votes.voter_ids, votes.votes, strict=True
            )
        ]
    )


def write_participants_votes(
    matrix: VoteMatrix, *, groups: NDArray[np.int64] | None = None, comments_by_author: dict[int, int] | None = None
) -> str:
    """One row per participant: their group (empty when not in the conversation), counts and
    votes (empty when unseen). ``groups`` is indexed like ``matrix.participant_ids``."""
    n_participants, n_statements = matrix.shape
    grid = np.full((n_participants, n_statements), 2, dtype=np.int8)  # 2 = unseen
    grid[matrix.rows, matrix.cols] = matrix.values
    header: list[object] = [*PARTICIPANTS_FIXED, *(str(int(s)) for s in matrix.statement_ids)]
    authored = comments_by_author or {}
    rows: list[list[object]] = [header]
    for index, participant in enumerate(matrix.participant_ids):
        cells = grid[index]
        group = "" if groups is None or groups[index] < 0 else int(groups[index])
        rows.append(
            [
                int(participant),
                group,
                authored.get(int(participant), 0),
                int((cells != 2).sum()),
                int((cells == 1).sum()),
                int((cells == -1).sum()),
                *("" if cell == 2 else int(cell) for cell in cells),
            ]
        )
    return _text(rows)
