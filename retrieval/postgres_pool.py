"""Connections to the PostgreSQL database (DATABASE_URL) for the stores kept there.

Each store (the catalog, the reindex lock and its history, the ingested articles, the feedback votes)
reaches the database through a `DatabasePool`: psycopg's connection pool, with the server's absence
said in one line. When the server cannot be reached (refused, gone mid-query, no connection within the
wait) the call raises DatabaseUnavailable ("… cannot be reached right now …; try again shortly"), as
a Chroma outage does. The pool itself would keep waiting for a server that refuses it, so a call that
gets no connection within a second asks the server directly, once (a refused connection is known at
once), and after an outage every call does so before using the pool: a question or a vote button is
told within about a second, not after the pool's whole wait. Once the server answers again a fresh
pool replaces the one whose connections died with it, so the process recovers by itself, without a
restart; and a connection that died with a server restarted while nobody was asking is found when it is
taken from the pool, so that restart goes unnoticed. A query's own error (a bad statement, a
constraint) is not an outage and is raised as it is.
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
FIRST_WAIT_SECONDS = 1.0  # then, with no connection yet, the server is asked directly whether it is there
PROBE_SECONDS = 3  # to connect once, directly
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


def _still_connected(conn: psycopg.Connection[Any]) -> bool:
    """Whether an idle connection is still open: what the server sent while it was idle is read without
    waiting (a server that ended the session sent its goodbye, then closed the socket)."""
    try:
        for _ in range(2):  # the goodbye message, then the end of the stream
            conn.pgconn.consume_input()
    except psycopg.OperationalError:
        return False
    return not conn.broken and conn.pgconn.status == psycopg.pq.ConnStatus.OK


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
        try:
            pool, conn = self._checkout(self._ready_pool())
            try:
                with conn:  # as psycopg_pool's own connection(): a transaction left open is ended
                    yield conn
            finally:
                pool.putconn(conn)  # a broken connection is discarded, and replaced
        except (psycopg.OperationalError, PoolTimeout) as exc:
            if not unreachable(exc):
                raise
            self._mark_down(exc)
            raise unavailable(self.location, exc) from exc

    def _checkout(
        self, pool: ConnectionPool[psycopg.Connection[Any]]
    ) -> tuple[ConnectionPool[psycopg.Connection[Any]], psycopg.Connection[Any]]:
        """A live connection and the pool it belongs to. The pool keeps waiting for a server that refuses
        it: no connection within a second is the moment to ask the server once directly. A connection
        that died with a server since restarted is found here (without a round trip), not by the call."""
        try:
            conn = pool.getconn(timeout=FIRST_WAIT_SECONDS)
        except PoolClosed:  # replaced by another thread after an outage: take the new one
            pool = self._pool
            conn = pool.getconn()
        except PoolTimeout:
            self._probe()  # the server is there: all connections are busy, so wait as long as it takes
            conn = pool.getconn()
        if _still_connected(conn):
            return pool, conn
        pool.putconn(conn)
        self._probe()
        pool.check()  # the others died with it: replace them all now rather than fail one call each
        return pool, pool.getconn()

    def _mark_down(self, exc: BaseException) -> None:
        if not self._down:
            log.warning("The %s cannot be reached: %s", self.location, _first_line(exc))
        self._down = True

    def _probe(self) -> None:
        """One quick connection attempt; DatabaseUnavailable when the server cannot be reached."""
        try:
            psycopg.connect(self._url, connect_timeout=PROBE_SECONDS).close()
        except psycopg.OperationalError as exc:
            if not unreachable(exc):
                raise
            self._mark_down(exc)
            raise unavailable(self.location, exc) from exc

    def _ready_pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        """The pool to use: while the server is known to be down, first one quick connection attempt
        (refused: unavailable at once), and once it answers, a new pool for the one whose connections died."""
        if not self._down:
            return self._pool
        self._probe()
        with self._lock:
            if self._down:
                old, self._pool = self._pool, self._open()
                self._down = False
                log.info("The %s can be reached again", self.location)
                # closed aside: its workers may be waiting to retry, and this call should not wait for them
                threading.Thread(target=old.close, name=f"{self.name}-retire", daemon=True).start()
            return self._pool
