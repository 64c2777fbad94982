"""Generate the demo city's map data: quartier boundaries and a street gazetteer.

    python scripts/build_demo_geodata.py

Writes ``apps/core/data/quartiers-nantes.geojson`` and ``apps/core/data/rues-nantes.csv``.
The boundaries are the Voronoi cells of the demo quartiers' centres, clipped to a rough outline
of the city: plausible, without gaps or overlaps, not the official limits (the city imports its
own in production). The streets are Nantes-like names placed at seeded random points inside the
outline. Deterministic: running it twice writes the same files.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.core import geo  # noqa: E402
from apps.core.management.commands import _demo_data as data  # noqa: E402

OUT = ROOT / "apps" / "core" / "data"
# A rough outline of Nantes (lon, lat), counter-clockwise, closed.
CITY = [
    (-1.6420, 47.2010),
    (-1.6180, 47.1880),
    (-1.5800, 47.1840),
    (-1.5520, 47.1760),
    (-1.5200, 47.1800),
    (-1.4980, 47.1960),
    (-1.4800, 47.2180),
    (-1.4860, 47.2460),
    (-1.5020, 47.2680),
    (-1.5300, 47.2860),
    (-1.5650, 47.2920),
    (-1.5950, 47.2780),
    (-1.6150, 47.2580),
    (-1.6300, 47.2380),
    (-1.6440, 47.2200),
    (-1.6420, 47.2010),
]
# Degrees of longitude are shorter than degrees of latitude at 47° N.
LON_SCALE = math.cos(math.radians(47.22))


def _clip(
    polygon: list[tuple[float, float]], a: tuple[float, float], b: tuple[float, float]
) -> list[tuple[float, float]]:
    """Keep the part of ``polygon`` closer to ``a`` than to ``b`` (Sutherland–Hodgman)."""

    def side(p: tuple[float, float]) -> float:
        ax, ay, bx, by = a[0] * LON_SCALE, a[1], b[0] * LON_SCALE, b[1]
        px, py = p[0] * LON_SCALE, p[1]
        return (px - (ax + bx) / 2) * (bx - ax) + (py - (ay + by) / 2) * (by - ay)

    result: list[tuple[float, float]] = []
    ring = polygon[:-1] if polygon and polygon[0] == polygon[-1] else polygon
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        s_cur, s_prev = side(current), side(previous)
        if s_cur <= 0:
            if s_prev > 0:
                t = s_prev / (s_prev - s_cur)
                result.append(
                    (previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1]))
                )
            result.append(current)
        elif s_prev <= 0:
            t = s_prev / (s_prev - s_cur)
            result.append((previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])))
    if result:
        result.append(result[0])
    return result


def boundaries() -> dict[str, object]:
    centres = [(q["centre"][1], q["centre"][0]) for q in data.QUARTIERS]
    features: list[dict[str, object]] = [
        {
            "type": "Feature",
            "properties": {"name": "Nantes", "kind": "city"},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in CITY]]},
        }
    ]
    for index, quartier in enumerate(data.QUARTIERS):
        cell = list(CITY)
        for other, centre in enumerate(centres):
            if other != index:
                cell = _clip(cell, centres[index], centre)
        ring = [[round(x, 5), round(y, 5)] for x, y in cell]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": quartier["name"], "kind": "quartier"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


KINDS = ["rue", "rue", "rue", "rue", "allée", "boulevard", "avenue", "impasse", "place", "quai", "chemin", "square"]
NAMES = [
    "Jules-Verne",
    "Aristide-Briand",
    "de la Loire",
    "de l'Erdre",
    "Anne-de-Bretagne",
    "du Château",
    "Paul-Bellamy",
    "de Strasbourg",
    "Gambetta",
    "Victor-Hugo",
    "Jean-Jaurès",
    "Émile-Zola",
    "des Olivettes",
    "de la Fosse",
    "Kervégan",
    "de Versailles",
    "de Rennes",
    "de Vannes",
    "de Paris",
    "de Clisson",
    "de la Marne",
    "Mondésir",
    "des Hauts-Pavés",
    "Saint-Félix",
    "Sainte-Anne",
    "Chanzy",
    "Lamoricière",
    "Félix-Faure",
    "Guist'hau",
    "Mercœur",
    "des Dervallières",
    "Corneille",
    "Racine",
    "Molière",
    "Voltaire",
    "Lamartine",
    "Alfred-de-Musset",
    "George-Sand",
    "Colette",
    "Louise-Michel",
    "Simone-Veil",
    "Olympe-de-Gouges",
    "Lucie-Aubrac",
    "Germaine-Tillion",
    "Marie-Curie",
    "Pasteur",
    "Gaston-Veil",
    "Jules-Ferry",
    "Condorcet",
    "Flora-Tristan",
    "des Trois-Croissants",
    "du Pont-Rousseau",
    "de la Bottière",
    "de Doulon",
    "du Breil",
    "de la Barberie",
    "de la Beaujoire",
    "du Ranzay",
    "de la Jonelière",
    "du Petit-Port",
    "de la Géraudière",
    "de la Houssinière",
    "des Renardières",
    "de Sèvre",
    "de Pirmil",
    "de Malakoff",
    "Saint-Donatien",
    "de Chantenay",
    "de Bellevue",
    "de la Durantière",
    "des Chalâtres",
    "de l'Île-Gloriette",
    "Prairie-au-Duc",
    "de la Madeleine",
    "de Saint-Similien",
    "du Calvaire",
    "de Feltre",
    "de Budapest",
    "de Bréa",
    "Copernic",
    "Talensac",
    "Harouys",
    "Mellinet",
    "des Acacias",
    "des Tilleuls",
    "des Marronniers",
    "des Peupliers",
    "des Lilas",
    "des Glycines",
    "des Mimosas",
    "des Camélias",
    "des Magnolias",
    "des Hortensias",
    "des Bleuets",
    "des Coquelicots",
    "du Port-Boyer",
    "de la Mitrie",
    "du Croisic",
    "de Pornic",
    "de Guérande",
    "de Saint-Nazaire",
    "d'Ancenis",
    "de Châteaubriant",
    "de la Chézine",
    "des Plantes",
    "du Jardin-des-Plantes",
    "Ledru-Rollin",
    "de Coulmiers",
    "Dobrée",
    "Arsène-Leloup",
    "Paul-Doumer",
    "Maréchal-Joffre",
    "de la Convention",
    "Camille-Claudel",
    "Frida-Kahlo",
    "Nelson-Mandela",
    "Rosa-Parks",
    "Martin-Luther-King",
    "Aimé-Césaire",
]


def streets(outline: dict[str, object]) -> list[tuple[str, float, float]]:
    rng = random.Random(44000)  # noqa: S311 - reproducible demo data
    city = {"type": "Polygon", "coordinates": [[list(p) for p in CITY]]}
    west, east = min(p[0] for p in CITY), max(p[0] for p in CITY)
    south, north = min(p[1] for p in CITY), max(p[1] for p in CITY)
    rows: dict[str, tuple[str, float, float]] = {}
    # The places named in the demo proposals, near their quartier's centre.
    for quartier in data.QUARTIERS:
        lat, lon = quartier["centre"]
        for place in quartier["places"]:
            label = place[0].upper() + place[1:]
            rows[label.casefold()] = (
                label,
                round(lat + rng.uniform(-0.004, 0.004), 5),
                round(lon + rng.uniform(-0.004, 0.004), 5),
            )
    while len(rows) < 420:
        kind, name = rng.choice(KINDS), rng.choice(NAMES)
        label = f"{kind.capitalize()} {name}"
        if label.casefold() in rows:
            continue
        while True:
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            if geo.contains(city, latitude=lat, longitude=lon):
                break
        rows[label.casefold()] = (label, round(lat, 5), round(lon, 5))
    return sorted(rows.values(), key=lambda row: row[0].casefold())


def main() -> None:
    OUT.mkdir(exist_ok=True)
    outline = boundaries()
    (OUT / "quartiers-nantes.geojson").write_text(
        json.dumps(outline, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with (OUT / "rues-nantes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nom", "latitude", "longitude"])
        writer.writerows(streets(outline))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
