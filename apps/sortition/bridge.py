"""Glue between the database and the pure engine (:mod:`apps.sortition.engine`).

The engine only ever sees the stratification columns; the personal columns of an uploaded file
are split off here, stored apart (``PoolMember.personal``) and purged at ``Draw.purge_on``.

The engine does not even see the identifiers of the list: it runs on the *public pool file*
(``public_pool_csv``), one row per member with its pseudonym and its category values, so that
anyone can re-run the draw on the published file and find the published panel, member by member.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
from collections.abc import Iterable
from typing import Any

from apps.sortition.engine import Distribution, Pool, read_pool
from apps.sortition.engine.pool import DEFAULT_ID_COLUMNS

ID_COLUMN = "pool_member_identifier"
#: Name of the published pseudonymised pool file (also its URL on the draw's page).
POOL_FILE_NAME = "liste-pseudonymisee.csv"


def decode(raw: bytes) -> str:
    """Same leniency as the engine: UTF-8 with or without BOM, else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def as_text(raw: bytes) -> str:
    """The text of an upload that re-encodes to UTF-8 byte for byte when the upload was UTF-8
    (a BOM is kept as U+FEFF), so that the published copy has the hash of the upload."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [
        [cell.strip() for cell in record]
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if any(cell.strip() for cell in record)
    ]


def personal_columns(people: bytes, pool: Pool) -> dict[str, dict[str, str]]:
    """Personal data by pool id: every column that is neither a category nor the id column.

    The id column is found as the engine finds it (first ``DEFAULT_ID_COLUMNS`` match that is
    not a category), else ids are the 0-based numbers of the data rows.
    """
    rows = _rows(decode(people))
    if not rows:
        return {}
    header, data = rows[0], rows[1:]
    lowered = [cell.lower() for cell in header]
    id_index = next(
        (
            lowered.index(candidate)
            for candidate in DEFAULT_ID_COLUMNS
            if candidate in lowered and header[lowered.index(candidate)] not in pool.categories
        ),
        None,
    )
    kept = [i for i, name in enumerate(header) if name and name not in pool.categories and i != id_index]
    result: dict[str, dict[str, str]] = {}
    for number, cells in enumerate(data):
        cells = cells + [""] * (len(header) - len(cells))
        person = str(number) if id_index is None else cells[id_index]
        result[person] = {header[i]: cells[i] for i in kept if cells[i]}
    return result


def people_csv(categories: tuple[str, ...] | list[str], members: list[tuple[str, dict[str, str]]]) -> bytes:
    """A respondents file (id + category columns only) rebuilt from stored pool members."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([ID_COLUMN, *categories])
    for identifier, features in members:
        writer.writerow([identifier, *(features.get(category, "") for category in categories)])
    return buffer.getvalue().encode("utf-8")


def categories_of(categories_csv: str) -> list[str]:
    """Category names of a quota file, in file order (for rebuilding a respondents file)."""
    rows = _rows(categories_csv)
    if not rows:
        return []
    lowered = [cell.lower() for cell in rows[0]]
    index = next((lowered.index(n) for n in ("category", "categorie", "catégorie") if n in lowered), 0)
    return list(dict.fromkeys(row[index] for row in rows[1:] if len(row) > index and row[index]))


def features_and_choices(categories_csv: str) -> list[tuple[str, list[str]]]:
    """(category, its values) in file order: the questions of the call for volunteers."""
    rows = _rows(categories_csv)
    if not rows:
        return []
    lowered = [cell.lower() for cell in rows[0]]
    c = next((lowered.index(n) for n in ("category", "categorie", "catégorie") if n in lowered), 0)
    f = next((lowered.index(n) for n in ("feature", "valeur", "caracteristique", "caractéristique") if n in lowered), 1)
    choices: dict[str, list[str]] = {}
    for row in rows[1:]:
        if len(row) > max(c, f) and row[c] and row[f]:
            choices.setdefault(row[c], [])
            if row[f] not in choices[row[c]]:
                choices[row[c]].append(row[f])
    return list(choices.items())


def public_pool_csv(categories: tuple[str, ...] | list[str], members: Iterable[tuple[str, dict[str, str]]]) -> str:
    """The public pool file: ``pool_member_identifier`` = pseudonym, then the category columns in
    the order of the quota file, one row per member sorted by pseudonym, UTF-8, ``\n`` line
    endings. Deterministic: the same members give the same bytes (and the same SHA-256)."""
    return people_csv(categories, sorted(members, key=lambda member: member[0])).decode("utf-8")


