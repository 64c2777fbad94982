"""Reading INSEE's population tables by IRIS (« Population en 20xx », base-ic-evol-struct-pop).

The file is INSEE's CSV as published (``;``-separated, one row per IRIS, columns ``P20_POP``,
``P20_POP0002``…, decimal figures since they are estimates), with one column the city adds:
``QUARTIER``, the name or identifier of the Archipel territory each IRIS belongs to (a quartier,
or a micro-quartier).

The QPV population is the population of the territories marked QPV (``is_priority_area``): the
participation events use the same definition (the person's territory is marked QPV or not), so
that both sides of the comparison count the same thing. A city that wants the exact QPV
perimeters marks its QPV as micro-quartiers and maps their IRIS to them.

The age bands of the accounts are rebuilt from INSEE's columns: under 18 is 0-2 + 3-5 + 6-10 +
11-17; 18-29 is 0-14 + 15-29 minus under 18; the other bands are INSEE's own (30-44 … 75+).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.core.models import Territory
from apps.core.spreadsheets import decode_spreadsheet, spreadsheet_rows

MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 20
_YEAR = re.compile(r"^P(\d{2})_POP$")
# Suffixes of the INSEE columns the import needs (after ``Pyy_``).
REQUIRED = (
    "POP",
    "POP0002",
    "POP0305",
    "POP0610",
    "POP1117",
    "POP0014",
    "POP1529",
    "POP3044",
    "POP4559",
    "POP6074",
    "POP75P",
    "POPH",
    "POPF",
)
Key = tuple[str, str]  # (dimension, value)


@dataclass
class Parsed:
    year: int
    # territory id → (dimension, value) → population (summed over the quartier's IRIS).
    figures: dict[int, dict[Key, float]] = field(default_factory=dict)
    rows: int = 0


class InseeError(ValueError):
    """The file cannot be imported; ``messages`` are French sentences for the person."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


def _quartiers() -> dict[str, Territory]:
    found: dict[str, Territory] = {}
    for territory in Territory.objects.exclude(kind=Territory.Kind.CITY):
        found[_fold(territory.name)] = territory
        found[_fold(territory.slug)] = territory
    return found


def _number(cell: str) -> float | None:
    """INSEE writes estimates with a decimal point (a comma once opened in a French
    spreadsheet); an empty cell is a zero (secret or absent). ASCII digits only."""
    text = cell.strip().replace(",", ".")
    if not text:
        return 0.0
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return None
    return float(text)


def _header(cells: list[str]) -> tuple[int, dict[str, int]]:
    names = {cell.strip().upper(): index for index, cell in enumerate(cells)}
    year = next((int(match.group(1)) for name in names if (match := _YEAR.match(name))), None)
    if year is None:
        raise InseeError(
            [_("Colonne de population introuvable (P20_POP, P21_POP…) : est-ce bien un fichier INSEE par IRIS ?")]
        )
    prefix = f"P{year:02d}_"
    missing = [prefix + suffix for suffix in REQUIRED if prefix + suffix not in names]
    if "QUARTIER" not in names:
        missing.insert(0, "QUARTIER")
    if missing:
        raise InseeError([_("Colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)}])
    columns = {suffix: names[prefix + suffix] for suffix in REQUIRED}
    columns["QUARTIER"] = names["QUARTIER"]
    return 2000 + year, columns


def _bands(value: dict[str, float]) -> dict[Key, float]:
    under_18 = value["POP0002"] + value["POP0305"] + value["POP0610"] + value["POP1117"]
    return {
        ("total", ""): value["POP"],
        ("age", "u18"): under_18,
        ("age", "18-29"): max(value["POP0014"] + value["POP1529"] - under_18, 0.0),
        ("age", "30-44"): value["POP3044"],
        ("age", "45-59"): value["POP4559"],
        ("age", "60-74"): value["POP6074"],
        ("age", "75+"): value["POP75P"],
        ("gender", "f"): value["POPF"],
        ("gender", "m"): value["POPH"],
    }


def parse(raw: bytes) -> Parsed:
    """The figures of the file, summed by quartier; :class:`InseeError` with every problem
    found (up to ``MAX_ERRORS``, with their line numbers) when anything is wrong: nothing is
    imported from a file with an error."""
    if len(raw) > MAX_BYTES:
        raise InseeError([_("Le fichier dépasse 20 Mo : gardez seulement les IRIS de la ville.")])
    if b"\x00" in raw:
        raise InseeError([_("Ce fichier n'est pas un CSV (il contient des octets nuls).")])
    rows = spreadsheet_rows(decode_spreadsheet(raw))
    if len(rows) < 2:
        raise InseeError([_("Le fichier est vide : il faut une ligne d'en-tête et au moins une ligne d'IRIS.")])
    year, columns = _header(rows[0][1])
    quartiers = _quartiers()
    parsed = Parsed(year=year)
    totals: dict[int, dict[Key, float]] = defaultdict(lambda: defaultdict(float))
    errors: list[str] = []
    for line, cells in rows[1:]:
        cells = cells + [""] * (max(columns.values()) + 1 - len(cells))
        name = cells[columns["QUARTIER"]]
        territory = quartiers.get(_fold(name))
        if territory is None:
            errors.append(_("Ligne %(line)d : quartier « %(name)s » inconnu.") % {"line": line, "name": name[:80]})
            continue
        values: dict[str, float] = {}
        for suffix, index in columns.items():
            if suffix == "QUARTIER":
                continue
            number = _number(cells[index])
            if number is None:
                errors.append(
                    _("Ligne %(line)d : « %(value)s » n'est pas un nombre.")
                    % {"line": line, "value": cells[index][:30]}
                )
                break
            values[suffix] = number
        else:
            for key, figure in _bands(values).items():
                totals[territory.pk][key] += figure
            totals[territory.pk][("qpv", "")] += values["POP"] if territory.is_priority_area else 0.0
            parsed.rows += 1
        if len(errors) >= MAX_ERRORS:
            errors.append(_("Trop d'erreurs : la lecture s'arrête ici."))
            break
    if errors:
        raise InseeError(errors)
    parsed.figures = {pk: dict(figures) for pk, figures in totals.items()}
    return parsed
