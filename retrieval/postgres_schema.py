"""Versioned schema migrations for the project's tables in a PostgreSQL database.

Each component (the catalog, later others) keeps an ordered list of migrations; `migrate` applies the
ones a database lacks, each in its own transaction with its row in `schema_migrations`, so a start
that dies half-way leaves a database at a known version. A database whose version is newer than the
code's is refused: an older release must not write to tables it does not know. Several processes
starting at once take turns on an advisory lock, so each migration runs exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from retrieval.errors import StorageError

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key for migrations ('coalmigr' as an int64): one project, one key
MIGRATION_LOCK = 0x636F616C6D696772

_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    component text NOT NULL, version integer NOT NULL, description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version)
)
"""


@dataclass(frozen=True)
class Migration:
    """One step of a component's schema: its version (1, 2, …), what it does, and its SQL."""

    version: int
    description: str
    sql: str


def schema_version(conn: Any, component: str) -> int:
    """The component's version in this database (0: none of its tables yet)."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute(
        "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE component = %s", (component,)
    ).fetchone()
    return int(row[0])


def migrate(conn: Any, component: str, migrations: Sequence[Migration], where: str) -> list[int]:
    """Bring the component's tables up to the newest migration; returns the versions applied.

    `conn` is an autocommit connection; `where` names the database in messages (never a password).
    Raises StorageError when the database is newer than these migrations."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise ValueError(f"{component} migrations must be numbered 1, 2, 3, … in order (got {versions})")
    latest = len(migrations)
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(_TABLE)
        current = schema_version(conn, component)
    if current > latest:
        raise StorageError(
            f"the {component} in the {where} is at schema version {current}, newer than this version of "
            f"coalition-bot knows (version {latest}); run the release that upgraded it (or a newer one), or "
            "point DATABASE_URL at another database"
        )
    for migration in migrations[current:]:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            if schema_version(conn, component) >= migration.version:
                continue  # another process applied it while this one waited
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations(component, version, description) VALUES (%s, %s, %s)",
                (component, migration.version, migration.description),
            )
        applied.append(migration.version)
        log.info(
            "Migrated the %s in the %s to version %d: %s",
            component,
            where,
            migration.version,
            migration.description,
        )
    return applied
