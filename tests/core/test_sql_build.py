"""apps.core.sql.build: a row read by a fixed statement becomes the instance ``Model.from_db`` gives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, models
from django.db.models.signals import post_init
from django.utils import timezone

from apps.core import sql
from apps.core.models import Phase, Process, Territory
from apps.proposals.models import ProposalImage
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def _row(model: type[models.Model], pk: int, skipped: tuple[str, ...] = ()) -> tuple[list[str], tuple[Any, ...]]:
    names, cols = sql.columns(model, "x", skipped)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {table} x WHERE x.id = %s", [pk])
        row = cursor.fetchone()
    assert row is not None
    return names, row


def _fields(instance: models.Model) -> dict[str, Any]:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


@pytest.mark.parametrize(
    ("model", "skipped"),
    [
        (Territory, ("boundary",)),  # filled in directly, a column left deferred
        (Phase, ()),  # filled in directly, a foreign key's id among the fields
        (Process, ("description",)),  # through from_db: its cover is an image
    ],
)
def test_a_built_instance_is_the_one_from_db_gives(model: type[models.Model], skipped: tuple[str, ...]) -> None:
    process = ProcessFactory.create()
    starts = timezone.now()
    phase = Phase.objects.create(
        process=process, module="budgets", kind="vote", title="Vote", starts_at=starts, ends_at=starts + timedelta(1)
    )
    pk = {Process: process.pk, Territory: process.territory_id, Phase: phase.pk}[model]
    names, row = _row(model, pk, skipped)

    built = sql.build(model, names, row, "default", skipped)
    loaded = model.from_db("default", names, list(row))

    assert type(built) is model
    assert _fields(built) == _fields(loaded)
    assert (built._state.adding, built._state.db) == (False, "default")
    # A skipped column stays deferred, loaded on access as the ORM would.
    assert built.get_deferred_fields() == loaded.get_deferred_fields() == set(skipped)
    for name in skipped:
        assert getattr(built, name) == getattr(model._default_manager.get(pk=pk), name)
    if model is Phase:
        assert built.process == process  # type: ignore[attr-defined]


def test_a_post_init_receiver_still_runs() -> None:
    process = ProcessFactory.create()
    names, row = _row(Process, process.pk)
    seen: list[Any] = []

    def receiver(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Process)
    try:
        sql.build(Process, names, row, "default")
    finally:
        post_init.disconnect(receiver, sender=Process)
    assert seen == [process.pk]


def test_a_field_with_its_own_setter_goes_through_from_db() -> None:
    # An image's descriptor wraps the value in a file object: Model.__init__ must set it.
    assert not sql._plain_fields(ProposalImage, tuple(sql.columns(ProposalImage, "x")[0]))
    assert not sql._plain_fields(Process, tuple(sql.columns(Process, "x")[0]))  # its cover
    assert sql._plain_fields(Territory, tuple(sql.columns(Territory, "x", ("boundary",))[0]))
