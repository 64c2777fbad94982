"""A questionnaire's answers added up by the database: the rows the results are drawn from.

One grouped row per (question, answer key, quartier, age band, site) with its count and, for a
ranking, the sum of the ranks. Keys: ``""`` counts the respondents who answered the question;
a choice or a scale value is its number (``"2"``); a matrix cell is ``"row:column"``; an item of
a multiple choice or a ranking is its option's number (``rank_sum`` then adds its ranks).

On PostgreSQL a single ``GROUP BY`` over ``jsonb_each`` does the work next to the data: the
Python side receives a few thousand rows instead of 250,000 JSON objects. Elsewhere (the SQLite
demo) the same rows are built by one Python scan. Answers are stored only when their question
applies (``answers.parse`` drops the others), so no condition is re-checked here.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count

from apps.consultations.questionnaires.models import Response

# question id, key, quartier id, age band, site id, count, rank sum
Row = tuple[int, str, int | None, str, int | None, int, int]
# quartier id, age band, site id, count
ProfileRow = tuple[int | None, str, int | None, int]

_SQL = """
SELECT e.key::bigint, k.key, r.territory_id, r.age_band, r.site_id, count(*), coalesce(sum(k.rank), 0)
FROM consultations_response r
CROSS JOIN LATERAL jsonb_each(r.answers) e
CROSS JOIN LATERAL (
    SELECT '' AS key, 0::bigint AS rank
    UNION ALL
    SELECT e.value::text, 0 WHERE jsonb_typeof(e.value) = 'number'
    UNION ALL
    SELECT x.value::text, x.ord
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]' END)
        WITH ORDINALITY AS x(value, ord)
    UNION ALL
    SELECT m.key || ':' || m.value::text, 0
    FROM jsonb_each(CASE WHEN jsonb_typeof(e.value) = 'object' THEN e.value ELSE '{}' END) AS m
) AS k
WHERE r.questionnaire_id = %s
GROUP BY 1, 2, 3, 4, 5
"""


def _keys(value: Any) -> list[tuple[str, int]]:
    """The same keys as the SQL above, for one answer."""
    keys = [("", 0)]
    if isinstance(value, bool):  # never stored, but bool is an int in Python
        return keys
    if isinstance(value, int):
        keys.append((str(value), 0))
    elif isinstance(value, list):
        keys += [(str(item), rank) for rank, item in enumerate(value, start=1)]
    elif isinstance(value, dict):
        keys += [(f"{row}:{column}", 0) for row, column in value.items()]
    return keys


def answer_rows_python(questionnaire_id: int) -> list[Row]:
    counts: Counter[tuple[int, str, int | None, str, int | None]] = Counter()
    ranks: Counter[tuple[int, str, int | None, str, int | None]] = Counter()
    rows = (
        Response.objects.filter(questionnaire_id=questionnaire_id)
        .values_list("answers", "territory_id", "age_band", "site_id")
        .iterator(chunk_size=2000)
    )
    for answers, quartier, age_band, site in rows:
        for question, value in answers.items():
            for key, rank in _keys(value):
                group = (int(question), key, quartier, age_band, site)
                counts[group] += 1
                ranks[group] += rank
    return [(*group, count, ranks[group]) for group, count in counts.items()]


def answer_rows(questionnaire_id: int) -> list[Row]:
    if connection.vendor != "postgresql":
        return answer_rows_python(questionnaire_id)
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [questionnaire_id])
        return [
            (int(q), str(key), quartier, age_band, site, int(n), int(rank))
            for q, key, quartier, age_band, site, n, rank in cursor.fetchall()
        ]


def profile_rows(questionnaire_id: int) -> list[ProfileRow]:
    grouped = (
        Response.objects.filter(questionnaire_id=questionnaire_id)
        .order_by()
        .values_list("territory_id", "age_band", "site_id")
        .annotate(n=Count("pk"))
    )
    return [(quartier, age_band, site, n) for quartier, age_band, site, n in grouped]


def aggregate(questionnaire_id: int) -> dict[str, Any]:
    """What the results are drawn from, as JSON (stored in the snapshot)."""
    data = {"answers": answer_rows(questionnaire_id), "profile": profile_rows(questionnaire_id)}
    # Through JSON and back: the caller sees exactly what a stored snapshot gives.
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded
