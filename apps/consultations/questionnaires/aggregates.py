"""A questionnaire's answers added up by the database: the rows the results are drawn from.

One grouped row per (question, answer key, quartier, age band, site) with its count and, for a
ranking, the sum of the ranks. Keys: ``""`` counts the respondents who answered the question;
a choice or a scale value is its number (``"2"``); a matrix cell is ``"row:column"``; an item of
a multiple choice or a ranking is its option's number (``rank_sum`` then adds its ranks).

On PostgreSQL one scan with ``GROUPING SETS`` does the work next to the data: the Python side
receives a few thousand groups instead of 250,000 JSON objects. (A first version unnested every
answer with ``jsonb_each`` in SQL: ten times slower than this at 250,000 responses.) Elsewhere (the SQLite
demo) the same rows are built by one Python scan. Answers are stored only when their question
applies (``answers.parse`` drops the others), so no condition is re-checked here. The confirmed
totals of a multi-site session's tables (``tables``) add their rows: their site, no profile.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count

from apps.consultations.questionnaires.models import PaperForm, Question, Response, TableTotals

# question id, key, quartier id, age band, site id, count, rank sum
Row = tuple[int, str, int | None, str, int | None, int, int]
# quartier id, age band, site id, count
ProfileRow = tuple[int | None, str, int | None, int]


def _grouped_sql(questions: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """One scan, one hash table per question (``GROUPING SETS``), plus the profile's set.

    A question's column is its whole answer (``answers -> 'id'``): a choice, a list, a matrix
    object. Their variety is small (a few options, their combinations), so a few thousand
    groups come back, unnested by Python with their counts. A free text's column is only
    « answered or not » (``?``): the texts never leave the database here."""
    profile = "territory_id, age_band, site_id"
    columns = []
    params = []
    for index, (pk, kind) in enumerate(questions):
        operator = "?" if kind == "text" else "->"
        columns.append(f"answers {operator} %s AS a{index}")
        params.append(str(pk))
    names = [f"a{index}" for index in range(len(questions))]
    sets = ", ".join([f"({profile})"] + [f"({profile}, {name})" for name in names])
    grouping = f"GROUPING({', '.join(names)})" if names else "0"
    inner = ", ".join([profile, *columns])
    outer = ", ".join([profile, *names, grouping, "count(*)"])
    sql = (
        f"SELECT {outer} FROM (SELECT {inner} FROM consultations_response "  # noqa: S608
        f"WHERE questionnaire_id = %s) AS r GROUP BY GROUPING SETS ({sets})"
    )
    return sql, params


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


def rows_sql(questionnaire_id: int) -> tuple[list[Row], list[ProfileRow]]:
    questions = list(Question.objects.filter(questionnaire_id=questionnaire_id).values_list("pk", "kind"))
    sql, params = _grouped_sql(questions)
    width = len(questions)
    answers: Counter[tuple[int, str, int | None, str, int | None]] = Counter()
    ranks: Counter[tuple[int, str, int | None, str, int | None]] = Counter()
    profile: list[ProfileRow] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, questionnaire_id])
        for row in cursor.fetchall():
            quartier, age_band, site = row[0], row[1], row[2]
            mask, n = row[3 + width], int(row[4 + width])
            if mask == (1 << width) - 1:  # every question grouped out: the profile's set
                profile.append((quartier, age_band, site, n))
                continue
            index = next(i for i in range(width) if not mask & (1 << (width - 1 - i)))
            value = row[3 + index]
            if value is None or value is False:
                continue
            if isinstance(value, str) and questions[index][1] != "text":
                value = json.loads(value)
            for key, rank in _keys(value):
                group = (questions[index][0], key, quartier, age_band, site)
                answers[group] += n
                ranks[group] += rank * n
    return [(*group, count, ranks[group]) for group, count in answers.items()], profile


def profile_rows(questionnaire_id: int) -> list[ProfileRow]:
    grouped = (
        Response.objects.filter(questionnaire_id=questionnaire_id)
        .order_by()
        .values_list("territory_id", "age_band", "site_id")
        .annotate(n=Count("pk"))
    )
    return [(quartier, age_band, site, n) for quartier, age_band, site, n in grouped]


def table_rows(questionnaire_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Confirmed totals as the rows of ``aggregates``: no quartier, no age band, their site."""
    answers: list[tuple[Any, ...]] = []
    profile: list[tuple[Any, ...]] = []
    confirmed = TableTotals.objects.filter(
        site__questionnaire_id=questionnaire_id, state=PaperForm.State.CONFIRMED
    ).values_list("site_id", "second_entry")
    for site, entry in confirmed:
        if not entry:
            continue
        profile.append((None, "", site, int(entry["headcount"])))
        for question, counts in entry["counts"].items():
            answers += [(int(question), key, None, "", site, int(n), 0) for key, n in counts.items()]
    return answers, profile


def aggregate(questionnaire_id: int) -> dict[str, Any]:
    """What the results are drawn from, as JSON (stored in the snapshot)."""
    if connection.vendor == "postgresql":
        answers, profile = rows_sql(questionnaire_id)
    else:
        answers, profile = answer_rows_python(questionnaire_id), profile_rows(questionnaire_id)
    tables, people = table_rows(questionnaire_id)
    data = {"answers": answers + tables, "profile": profile + people}
    # Through JSON and back: the caller sees exactly what a stored snapshot gives.
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded
