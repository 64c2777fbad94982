"""The end of a transactional test empties the database by deleting rows (:mod:`tests.fast_flush`):
every table is emptied, the append-only audit log included (its trigger refuses a plain
``DELETE``), and the content types and permissions are there again afterwards, as after Django's
``TRUNCATE``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, connections, transaction

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Territory, audit
from tests import fast_flush
from tests.factories import TerritoryFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_flush_deletes_every_row_even_the_append_only_ones() -> None:
    agent = UserFactory.create()
    territory = TerritoryFactory.create()
    audit(agent, "territory.edited", territory)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.all()._raw_delete(connection.alias)  # what the trigger refuses
    statements = connection.ops.sql_flush(no_style(), [User._meta.db_table, AuditLogEntry._meta.db_table])
    if fast_flush.is_superuser(connection):  # as `make test` runs; otherwise flush truncates as Django does
        assert statements[0] == "SET LOCAL session_replication_role = replica"
        assert all(sql.startswith("DELETE FROM") for sql in statements[1:]) and len(statements) == 3
        # Another wrapper of the same database (a test may leave the worker with one) deletes too.
        other = connections.create_connection(connection.alias)
        try:
            assert other.ops.sql_flush(no_style(), [User._meta.db_table])[0] == statements[0]
        finally:
            other.close()
    else:
        assert statements[0].startswith("TRUNCATE")

    call_command("flush", verbosity=0, interactive=False)

    assert not User.objects.exists() and not Territory.objects.exists() and not AuditLogEntry.objects.exists()
    assert ContentType.objects.filter(app_label="core", model="auditlogentry").exists()
    assert Permission.objects.filter(codename="add_territory").exists()
    # Outside the flush the trigger is on again.
    audit(None, "territory.edited", TerritoryFactory.create())
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.all()._raw_delete(connection.alias)
