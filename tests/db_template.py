"""The test database is cloned from a migrated template instead of being migrated by each worker.

Migrating an empty database through the project's ~100 migrations costs more CPU than any test
module (Django renders the historical models again after each data migration), and each pytest-xdist
worker did it for its own database. The migrated schema is now built once, into a PostgreSQL
database named after a hash of every migration file (``test_<NAME>_tpl_<hash>``), and each worker's
database is a ``CREATE DATABASE ... TEMPLATE`` copy of it (about a second). The template is kept
between runs: the next run that finds the same migrations only clones it. A changed, added or
removed migration file changes the hash, so a new template is built (older ones are dropped).

The tests still run on a database made by the real migrations (triggers, extensions and data
migrations included); only the repetition is gone. ``--create-db`` rebuilds the template, and
``ARCHIPEL_TEST_DB_TEMPLATE=0`` falls back to pytest-django's own set-up (each worker migrates).
Workers take turns through a PostgreSQL advisory lock, so only one builds and the others clone.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

# Any 64-bit number of our own: the advisory lock that serialises template builds and clones.
_LOCK_KEY = 0x41524348_4950454C  # "ARCHIPEL"


def enabled(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql" and os.environ.get("ARCHIPEL_TEST_DB_TEMPLATE", "1") != "0"


def migrations_key() -> str:
    """A hash of every migration file of every installed app, and of Django's version."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(django.get_version().encode())
    for app_label, name in sorted(loader.disk_migrations):
        module = sys.modules[type(loader.disk_migrations[app_label, name]).__module__]
        digest.update(f"{app_label}.{name}\0".encode())
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


def _quote(connection: BaseDatabaseWrapper, name: str) -> str:
    return str(connection.ops.quote_name(name))


def _exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build(connection: BaseDatabaseWrapper, template: str, verbosity: int) -> None:
    """Migrate a new database and rename it to ``template`` once complete (a crash mid-way leaves
    no half-built template behind), dropping the templates of older migrations."""
    building = f"{template}_build"
    name, test_name = connection.settings_dict["NAME"], connection.settings_dict["TEST"]["NAME"]
    connection.settings_dict["TEST"]["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.settings_dict["TEST"]["NAME"] = test_name
        settings.DATABASES[connection.alias]["NAME"] = name
    prefix = template.rsplit("_tpl_", 1)[0] + "_tpl_"
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
        for (old,) in cursor.fetchall():
            if old != building:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, old)}")
        cursor.execute(f"ALTER DATABASE {_quote(connection, building)} RENAME TO {_quote(connection, template)}")


def clone_test_database(connection: BaseDatabaseWrapper, *, rebuild: bool, verbosity: int) -> str:
    """Point ``connection`` at a fresh copy of the migrated template; return the old ``NAME``."""
    old_name = str(connection.settings_dict["NAME"])
    target = str(connection.settings_dict["TEST"]["NAME"] or TEST_DATABASE_PREFIX + old_name)
    template = f"test_{old_name}_tpl_{migrations_key()}"
    with connection._nodb_cursor() as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
        try:
            if rebuild or not _exists(lock, template):
                _build(connection, template, verbosity)
            if verbosity >= 1:
                print(f"Cloning test database {target} from {template}...", file=sys.stderr)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, target)}")
                cursor.execute(f"CREATE DATABASE {_quote(connection, target)} TEMPLATE {_quote(connection, template)}")
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = target
    connection.settings_dict["NAME"] = target
    connection.ensure_connection()
    return old_name
