"""The indexes of the ballot path (budgets 0008, core 0009; issue 15): the indexes no query
read are gone, every unique constraint and foreign key stays, and the migrations go back.

Each ballot of voting day wrote about forty index entries; the redundant ones were the
``varchar_pattern_ops`` twins of the locator's and the receipt's unique indexes, the choice's
ballot index (the unique (ballot, project) index starts with it) and the participation
event's process and person indexes (the (process, day) and (person, day) ones start with
them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from apps.budgets.models import Ballot, Envelope
from tests.migrations_kit import migrate as _migrate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("budgets", "0007_project_cover"), ("core", "0008_participation_phone_channel")]


def _constraints(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        found: dict[str, Any] = connection.introspection.get_constraints(cursor, table)
        return found


def _indexed(table: str, columns: list[str], *, unique: bool | None = None) -> list[str]:
    """Names of the indexes (or unique constraints) of ``table`` on exactly ``columns``."""
    return [
        name
        for name, info in _constraints(table).items()
        if info["columns"] == columns
        and (info["index"] or info["unique"])
        and not info["primary_key"]
        and (unique is None or info["unique"] == unique)
    ]


def _foreign_key(table: str, column: str) -> bool:
    return any(info["foreign_key"] and info["columns"] == [column] for info in _constraints(table).values())


def _assert_lean() -> None:
    # One index each for the locator and the receipt: the unique one.
    assert _indexed("budgets_ballot", ["locator"]) == ["one_ballot_per_locator"]
    assert _indexed("budgets_ballot", ["receipt"]) == ["one_ballot_per_receipt"]
    assert _indexed("budgets_ballotchoice", ["ballot_id"]) == []
    assert _indexed("budgets_ballotchoice", ["ballot_id", "project_id"], unique=True) == ["one_choice_per_project"]
    assert _indexed("core_participationevent", ["person_id"]) == []
    assert _indexed("core_participationevent", ["process_id"]) == []
    assert _indexed("core_participationevent", ["person_id", "day"]) == ["participation_person_day"]
    assert _indexed("core_participationevent", ["process_id", "day"]) == ["participation_process_day"]
    for table, column in (
        ("budgets_ballotchoice", "ballot_id"),
        ("core_participationevent", "person_id"),
        ("core_participationevent", "process_id"),
    ):
        assert _foreign_key(table, column), (table, column)


def test_the_ballot_path_indexes_go_and_come_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the pattern-ops indexes are PostgreSQL's")
    _assert_lean()

    _migrate(BEFORE)
    try:
        # Before: a unique index and its pattern-ops twin for each text, single-column indexes.
        assert len(_indexed("budgets_ballot", ["locator"])) == 2
        assert len(_indexed("budgets_ballot", ["receipt"])) == 2
        assert len(_indexed("budgets_ballotchoice", ["ballot_id"])) == 1
        assert len(_indexed("core_participationevent", ["person_id"])) == 1
        assert len(_indexed("core_participationevent", ["process_id"])) == 1
    finally:
        _migrate()
    _assert_lean()


def test_a_receipt_or_a_locator_is_still_unique(city_envelope: Envelope) -> None:
    Ballot.objects.create(envelope=city_envelope, locator="L" * 64, receipt="AAAA-BBBB-CCCC-DDDD")
    for locator, receipt in (("M" * 64, "AAAA-BBBB-CCCC-DDDD"), ("L" * 64, "EEEE-FFFF-GGGG-HHHH")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Ballot.objects.create(envelope=city_envelope, locator=locator, receipt=receipt)
    # Erased locators (the close) are NULL, and NULLs do not collide.
    Ballot.objects.filter(envelope=city_envelope).update(locator=None)
    Ballot.objects.create(envelope=city_envelope, locator=None, receipt="IIII-JJJJ-KKKK-LLLL")
    assert Ballot.objects.filter(locator__isnull=True).count() == 2
