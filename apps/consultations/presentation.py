"""The stored opinion map turned into what the map page says: groups in words, a table of every
statement by group, the common ground and the divides, the person's own place, and a scatter
drawn as plain SVG (no JavaScript)."""

from __future__ import annotations

import string
from typing import Any

from apps.consultations.models import OpinionMapSnapshot, Statement

SVG_SIZE = 300
SVG_MARGIN = 12
# Colours with at least 3:1 contrast on white, and a shape per group (colour is never alone).
GROUP_STYLES = [("#1f5fa8", "circle"), ("#a3460b", "square"), ("#2f7a32", "diamond"), ("#7b3a96", "circle")]


def letter(group: int) -> str:
    return string.ascii_uppercase[group % 26]


def _pct(value: float) -> int:
    return round(value * 100)


def map_view(
    snapshot: OpinionMapSnapshot | None, statements: dict[int, Statement], user_pk: int | None
) -> dict[str, Any]:
    if snapshot is None or not snapshot.data.get("groups"):
        return {"groups": [], "computed": snapshot is not None}
    data = snapshot.data
    groups = []
    for index, group in enumerate(data["groups"]):
        representative = [
            {"statement": statements[r["statement"]], "agree": r["agree"], "share": _pct(r["share"])}
            for r in group["representative"]
            if r["statement"] in statements
        ]
        groups.append({"letter": letter(index), "size": group["size"], "representative": representative})
    rows = [
        {
            "statement": statement,
            "cells": [
                {
                    "agree": _pct(group["agree"].get(str(pk), 0.0)),
                    "disagree": _pct(group["disagree"].get(str(pk), 0.0)),
                    "votes": group["votes"].get(str(pk), 0),
                }
                for group in data["groups"]
            ],
        }
        for pk, statement in statements.items()
    ]

    def texts(key: str) -> list[Statement]:
        return [statements[pk] for pk in data.get(key, []) if pk in statements]

    return {
        "computed": True,
        "participants": data.get("participants", 0),
        "groups": groups,
        "rows": rows,
        "agreed": texts("agreed"),
        "disagreed": texts("disagreed"),
        "divisive": texts("divisive")[:5],
        "mine": _mine(data, user_pk),
        "svg": _scatter(data, user_pk),
        "computed_at": snapshot.computed_at,
    }


def _mine(data: dict[str, Any], user_pk: int | None) -> dict[str, Any] | None:
    if user_pk is None:
        return None
    place = data.get("positions", {}).get(str(user_pk))
    if place is None:
        return {"placed": False, "voted": False}
    group = int(place[2])
    return {"placed": group >= 0, "voted": True, "letter": letter(group) if group >= 0 else ""}


def _scatter(data: dict[str, Any], user_pk: int | None) -> dict[str, Any]:
    """Points scaled into the SVG box, in group then x order (never in participant order)."""
    places = [place for place in data.get("positions", {}).values() if place[2] >= 0]
    mine = data.get("positions", {}).get(str(user_pk)) if user_pk is not None else None
    if not places:
        return {"points": [], "size": SVG_SIZE}
    xs, ys = [p[0] for p in places], [p[1] for p in places]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    inner = SVG_SIZE - 2 * SVG_MARGIN

    def scale(x: float, y: float) -> tuple[float, float]:
        return (
            round(SVG_MARGIN + (x - min(xs)) / span_x * inner, 1),
            round(SVG_MARGIN + (y - min(ys)) / span_y * inner, 1),
        )

    points = []
    for x, y, group in sorted(places, key=lambda p: (p[2], p[0], p[1])):
        sx, sy = scale(x, y)
        colour, shape = GROUP_STYLES[group % len(GROUP_STYLES)]
        points.append({"x": sx, "y": sy, "colour": colour, "shape": shape, "x0": sx - 3, "y0": sy - 3})
    me = None
    if mine is not None and mine[2] >= 0:
        mx, my = scale(mine[0], mine[1])
        me = {"x": mx, "y": my}
    legend = [
        {
            "letter": letter(g),
            "colour": GROUP_STYLES[g % len(GROUP_STYLES)][0],
            "shape": GROUP_STYLES[g % len(GROUP_STYLES)][1],
        }
        for g in range(len(data["groups"]))
    ]
    return {"points": points, "size": SVG_SIZE, "me": me, "legend": legend}
