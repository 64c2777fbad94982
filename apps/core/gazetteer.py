"""A local street gazetteer: address suggestions without calling anyone.

The city ships its streets as a CSV file (``nom,latitude,longitude``; setting
``ADDRESS_GAZETTEER_FILE``, the demo's Nantes-like streets by default). Suggestions match the
start of any word of the name, accents and case ignored ("cure" finds "Marie-Curie").
In production a city may prefer the national address service (``ADDRESS_SEARCH_URL``, see
docs/MAPS.md): the browser then asks it directly, and this module stays the no-network fallback.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.conf import settings

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "rues-nantes.csv"
# A longer query is not a street name: refused before any work.
MAX_QUERY = 100
MIN_QUERY = 2
LIMIT = 8


@dataclass(frozen=True)
class Street:
    name: str
    latitude: Decimal
    longitude: Decimal
    words: tuple[str, ...]
    folded: str


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (hyphens and apostrophes too)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.split(r"[\W_]+", bare.casefold())).strip()


def _gazetteer_path() -> Path:
    configured = getattr(settings, "ADDRESS_GAZETTEER_FILE", "")
    return Path(configured) if configured else DEFAULT_FILE


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Street, ...]:
    streets: list[Street] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                latitude, longitude = Decimal(row["latitude"]), Decimal(row["longitude"])
            except (InvalidOperation, KeyError, TypeError):
                continue  # a broken line must not take the whole search down
            name = (row.get("nom") or "").strip()
            if name and abs(latitude) <= 90 and abs(longitude) <= 180:
                folded = fold(name)
                streets.append(Street(name, latitude, longitude, tuple(folded.split()), folded))
    return tuple(streets)


def streets() -> tuple[Street, ...]:
    return _load(_gazetteer_path())


def search(query: str, *, limit: int = LIMIT) -> list[Street]:
    """Streets whose words start with the query's words, best first: the name starting with the
    query, then by name. The caller validates the query (length, control characters)."""
    terms = fold(query).split()
    if not terms or len(" ".join(terms)) < MIN_QUERY:
        return []
    matches: list[tuple[int, str, Street]] = []
    for street in streets():
        if all(any(word.startswith(term) for word in street.words) for term in terms):
            rank = 0 if street.folded.startswith(terms[0]) else 1
            matches.append((rank, street.folded, street))
    matches.sort(key=lambda match: (match[0], match[1]))
    return [street for _, _, street in matches[:limit]]


def find(name: str) -> Street | None:
    """The street named exactly ``name`` (accents and case ignored), if the gazetteer has it."""
    folded = fold(name)
    return next((street for street in streets() if street.folded == folded), None)
