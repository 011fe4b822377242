"""Connections to the PostgreSQL database (DATABASE_URL) for the stores kept there.

Each store (the catalog, the reindex lock and its history, the ingested articles, the feedback votes)
reaches the database through a `DatabasePool`: psycopg's connection pool, with the server's absence
said in one line. When the server cannot be reached (refused, gone mid-query, no connection within the
wait) the call raises DatabaseUnavailable ("… cannot be reached right now …; try again shortly"), as
a Chroma outage does; the next call first asks the server once, quickly (a refused connection is
known at once), so questions asked during an outage are not each held for the pool's whole wait; and
once the server answers again a fresh pool replaces the one whose connections died with it, so the
process recovers by itself, without a restart. A query's own error (a bad statement, a constraint)
is not an outage and is raised as it is.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from config.settings import postgres_location
from retrieval.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

WAIT_SECONDS = 30.0  # for a connection from a pool whose server is up (all of them busy)
PROBE_SECONDS = 3  # to connect once while the server is known to be down
# SQLSTATEs that mean the connection or the server went away, not that the query was wrong
_GONE_STATES = ("57P01", "57P02", "57P03")  # admin shutdown, crash shutdown, cannot connect now


def unreachable(exc: BaseException) -> bool:
    """Whether an error says the server cannot be reached (rather than that a query failed)."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, psycopg.OperationalError):
        return False
    state = exc.sqlstate or ""
    return not state or state.startswith("08") or state in _GONE_STATES


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def unavailable(location: str, exc: BaseException) -> DatabaseUnavailable:
    """The one line for a server that cannot be reached (psycopg's words never carry the password)."""
    return DatabaseUnavailable(
        f"the {location} cannot be reached right now ({_first_line(exc)}); try again shortly"
    )


class DatabasePool:
    """A connection pool to one PostgreSQL database (autocommit connections); safe to share between threads."""

    def __init__(self, url: str, *, name: str, max_size: int, min_size: int = 1) -> None:
        self._url = url
        self.name = name
        self.location = postgres_location(url)
        self._sizes = (min_size, max_size)
        self._lock = threading.Lock()
        self._down = False  # the last call found the server unreachable
        self._pool = self._open()

    def _open(self) -> ConnectionPool[psycopg.Connection[Any]]:
        min_size, max_size = self._sizes
        return ConnectionPool(
            self._url,
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True},
            name=self.name,
            timeout=WAIT_SECONDS,
            num_workers=min(3, max_size),  # threads that open connections in the background
            open=True,
        )

    def close(self) -> None:
        """Close the pool's connections."""
        with self._lock:
            self._pool.close()

    def connect(self, **options: Any) -> psycopg.Connection[Any]:
        """A connection of its own, outside the pool (autocommit), for a session that must outlive any
        one call; DatabaseUnavailable when the server cannot be reached."""
        try:
            return psycopg.connect(self._url, autocommit=True, connect_timeout=10, **options)
        except psycopg.OperationalError as exc:
            if unreachable(exc):
                raise unavailable(self.location, exc) from exc
            raise

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection from the pool for one call; DatabaseUnavailable when the server cannot be reached."""
        pool = self._ready_pool()
        try:
            with contextlib.ExitStack() as held:
                try:
                    conn = held.enter_context(pool.connection())
                except PoolClosed:  # replaced by another thread after an outage: take the new one
                    conn = held.enter_context(self._pool.connection())
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            if not unreachable(exc):
                raise
            if not self._down:
                log.warning("The %s cannot be reached: %s", self.location, _first_line(exc))
            self._down = True
            raise unavailable(self.location, exc) from exc

    def _ready_pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        """The pool to use: while the server is known to be down, first one quick connection attempt
        (refused: unavailable at once), and once it answers, a new pool for the one whose connections died."""
        if not self._down:
            return self._pool
        try:
            psycopg.connect(self._url, connect_timeout=PROBE_SECONDS).close()
        except psycopg.OperationalError as exc:
            if not unreachable(exc):
                raise
            raise unavailable(self.location, exc) from exc
        with self._lock:
            if self._down:
                old, self._pool = self._pool, self._open()
                self._down = False
                log.info("The %s can be reached again", self.location)
                # closed aside: its workers may be waiting to retry, and this call should not wait for them
                threading.Thread(target=old.close, name=f"{self.name}-retire", daemon=True).start()
            return self._pool
