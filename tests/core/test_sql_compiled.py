"""apps.core.sql.compiled: an ORM query compiled once per shape, each call binding its values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.db.models import QuerySet

from apps.core import sql
from apps.core.models import Process
from apps.proposals.models import Proposal
from tests.factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _titles(process: Process, status: str) -> list[str]:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        query = Proposal.objects.filter(process=bound["process"], status=bound["status"])
        return query.order_by("title").values_list("title")

    values = {"process": process.pk, "status": status}
    return [row[0] for row in sql.compiled_rows(sql.compiled(("test.titles",), build, values), values)]


def test_one_compilation_serves_every_value() -> None:
    process, other = ProcessFactory.create(), ProcessFactory.create()
    ProposalFactory.create(process=process, title="Bancs", status="accepted")
    ProposalFactory.create(process=process, title="Arbres", status="received")
    ProposalFactory.create(process=other, title="Fontaine", status="accepted")
    assert _titles(process, "accepted") == ["Bancs"]
    assert _titles(process, "received") == ["Arbres"]  # same statement, other values
    assert _titles(other, "accepted") == ["Fontaine"]
    assert _titles(other, "received") == []


def test_a_value_the_orm_transforms_is_refused() -> None:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        return Proposal.objects.filter(title__contains=bound["word"]).values_list("pk")  # becomes %word%

    with pytest.raises(ValueError, match="transformed"):
        sql.compiled(("test.contains",), build, {"word": "banc"})


def test_a_value_written_in_the_sql_text_is_refused() -> None:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        return Proposal.objects.values_list("pk")[: abs(bound["size"])]  # LIMIT is written out, not bound

    with pytest.raises(ValueError, match="SQL text"):
        sql.compiled(("test.limit",), build, {"size": 3})


def test_only_str_and_int_values_can_be_bound() -> None:
    with pytest.raises(TypeError):
        sql.compiled(("test.bool",), lambda bound: Proposal.objects.filter(is_paper=bound["flag"]), {"flag": True})
