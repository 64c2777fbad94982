"""Read and write elections in the Pabulib ``.pb`` format (pabulib.org).

A file has three sections, each introduced by a line ``META``, ``PROJECTS`` or ``VOTES``
followed by a header line; fields are separated by ``;``:

- META: ``key;value`` lines (``budget`` and ``vote_type`` are required);
- PROJECTS: header ``project_id;cost;...`` then one line per project;
- VOTES: header ``voter_id;vote;...`` then one line per voter; ``vote`` is a comma-separated
  list of project ids (in order of preference for ``ordinal``), and ``cumulative`` /
  ``scoring`` files add a ``points`` column aligned with ``vote``.

The reader is tolerant of what real files contain (UTF-8 BOM, CRLF or mixed line ends,
quoted fields, extra columns, costs written "5000.0" or "5000,0", blank lines, ``choose-1``
as a synonym of ``approval``) and strict about what would change a result: unknown or
duplicate ids, missing costs, points that do not match the votes, counts that contradict
``num_projects`` / ``num_votes``. Every refusal is a :class:`PabulibError` carrying the
1-based line number and the reason, in English (``message``) and in French
(``message_fr``, shown to agents by the web import).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path

from .profiles import VOTE_TYPES, Amount, Ballot, Election, Points, Profile, Project, VoteType, as_amount


class PabulibError(ValueError):
    """A malformed Pabulib file: ``line`` (1-based, 0 when not tied to a line) and reason."""

    def __init__(self, line: int, message: str, message_fr: str | None = None) -> None:
        self.line = line
        self.message = message
        self.message_fr = message_fr or message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    @property
    def display_fr(self) -> str:
        """The French message with its line number, for the web import."""
        return f"ligne {self.line} : {self.message_fr}" if self.line else self.message_fr


_SECTIONS = ("meta", "projects", "votes")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RESERVED_PROJECT_COLUMNS = ("project_id", "cost", "name")
_RESERVED_VOTE_COLUMNS = ("voter_id", "vote", "points")


def parse_amount(text: str) -> Fraction:
    """Parse a cost, budget or number of points: "5000", "5000.0", "5000,5", "1e3"."""
    cleaned = text.strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if not cleaned or cleaned.lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
        raise ValueError(text)
    return Fraction(cleaned)


def format_amount(value: Amount) -> str:
    """Write an amount so that :func:`parse_amount` and pabutools read it back exactly."""
    value = as_amount(value)
    if isinstance(value, int):
        return str(value)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:  # a finite decimal: write it as such
        digits = 0
        while (value * 10**digits).denominator != 1:
            digits += 1
        scaled = int(value * 10**digits)
        sign = "-" if scaled < 0 else ""
        whole, frac = divmod(abs(scaled), 10**digits)
        return f"{sign}{whole}.{frac:0{digits}d}"
    return f"{value.numerator}/{value.denominator}"


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each non-blank line."""
    lines = _LINE_BREAK.split(text)
    reader = csv.reader(lines, delimiter=";")
    previous = 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        yield start, row


def _read_text(source: str | Path | bytes) -> str:
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, Path) or _is_path(source):
        raw = Path(source).read_bytes()
    else:
        return source.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PabulibError(
            line,
            "the file is not valid UTF-8 text",
            "le fichier n'est pas un texte UTF-8 valide",
        ) from exc


def _is_path(text: str) -> bool:
    if "\n" in text or "\r" in text or len(text) > 4096:
        return False
    try:
        return Path(text).is_file()
    except OSError:
        return False


def _fields(line: int, row: list[str], header: list[str], section: str) -> dict[str, str]:
    if len(row) > len(header):
        extra = row[len(header) :]
        if any(cell.strip() for cell in extra):
            raise PabulibError(
                line,
                f"{len(row)} fields in the {section} section but its header has {len(header)}",
                f"{len(row)} champs dans la section {section} alors que son en-tête en a {len(header)}",
            )
        row = row[: len(header)]
    if len(row) < len(header):
        raise PabulibError(
            line,
            f"{len(row)} fields in the {section} section but its header has {len(header)}",
            f"{len(row)} champs dans la section {section} alors que son en-tête en a {len(header)}",
        )
    return {key: cell.strip() for key, cell in zip(header, row, strict=True)}


def _header(line: int, row: list[str], section: str, required: Iterable[str]) -> list[str]:
    header = [cell.strip().lstrip("\ufeff") for cell in row]
    for name in required:
        if name not in header:
            raise PabulibError(
                line,
                f"the header of the {section} section has no '{name}' column",
                f"l'en-tête de la section {section} n'a pas de colonne « {name} »",
            )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise PabulibError(
                line,
                f"column '{name}' appears twice in the header of the {section} section",
                f"la colonne « {name} » apparaît deux fois dans l'en-tête de la section {section}",
            )
        seen.add(name)
    return header


class _Reader:
    def __init__(self, lenient: bool = False) -> None:
        self.lenient = lenient
        self.warnings: list[str] = []
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: list[Project] = []
        self.project_ids: dict[str, int] = {}
        self.ballots: list[Ballot] = []
        self.voter_ids: list[str] = []
        self.voter_meta: list[dict[str, str]] = []
        self.has_voter_meta = False
        self.vote_type: VoteType | None = None
        self.budget: Amount = 0

    def read(self, text: str) -> Election:
        section = ""
        header: list[str] = []
        expect_header = False
        seen_sections: list[str] = []
        last_line = 0
        for line, row in _rows(text):
            last_line = line
            first = row[0].strip().lstrip("\ufeff").lower()
            if first in _SECTIONS and all(not c.strip() for c in row[1:]):
                if first in seen_sections:
                    raise PabulibError(
                        line, f"section {first.upper()} appears twice", f"la section {first.upper()} apparaît deux fois"
                    )
                if first == "votes":
                    self._check_meta(line)
                    if "projects" not in seen_sections:
                        raise PabulibError(
                            line, "VOTES section before PROJECTS", "section VOTES avant la section PROJECTS"
                        )
                seen_sections.append(first)
                section = first
                expect_header = True
                continue
            if not section:
                raise PabulibError(
                    line,
                    "the file must start with a META, PROJECTS or VOTES section line",
                    "le fichier doit commencer par une ligne de section META, PROJECTS ou VOTES",
                )
            if expect_header:
                expect_header = False
                if section == "meta":
                    header = [cell.strip().lower() for cell in row]
                    if header[:2] == ["key", "value"]:
                        continue
                    # No "key;value" header: tolerated, this line is already data.
                elif section == "projects":
                    header = _header(line, row, "PROJECTS", ("project_id", "cost"))
                    continue
                else:
                    required = ["vote"]
                    if self.vote_type in ("cumulative", "scoring"):
                        required.append("points")
                    header = _header(line, row, "VOTES", required)
                    continue
            if section == "meta":
                self._meta_row(line, row)
            elif section == "projects":
                self._project_row(line, _fields(line, row, header, "PROJECTS"))
            else:
                self._vote_row(line, _fields(line, row, header, "VOTES"))
        for needed in ("meta", "projects", "votes"):
            if needed not in seen_sections:
                raise PabulibError(
                    last_line,
                    f"the file has no {needed.upper()} section",
                    f"le fichier n'a pas de section {needed.upper()}",
                )
        self._check_counts(last_line)
        assert self.vote_type is not None
        return Election(
            projects=tuple(self.projects),
            ballots=Profile(
                self.ballots,
                voter_ids=self.voter_ids,
                voter_meta=self.voter_meta if self.has_voter_meta else None,
            ),
            budget=self.budget,
            vote_type=self.vote_type,
            meta=self.meta,
            warnings=tuple(self.warnings),
        )

    def _meta_row(self, line: int, row: list[str]) -> None:
        key = row[0].strip()
        if len(row) < 2:
            raise PabulibError(line, f"META line '{key}' has no value", f"la ligne META « {key} » n'a pas de valeur")
        if key in self.meta:
            raise PabulibError(line, f"META key '{key}' appears twice", f"la clé META « {key} » apparaît deux fois")
        # A value may itself contain ';' (free-text comments): keep it whole.
        self.meta[key] = ";".join(row[1:]).strip()
        self.meta_lines[key] = line

    def _check_meta(self, line: int) -> None:
        if self.vote_type is not None:
            return
        if "budget" not in self.meta:
            raise PabulibError(line, "META has no 'budget'", "la section META n'indique pas le budget (« budget »)")
        budget_line = self.meta_lines["budget"]
        try:
            budget = parse_amount(self.meta["budget"])
        except (ValueError, ZeroDivisionError):
            raise PabulibError(
                budget_line,
                f"budget '{self.meta['budget']}' is not a number",
                f"le budget « {self.meta['budget']} » n'est pas un nombre",
            ) from None
        if budget < 0:
            raise PabulibError(budget_line, "the budget is negative", "le budget est négatif")
        self.budget = as_amount(budget)
        vote_type = self.meta.get("vote_type", "").strip().lower()
        if not vote_type:
            raise PabulibError(
                line, "META has no 'vote_type'", "la section META n'indique pas le type de vote (« vote_type »)"
            )
        if vote_type == "choose-1":
            vote_type = "approval"
        if vote_type not in VOTE_TYPES:
            raise PabulibError(
                self.meta_lines["vote_type"],
                f"unsupported vote_type '{vote_type}' (expected one of {', '.join(VOTE_TYPES)})",
                f"type de vote « {vote_type} » non pris en charge (attendu : {', '.join(VOTE_TYPES)})",
            )
        self.vote_type = vote_type  # type: ignore[assignment]

    def _project_row(self, line: int, fields: dict[str, str]) -> None:
        pid = fields["project_id"]
        if not pid:
            raise PabulibError(line, "empty project_id", "identifiant de projet (project_id) vide")
        if "," in pid:
            raise PabulibError(
                line, f"project_id '{pid}' contains a comma", f"l'identifiant de projet « {pid} » contient une virgule"
            )
        if pid in self.project_ids:
            raise PabulibError(line, f"project '{pid}' appears twice", f"le projet « {pid} » apparaît deux fois")
        try:
            cost = parse_amount(fields["cost"])
        except (ValueError, ZeroDivisionError):
            raise PabulibError(
                line,
                f"cost '{fields['cost']}' of project '{pid}' is not a number",
                f"le coût « {fields['cost']} » du projet « {pid} » n'est pas un nombre",
            ) from None
        if cost < 0:
            raise PabulibError(line, f"project '{pid}' has a negative cost", f"le projet « {pid} » a un coût négatif")
        extra = {k: v for k, v in fields.items() if k not in _RESERVED_PROJECT_COLUMNS}
        self.project_ids[pid] = len(self.projects)
        self.projects.append(Project(id=pid, cost=as_amount(cost), name=fields.get("name", ""), extra=extra))

    def _vote_row(self, line: int, fields: dict[str, str]) -> None:
        voter_id = fields.get("voter_id", str(len(self.ballots) + 1))
        raw_vote = fields["vote"]
        ids = [p.strip() for p in raw_vote.split(",")] if raw_vote else []
        if any(not p for p in ids):
            raise PabulibError(line, "empty project id in the vote", "identifiant de projet vide dans le vote")
        for pid in ids:
            if pid not in self.project_ids:
                raise PabulibError(
                    line,
                    f"voter '{voter_id}' voted for unknown project '{pid}'",
                    f"le votant « {voter_id} » a voté pour le projet inconnu « {pid} »",
                )
        if len(set(ids)) != len(ids) and self.lenient and self.vote_type == "approval":
            # An approval ballot is a set: listing a project twice approves it once.
            self.warnings.append(f"line {line}: voter '{voter_id}' lists a project twice, counted once")
            ids = list(dict.fromkeys(ids))
        if len(set(ids)) != len(ids):
            raise PabulibError(
                line,
                f"voter '{voter_id}' lists a project twice",
                f"le votant « {voter_id} » cite deux fois le même projet",
            )
        ballot: Ballot
        if self.vote_type == "approval":
            ballot = frozenset(ids)
        elif self.vote_type == "ordinal":
            ballot = tuple(ids)
        else:
            raw_points = fields["points"]
            points = [p.strip() for p in raw_points.split(",")] if raw_points else []
            if len(points) != len(ids):
                raise PabulibError(
                    line,
                    f"voter '{voter_id}' has {len(ids)} projects but {len(points)} points",
                    f"le votant « {voter_id} » a {len(ids)} projets mais {len(points)} nombres de points",
                )
            values: list[tuple[str, Amount]] = []
            for pid, text in zip(ids, points, strict=True):
                try:
                    value = parse_amount(text)
                except (ValueError, ZeroDivisionError):
                    raise PabulibError(
                        line,
                        f"points '{text}' of voter '{voter_id}' are not a number",
                        f"les points « {text} » du votant « {voter_id} » ne sont pas un nombre",
                    ) from None
                if value < 0:
                    raise PabulibError(
                        line,
                        f"voter '{voter_id}' gives negative points",
                        f"le votant « {voter_id} » donne des points négatifs",
                    )
                values.append((pid, as_amount(value)))
            ballot = Points(values)
        extra = {k: v for k, v in fields.items() if k not in _RESERVED_VOTE_COLUMNS}
        if extra:
            self.has_voter_meta = True
        self.ballots.append(ballot)
        self.voter_ids.append(voter_id)
        self.voter_meta.append(extra)

    def _check_counts(self, last_line: int) -> None:
        if len(set(self.voter_ids)) != len(self.voter_ids):
            seen: set[str] = set()
            for vid in self.voter_ids:
                if vid in seen:
                    raise PabulibError(
                        0,
                        f"voter_id '{vid}' appears twice",
                        f"l'identifiant de votant « {vid} » apparaît deux fois",
                    )
                seen.add(vid)
        for key, actual, en, fr in (
            ("num_projects", len(self.projects), "projects", "projets"),
            ("num_votes", len(self.ballots), "votes", "votes"),
        ):
            declared = self.meta.get(key)
            if declared is None or not declared.strip():
                continue
            try:
                expected = int(parse_amount(declared))
            except (ValueError, ZeroDivisionError):
                raise PabulibError(
                    self.meta_lines[key],
                    f"{key} '{declared}' is not a number",
                    f"{key} « {declared} » n'est pas un nombre",
                ) from None
            if expected != actual:
                raise PabulibError(
                    self.meta_lines[key],
                    f"META declares {expected} {en} ({key}) but the file has {actual}",
                    f"la section META annonce {expected} {fr} ({key}) mais le fichier en contient {actual}",
                )


def read_pabulib(source: str | Path | bytes, *, lenient: bool = False) -> Election:
    """Read an election from a ``.pb`` file path, its bytes or its text.

    A ``str`` is taken as a path when it has no line break and names an existing file,
    else as the content itself. Raises :class:`PabulibError` on malformed input.

    ``lenient`` tolerates the quirks of real files that leave the count well defined (a
    project listed twice in an approval ballot counts once) and lists them in
    ``Election.warnings``; the web import stays strict.
    """
    return _Reader(lenient).read(_read_text(source))


def _ballot_fields(ballot: Ballot) -> tuple[str, str | None]:
    if isinstance(ballot, Points):
        return ",".join(ballot), ",".join(format_amount(v) for v in ballot.values())
    if isinstance(ballot, frozenset):
        # Sets have no order: write them sorted so the output is deterministic.
        return ",".join(sorted(ballot, key=_natural_key)), None
    return ",".join(ballot), None


def _natural_key(text: str) -> tuple[int, int | str]:
    # isascii: '²'.isdigit() is true but int('²') raises (this module stays free of Django).
    return (0, int(text)) if text.isascii() and text.isdigit() else (1, text)


def write_pabulib(election: Election, selected: Iterable[str] | None = None) -> str:
    """The election as ``.pb`` text (``\\n`` line ends).

    With ``selected``, a ``selected`` column (1/0) is written in PROJECTS (replacing any
    existing one), as Pabulib does for official outcomes.
    """
    chosen = set(selected) if selected is not None else None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)

    meta = dict(election.meta)
    _set_meta_amount(meta, "budget", election.budget)
    meta["vote_type"] = "choose-1" if meta.get("vote_type") == "choose-1" else election.vote_type
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(election.ballots))
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    extra_keys: list[str] = []
    for project in election.projects:
        for key in project.extra:
            if key not in extra_keys and not (chosen is not None and key == "selected"):
                extra_keys.append(key)
    with_name = any(p.name for p in election.projects) or any("name" in p.extra for p in election.projects)
    header = ["project_id", "cost", *(["name"] if with_name else []), *extra_keys]
    if chosen is not None:
        header.append("selected")
    writer.writerow(["PROJECTS"])
    writer.writerow(header)
    for project in election.projects:
        row = [project.id, format_amount(project.cost)]
        if with_name:
            row.append(project.name)
        row.extend(project.extra.get(key, "") for key in extra_keys)
        if chosen is not None:
            row.append("1" if project.id in chosen else "0")
        writer.writerow(row)

    profile = election.ballots
    cardinal = election.vote_type in ("cumulative", "scoring")
    meta_keys: list[str] = []
    if profile.voter_meta is not None:
        for voter_meta in profile.voter_meta:
            for key in voter_meta:
                if key not in meta_keys:
                    meta_keys.append(key)
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *(["points"] if cardinal else []), *meta_keys])
    voter_ids = profile.voter_ids
    empty: Mapping[str, str] = {}
    for index, ballot in enumerate(profile):
        vote, points = _ballot_fields(ballot)
        row = [voter_ids[index] if voter_ids is not None else str(index + 1), vote]
        if cardinal:
            row.append(points or "")
        if meta_keys:
            voter_meta = profile.voter_meta[index] if profile.voter_meta is not None else empty
            row.extend(voter_meta.get(key, "") for key in meta_keys)
        writer.writerow(row)
    return out.getvalue()


def _set_meta_amount(meta: dict[str, str], key: str, value: Amount) -> None:
    # Keep the file's own spelling ("1000000.0") when it denotes the same amount.
    current = meta.get(key)
    if current is not None:
        try:
            if parse_amount(current) == value:
                return
        except (ValueError, ZeroDivisionError):
            pass
    meta[key] = format_amount(value)
