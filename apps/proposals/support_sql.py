"""The support's write in one prepared statement: the support row, the proposal's counter and
the participation event of the indicators (apps.core.participation).

A support is the busiest write of the platform (a popular proposal shared on a Saturday
morning). Written with the ORM it took a transaction of eight statements (``BEGIN``, the
support, the counter, the person's home quartier, the first-participation question, the
event's unique check, the event, ``COMMIT``), each compiled in Python. One statement is atomic
by itself and PostgreSQL parses and plans it once per connection.

The guarantee is unchanged: the unique constraint (proposal, user). Of parallel requests from
one account, one insert goes through; the others wait for it and then do nothing (``ON
CONFLICT DO NOTHING``), so the counter and the event follow only the insert that happened.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from django.db import connections, models, router
from django.utils import timezone

from apps.core import participation
from apps.core.sql import prepared_cursor
from apps.proposals.models import Proposal, Support

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def _column(model: type[models.Model], name: str) -> str:
    field = cast("models.Field[Any, Any]", model._meta.get_field(name))
    return str(connections[router.db_for_write(model)].ops.quote_name(field.column))


@functools.cache
def _statement(event_sql: str) -> str:
    """Built once (the event's statement text is the same at every call); names come from
    the models, every value is bound."""
    quote = connections[router.db_for_write(Support)].ops.quote_name
    support_columns = ", ".join(_column(Support, name) for name in ("proposal", "user", "created_at"))
    counter = _column(Proposal, "support_count")
    return (
        f"WITH support AS (INSERT INTO {quote(Support._meta.db_table)} ({support_columns}) "  # noqa: S608 (model names)
        "VALUES (%s::bigint, %s::bigint, %s::timestamptz) ON CONFLICT DO NOTHING RETURNING 1), "
        f"counter AS (UPDATE {quote(Proposal._meta.db_table)} SET {counter} = {counter} + 1 "
        f"WHERE {_column(Proposal, 'id')} = %s::bigint AND EXISTS (SELECT 1 FROM support) RETURNING 1), "
        f"event AS ({event_sql} FROM support RETURNING 1) "
        "SELECT 1 FROM support"
    )


def insert_support(*, user: AbstractBaseUser, proposal: Proposal) -> bool:
    """Support ``proposal`` as ``user`` if not yet done; True when a support was created."""
    event_sql, event_params = participation.snapshot_sql(
        module="proposals", kind="support", person=user, process_id=proposal.process_id
    )
    params = [proposal.pk, user.pk, timezone.now(), proposal.pk, *event_params]
    with prepared_cursor(router.db_for_write(Support)) as cursor:
        cursor.execute(_statement(event_sql), params)
        return cursor.fetchone() is not None
