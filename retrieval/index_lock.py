"""One reindex at a time, who is running it, and the reindexes so far; one interface, two stores.

`IndexLock` is what the indexer holds for a run. With the SQLite catalog it is an flock on
DATA_DIR/index.lock (below, `FileIndexLock`: processes sharing that folder take turns) and the history
is a small SQLite file beside it; with DATABASE_URL it is a PostgreSQL advisory lock held by a
connection of its own for the run, and the history a table in the catalog's database
(retrieval/postgres_index_lock.py), so that processes on several machines take turns. Either way the
operating system or the server releases the lock of a process that dies, and the run it left
unfinished is recorded as interrupted; the next reindex converges (see retrieval/indexer.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import socket
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from retrieval.errors import IndexBusy

log = logging.getLogger(__name__)

BUSY = "a reindex is already running"
# a lock a moment from free (its holder just ended, or someone is only looking) is tried again this often
ATTEMPTS, PAUSE_SECONDS = 5, 0.05
INTERRUPTED = "it ended before finishing: its process stopped or lost the lock"
HISTORY_KEPT = 1000


@dataclass(frozen=True)
class IndexRun:
    """One reindex: who started it, in which process on which machine, when, and how it ended."""

    who: str
    pid: int
    host: str
    started_at: str  # 'YYYY-MM-DD HH:MM:SS UTC'
    finished_at: str  # '' while it runs (or when it was interrupted)
    outcome: str  # running, finished, failed or interrupted
    summary: str  # the report's line, the error, or why it was interrupted

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Holding:
    """The run holding the lock: the indexer leaves its report's line here for the history."""

    summary: str = ""


def now_utc() -> str:
    """The time now as the history writes it: 'YYYY-MM-DD HH:MM:SS UTC'."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def failure_line(exc: BaseException) -> str:
    """How a run failed, in one short line."""
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:300]


class IndexLock(ABC):
    """One reindex at a time across every process sharing the index, and the record of the runs."""

    location: str  # where it lives, for messages (never a password)

    @abstractmethod
    def holder(self) -> str | None:
        """Who holds the lock now and since when ('alice (pid 12 on node-a, since … UTC)'), or None."""

    @abstractmethod
    def hold(self, who: str = "") -> contextlib.AbstractContextManager[Holding]:
        """Take the lock for a run (or raise IndexBusy naming the holder); the run is recorded as finished,
        or as failed with its error when one escapes."""

    @abstractmethod
    def history(self, limit: int = 10) -> list[IndexRun]:
        """The latest runs, newest first; a run whose process no longer holds the lock is interrupted."""


_HISTORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS index_runs (
    run_id INTEGER PRIMARY KEY, who TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT ''
);
"""


class FileIndexLock(IndexLock):
    """An flock on a file in the data folder (threads of one process take turns too), naming its holder
    in the file; the history in index_runs.sqlite3 beside it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.history_path = self.path.with_name("index_runs.sqlite3")
        self._thread_lock = threading.Lock()

    def holder(self) -> str | None:
        """Who holds the lock, as written by the holder; None when nobody holds it."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            try:  # a shared lock is refused only while someone holds the exclusive one
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pass
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return None
            text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        except OSError:
            return None
        finally:
            os.close(fd)
        return text or None

    @contextlib.contextmanager
    def hold(self, who: str = "") -> Iterator[Holding]:
        """Take the lock or raise IndexBusy naming the current holder."""
        if not self._thread_lock.acquire(blocking=False):
            raise IndexBusy(BUSY, self.holder())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                self._take(fd)
                started = now_utc()
                os.ftruncate(fd, 0)
                os.write(fd, f"{who or 'a process'} (pid {os.getpid()}, since {started})".encode())
                try:
                    run_id = self._begin(who, started)
                    yield from self._recorded(run_id)
                finally:
                    os.ftruncate(fd, 0)
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._thread_lock.release()

    def _take(self, fd: int) -> None:
        for attempt in range(ATTEMPTS):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if attempt + 1 == ATTEMPTS:
                    raise IndexBusy(BUSY, self.holder()) from None
                time.sleep(PAUSE_SECONDS)

    def _recorded(self, run_id: int) -> Iterator[Holding]:
        """Yield the run's Holding, then record how it ended (best effort: the run's own outcome wins)."""
        holding = Holding()
        try:
            yield holding
        except BaseException as exc:
            self._end(run_id, "failed", failure_line(exc))
            raise
        self._end(run_id, "finished", holding.summary)

    def _history(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.history_path, timeout=30, isolation_level=None)
        conn.executescript(_HISTORY_SCHEMA)
        return conn

    def _begin(self, who: str, started: str) -> int:
        """Record the run; runs still marked running ended without saying so (this process holds the lock)."""
        conn = self._history()
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "UPDATE index_runs SET outcome = 'interrupted', summary = ? WHERE outcome = 'running'",
                    (INTERRUPTED,),
                )
                cur = conn.execute(
                    "INSERT INTO index_runs(who, pid, host, started_at, outcome) VALUES (?, ?, ?, ?, 'running')",
                    (who or "a process", os.getpid(), socket.gethostname(), started),
                )
                run_id = int(cur.lastrowid or 0)
                conn.execute("DELETE FROM index_runs WHERE run_id <= ?", (run_id - HISTORY_KEPT,))
            return run_id
        finally:
            conn.close()

    def _end(self, run_id: int, outcome: str, summary: str) -> None:
        try:
            conn = self._history()
            try:
                conn.execute(
                    "UPDATE index_runs SET outcome = ?, finished_at = ?, summary = ? WHERE run_id = ?",
                    (outcome, now_utc(), summary, run_id),
                )
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            log.warning("Could not record how reindex %d ended in %s: %s", run_id, self.history_path, exc)

    def history(self, limit: int = 10) -> list[IndexRun]:
        if not self.history_path.exists():
            return []
        conn = sqlite3.connect(f"file:{self.history_path}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute(
                "SELECT who, pid, host, started_at, finished_at, outcome, summary FROM index_runs "
                "ORDER BY run_id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        finally:
            conn.close()
        runs = [IndexRun(*row) for row in rows]
        if runs and runs[0].outcome == "running" and self.holder() is None:
            latest = runs[0]
            runs[0] = IndexRun(
                latest.who, latest.pid, latest.host, latest.started_at, "", "interrupted", INTERRUPTED
            )
        return runs
