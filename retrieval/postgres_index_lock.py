"""The reindex lock and the history of reindexes in PostgreSQL (DATABASE_URL), for processes on several
machines that share no folder.

A run takes `pg_try_advisory_lock` on a connection of its own and keeps that connection, idle, until the
run ends; the lock is the session's, so the server releases it when the run ends, when the process
exits, or when the connection is lost (the process was killed, or its machine vanished: the server's
TCP keepalives, set short on that connection, notice within about a minute). Taking the lock writes a
row in `index_runs` naming who, which process on which machine (and the server process holding the
lock), and since when: any process reads the holder from that row, joined with `pg_locks` so that the
row of a holder that died is never shown as holding it. The same table is the history.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import psycopg

from retrieval.errors import DatabaseUnavailable, IndexBusy
from retrieval.index_lock import (
    ATTEMPTS,
    BUSY,
    HISTORY_KEPT,
    INTERRUPTED,
    PAUSE_SECONDS,
    Holding,
    IndexLock,
    IndexRun,
    failure_line,
)
from retrieval.postgres_pool import DatabasePool, unavailable, unreachable
from retrieval.postgres_schema import Migration, migrate

log = logging.getLogger(__name__)

COMPONENT = "reindex"
# pg_try_advisory_lock key for reindexing ('coalindx' as an int64); pg_locks shows it as two 32-bit halves
REINDEX_LOCK = 0x636F616C696E6478
_CLASSID, _OBJID = REINDEX_LOCK >> 32, REINDEX_LOCK & 0xFFFFFFFF
# the server's keepalives on the lock's connection: a holder whose machine vanished is let go in about a minute
KEEPALIVES = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}

MIGRATIONS = [
    Migration(
        1,
        "reindex runs: who holds the reindex lock, since when, and how each run ended",
        """
        CREATE TABLE index_runs (
            run_id bigserial PRIMARY KEY, who text NOT NULL, pid integer NOT NULL, host text NOT NULL,
            backend_pid integer NOT NULL, started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz, outcome text NOT NULL DEFAULT 'running', summary text NOT NULL DEFAULT ''
        );
        CREATE INDEX index_runs_running ON index_runs(run_id) WHERE outcome = 'running';
        """,
    ),
]

# a run row whose server process still holds the reindex lock
_HELD = f"""EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.pid = r.backend_pid AND l.objsubid = 1
      AND l.classid::bigint = {_CLASSID} AND l.objid::bigint = {_OBJID}
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
)"""
_UTC = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"')"


class PostgresIndexLock(IndexLock):
    """The reindex lock as a PostgreSQL advisory lock, and the runs in a table; safe to share between threads."""

    def __init__(self, pool: DatabasePool) -> None:
        self._pool = pool
        self.location = pool.location
        with pool.connection() as conn:
            migrate(conn, COMPONENT, MIGRATIONS, self.location)

    def holder(self) -> str | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                f"SELECT who, pid, host, {_UTC.format('started_at')} FROM index_runs r "
                f"WHERE outcome = 'running' AND {_HELD} ORDER BY run_id DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        who, pid, host, started = row
        return f"{who} (pid {pid} on {host}, since {started})"

    @contextlib.contextmanager
    def hold(self, who: str = "") -> Iterator[Holding]:
        """Take the lock on a connection of its own, kept for the run, or raise IndexBusy naming the holder."""
        conn = self._pool.connect()
        try:
            run_id = self._take(conn, who)
            holding = Holding()
            try:
                yield holding
            except BaseException as exc:
                self._end(conn, run_id, "failed", failure_line(exc))
                raise
            self._end(conn, run_id, "finished", holding.summary)
        finally:
            conn.close()  # ends the session, and with it the lock

    def _take(self, conn: psycopg.Connection[Any], who: str) -> int:
        try:
            for name, value in KEEPALIVES.items():
                conn.execute(f"SET {name} = {int(value)}")
            if conn.info.server_version >= 140000:  # an idle session must not be ended mid-run
                conn.execute("SET idle_session_timeout = 0")
            for attempt in range(ATTEMPTS):
                row = conn.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK,)).fetchone()
                if row and row[0]:
                    break
                if attempt + 1 == ATTEMPTS:
                    raise IndexBusy(BUSY, self.holder())
                time.sleep(PAUSE_SECONDS)  # a holder that just died may take a moment to be let go
            with conn.transaction():  # this session holds the lock: no run marked running is alive
                conn.execute(
                    "UPDATE index_runs SET outcome = 'interrupted', summary = %s WHERE outcome = 'running'",
                    (INTERRUPTED,),
                )
                row = conn.execute(
                    "INSERT INTO index_runs(who, pid, host, backend_pid) "
                    "VALUES (%s, %s, %s, pg_backend_pid()) RETURNING run_id",
                    (who or "a process", os.getpid(), socket.gethostname()),
                ).fetchone()
                assert row is not None
                conn.execute("DELETE FROM index_runs WHERE run_id <= %s", (int(row[0]) - HISTORY_KEPT,))
        except psycopg.OperationalError as exc:
            if unreachable(exc):
                raise unavailable(self.location, exc) from exc
            raise
        return int(row[0])

    def _end(self, conn: psycopg.Connection[Any], run_id: int, outcome: str, summary: str) -> None:
        """Record how the run ended on the lock's own connection; if that connection was lost during the
        run, the lock went with it (another run may have started meanwhile): say so, and record it anyway."""
        sql = (
            "UPDATE index_runs SET outcome = %s, summary = %s, finished_at = now() "
            "WHERE run_id = %s AND outcome = 'running'"
        )
        try:
            conn.execute(sql, (outcome, summary, run_id))
            return
        except psycopg.OperationalError as exc:
            log.warning(
                "The reindex lock's connection to the %s was lost during the run (%s): another reindex may "
                "have run meanwhile; the next reindex brings the index in step",
                self.location,
                failure_line(exc),
            )
        try:
            with self._pool.connection() as again:
                again.execute(sql, (outcome, summary, run_id))
        except (DatabaseUnavailable, psycopg.Error) as exc:
            log.warning("Could not record how reindex %d ended: %s", run_id, failure_line(exc))

    def history(self, limit: int = 10) -> list[IndexRun]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT who, pid, host, {_UTC.format('started_at')}, "
                f"coalesce({_UTC.format('finished_at')}, ''), "
                f"CASE WHEN outcome = 'running' AND NOT {_HELD} THEN 'interrupted' ELSE outcome END, "
                f"CASE WHEN outcome = 'running' AND NOT {_HELD} THEN %s ELSE summary END "
                "FROM index_runs r ORDER BY run_id DESC LIMIT %s",
                (INTERRUPTED, limit),
            ).fetchall()
        return [IndexRun(*row) for row in rows]
