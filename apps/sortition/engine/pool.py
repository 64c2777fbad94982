"""Reading and validating the pool files (respondents CSV + categories CSV).

Both files are read leniently (UTF-8 with or without BOM, Windows-1252 as a fallback, CRLF,
comma/semicolon/tab separators) and strictly validated: every problem is collected, with the
file name and line, in a French message, and ``PoolError`` lists them all (up to ``MAX_ERRORS``).
Columns of the respondents file that are neither a category nor the id are dropped here, so that
personal data (names, e-mails, addresses) never reach the selection or the reports.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from apps.core.spreadsheets import decode_spreadsheet, spreadsheet_rows
from apps.sortition.engine.model import Pool, PoolError, PoolIssue, Quota

MAX_ERRORS = 50
#: Columns taken as the id column when no ``id_column`` is given (first match, case-insensitive).
DEFAULT_ID_COLUMNS = ("pool_member_identifier", "id", "identifier", "person_id", "respondent_id")
#: Accepted header names of the categories file (English as in the research code, and French).
CATEGORY_HEADERS = {
    "category": ("category", "categorie", "catégorie"),
    "feature": ("feature", "valeur", "caracteristique", "caractéristique"),
    "min": ("min", "minimum"),
    "max": ("max", "maximum"),
}


class _Issues:
    """Collects issues; stops accepting more after ``MAX_ERRORS`` to keep the message readable."""

    def __init__(self) -> None:
        self.items: list[PoolIssue] = []
        self.truncated = False

    def add(self, file: str, line: int | None, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.truncated = True
            return
        self.items.append(PoolIssue(file, line, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        items = list(self.items)
        if self.truncated:
            items.append(
                PoolIssue(
                    items[-1].file, None, f"… et d'autres erreurs (seules les {MAX_ERRORS} premières sont affichées)"
                )
            )
        raise PoolError(items)


def _load(source: bytes | str | Path) -> bytes:
    if isinstance(source, bytes):
        return source
    return Path(source).read_bytes()


def _parse_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _read_categories(text: str, name: str, issues: _Issues) -> list[tuple[int, Quota]]:
    rows = spreadsheet_rows(text)
    if not rows:
        issues.add(name, None, "le fichier est vide")
        return []
    header_line, header = rows[0]
    lowered = [cell.lower() for cell in header]
    positions: dict[str, int] = {}
    for key, aliases in CATEGORY_HEADERS.items():
        found = next((i for i, cell in enumerate(lowered) if cell in aliases), None)
        if found is None:
            issues.add(name, header_line, f"colonne « {key} » absente (attendu : category,feature,min,max)")
        else:
            positions[key] = found
    if len(positions) < len(CATEGORY_HEADERS):
        return []
    if len(rows) == 1:
        issues.add(name, None, "aucun quota n'est défini (le fichier ne contient que l'en-tête)")
    quotas: list[tuple[int, Quota]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows[1:]:
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        category, feature = cells[positions["category"]], cells[positions["feature"]]
        low_text, high_text = cells[positions["min"]], cells[positions["max"]]
        ok = True
        if not category or not feature:
            issues.add(name, line, "la catégorie et la valeur doivent être renseignées")
            ok = False
        low, high = _parse_int(low_text), _parse_int(high_text)
        for label, text_value, value in (("min", low_text, low), ("max", high_text, high)):
            if value is None:
                issues.add(name, line, f"« {text_value} » n'est pas un nombre entier (colonne {label})")
                ok = False
            elif value < 0:
                issues.add(name, line, f"le {label} ne peut pas être négatif ({value})")
                ok = False
        if low is not None and high is not None and low > high:
            issues.add(name, line, f"quota « {category} : {feature} » : le min ({low}) dépasse le max ({high})")
            ok = False
        if (category, feature) in seen:
            issues.add(
                name,
                line,
                f"la valeur « {feature} » de la catégorie « {category} » est déjà définie "
                f"ligne {seen[(category, feature)]}",
            )
            ok = False
        seen.setdefault((category, feature), line)
        if ok and low is not None and high is not None:
            quotas.append((line, Quota(category, feature, low, high)))
    return quotas


def _check_category_sums(quotas: list[tuple[int, Quota]], panel_size: int, name: str, issues: _Issues) -> None:
    by_category: dict[str, list[tuple[int, Quota]]] = defaultdict(list)
    for line, quota in quotas:
        by_category[quota.category].append((line, quota))
    for category, items in by_category.items():
        line = items[0][0]
        low = sum(q.min for _, q in items)
        high = sum(q.max for _, q in items)
        if low > panel_size:
            issues.add(
                name,
                line,
                f"catégorie « {category} » : la somme des minimums ({low}) dépasse la taille du panel ({panel_size})",
            )
        if high < panel_size:
            issues.add(
                name,
                line,
                f"catégorie « {category} » : la somme des maximums ({high}) est inférieure "
                f"à la taille du panel ({panel_size})",
            )


def _find_id_column(header: list[str], categories: set[str], id_column: str | None) -> int | None:
    if id_column is not None:
        return header.index(id_column) if id_column in header else -1
    lowered = [cell.lower() for cell in header]
    for candidate in DEFAULT_ID_COLUMNS:
        if candidate in lowered and header[lowered.index(candidate)] not in categories:
            return lowered.index(candidate)
    return None


def read_pool(
    people_csv: bytes | str | Path,
    categories_csv: bytes | str | Path,
    *,
    id_column: str | None = None,
    people_name: str = "respondents.csv",
    categories_name: str = "categories.csv",
    panel_size: int | None = None,
) -> Pool:
    """Read the pool; ``bytes`` are file contents, ``str``/``Path`` a path.

    ``id_column`` names the column holding the people's ids; by default the first column named
    one of ``DEFAULT_ID_COLUMNS`` that is not a category, else the 0-based row numbers ("0",
    "1", ...). With ``panel_size``, quotas whose per-category sums cannot reach it are reported
    too. Raises ``PoolError`` listing every problem (French, with file and line).
    """
    people_raw, categories_raw = _load(people_csv), _load(categories_csv)
    issues = _Issues()
    located = _read_categories(decode_spreadsheet(categories_raw), categories_name, issues)
    if panel_size is not None:
        if panel_size <= 0:
            issues.add(categories_name, None, f"la taille du panel doit être positive ({panel_size})")
        else:
            _check_category_sums(located, panel_size, categories_name, issues)
    quotas = tuple(quota for _, quota in located)
    categories = tuple(dict.fromkeys(q.category for q in quotas))
    allowed = {c: {q.feature for q in quotas if q.category == c} for c in categories}

    rows = spreadsheet_rows(decode_spreadsheet(people_raw))
    ids: list[str] = []
    features: list[tuple[str, ...]] = []
    if not rows:
        issues.add(people_name, None, "le fichier est vide")
    elif categories:
        header_line, header = rows[0]
        id_index = _find_id_column(header, set(categories), id_column)
        if id_index == -1:
            issues.add(people_name, header_line, f"colonne d'identifiant « {id_column} » absente")
            id_index = None
        elif id_column is not None and id_column in categories:
            issues.add(people_name, header_line, f"la colonne d'identifiant « {id_column} » est aussi une catégorie")
        columns: list[int] = []
        for category in categories:
            if category not in header:
                issues.add(
                    people_name,
                    header_line,
                    f"colonne « {category} » absente (catégorie définie dans {categories_name})",
                )
            else:
                columns.append(header.index(category))
        for duplicate in sorted({cell for cell in header if cell and header.count(cell) > 1}):
            issues.add(people_name, header_line, f"la colonne « {duplicate} » apparaît plusieurs fois")
        if len(rows) == 1:
            issues.add(people_name, None, "aucune personne dans le fichier (il ne contient que l'en-tête)")
        if len(columns) == len(categories):
            _read_people(rows[1:], header, id_index, columns, categories, allowed, people_name, issues, ids, features)
    issues.raise_if_any()
    return Pool(
        ids=tuple(ids),
        categories=categories,
        quotas=quotas,
        features=tuple(features),
        people_sha256=hashlib.sha256(people_raw).hexdigest(),
        categories_sha256=hashlib.sha256(categories_raw).hexdigest(),
    )


def _read_people(
    rows: list[tuple[int, list[str]]],
    header: list[str],
    id_index: int | None,
    columns: list[int],
    categories: tuple[str, ...],
    allowed: dict[str, set[str]],
    name: str,
    issues: _Issues,
    ids: list[str],
    features: list[tuple[str, ...]],
) -> None:
    seen: dict[str, int] = {}
    for number, (line, cells) in enumerate(rows):
        if len(cells) > len(header):
            issues.add(name, line, f"{len(cells)} valeurs pour {len(header)} colonnes")
            continue
        cells = cells + [""] * (len(header) - len(cells))
        ok = True
        if id_index is None:
            person = str(number)
        else:
            person = cells[id_index]
            if not person:
                issues.add(name, line, "identifiant vide")
                ok = False
            elif person in seen:
                issues.add(name, line, f"identifiant « {person} » en double (déjà ligne {seen[person]})")
                ok = False
            else:
                seen[person] = line
        values = tuple(cells[i] for i in columns)
        for category, value in zip(categories, values, strict=True):
            if value not in allowed[category]:
                if value:
                    issues.add(name, line, f"valeur « {value} » inconnue pour la catégorie « {category} »")
                else:
                    issues.add(name, line, f"valeur manquante pour la catégorie « {category} »")
                ok = False
        if ok:
            ids.append(person)
            features.append(values)