def public_pool(draw_pool_csv: str, categories_csv: str, *, exclude: Iterable[str] = ()) -> Pool:
    """The engine's pool read from the public pool file (ids are pseudonyms, ``people_sha256`` is
    the SHA-256 of the published bytes); members in ``exclude`` are left out (same hashes)."""
    pool = read_pool(draw_pool_csv.encode("utf-8"), categories_csv.encode("utf-8"), people_name=POOL_FILE_NAME)
    excluded = set(exclude)
    if not excluded:
        return pool
    kept = [(person, vector) for person, vector in zip(pool.ids, pool.features, strict=True) if person not in excluded]
    return dataclasses.replace(
        pool, ids=tuple(person for person, _ in kept), features=tuple(vector for _, vector in kept)
    )


def pool_from_members(
    categories_csv: str, members: list[tuple[str, dict[str, str]]], people_sha256: str, categories_sha256: str
) -> Pool:
    """The engine's pool, rebuilt from the database in the original order of the file."""
    pool = read_pool(people_csv(categories_of(categories_csv), members), categories_csv.encode("utf-8"))
    return dataclasses.replace(pool, people_sha256=people_sha256, categories_sha256=categories_sha256)


def distribution_to_json(distribution: Distribution) -> dict[str, Any]:
    return {
        "algorithm": distribution.algorithm,
        "panel_size": distribution.panel_size,
        "compositions": [list(c) for c in distribution.compositions],
        "weights": list(distribution.weights),
        "types": [list(t) for t in distribution.types],
        "type_members": [list(m) for m in distribution.type_members],
        "probabilities": dict(distribution.probabilities),
        "seconds": distribution.seconds,
    }


def distribution_from_json(data: dict[str, Any]) -> Distribution:
    return Distribution(
        algorithm=data["algorithm"],
        panel_size=int(data["panel_size"]),
        compositions=tuple(tuple(int(v) for v in c) for c in data["compositions"]),
        weights=tuple(float(w) for w in data["weights"]),
        types=tuple(tuple(t) for t in data["types"]),
        type_members=tuple(tuple(m) for m in data["type_members"]),
        probabilities={str(k): float(v) for k, v in data["probabilities"].items()},
        seconds=float(data.get("seconds", 0.0)),
    )


def pseudonym_for(salt: str, identifier: str) -> str:
    """Public label of a pool member: an HMAC of the list identifier with the draw's secret salt,
    so that nobody can tell from the public page which identifier of the list it stands for."""
    digest = hmac.new(salt.encode(), identifier.encode(), hashlib.sha256).hexdigest()
    return f"t-{digest[:10]}"


def unique_pseudonyms(salt: str, identifiers: Iterable[str]) -> dict[str, str] | None:
    """Pseudonym of each identifier, or None when two of them collide (then change the salt)."""
    pseudonyms = {identifier: pseudonym_for(salt, identifier) for identifier in identifiers}
    if len(set(pseudonyms.values())) != len(pseudonyms):
        return None
    return pseudonyms


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def quotas_of(categories_csv: str) -> list[tuple[str, str, int, int]]:
    """(category, feature, min, max) rows of a quota file already validated by the engine."""
    rows = _rows(categories_csv)
    if not rows:
        return []
    lowered = [cell.lower() for cell in rows[0]]

    def column(names: tuple[str, ...], default: int) -> int:
        return next((lowered.index(n) for n in names if n in lowered), default)

    c = column(("category", "categorie", "catégorie"), 0)
    f = column(("feature", "valeur", "caracteristique", "caractéristique"), 1)
    low = column(("min", "minimum"), 2)
    high = column(("max", "maximum"), 3)
    result = []
    for row in rows[1:]:
        try:
            result.append((row[c], row[f], int(row[low]), int(row[high])))
        except (IndexError, ValueError):
            continue
    return result


#: Human labels of the column names lists usually carry (the file keeps its own names; people
#: read these). Other names are shown with their underscores as spaces and a capital.
COLUMN_LABELS = {
    "prenom": "Prénom",
    "prénom": "Prénom",
    "nom": "Nom",
    "courriel": "Courriel",
    "email": "Courriel",
    "telephone": "Téléphone",
    "téléphone": "Téléphone",
    "adresse": "Adresse",
    "genre": "Genre",
    "sexe": "Sexe",
    "age": "Âge",
    "tranche_age": "Tranche d'âge",
    "tranche_d_age": "Tranche d'âge",
    "diplome": "Diplôme",
    "logement": "Logement",
    "qpv": "Quartier prioritaire (QPV)",
    "enfants": "Enfants au foyer",
    "secteur": "Secteur",
    "quartier": "Quartier",
    "csp": "Catégorie socioprofessionnelle",
}


def column_label(name: str) -> str:
    """``tranche_age`` → « Tranche d'âge »: a column name of a list, as people read it."""
    known = COLUMN_LABELS.get(name.strip().lower())
    if known:
        return known
    text = " ".join(name.replace("_", " ").split())
    return text[:1].upper() + text[1:]
