"""The reindex lock and its history, as an flock with a SQLite history and as a PostgreSQL advisory lock
with a table: the same behaviour, including a holder whose process is killed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrieval.errors import IndexBusy
from retrieval.index_lock import INTERRUPTED, FileIndexLock, IndexLock
from retrieval.postgres_index_lock import PostgresIndexLock
from retrieval.postgres_pool import DatabasePool
from tests.conftest import REPO, CatalogBackend
from tests.postgres_server import PASSWORD

pytestmark = pytest.mark.both_catalogs

# Another process (another node, with PostgreSQL) that takes the lock, says so, and waits to be killed.
_HOLDER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    url = os.environ.get("LOCK_DATABASE_URL")
    if url:
        from retrieval.postgres_index_lock import PostgresIndexLock
        from retrieval.postgres_pool import DatabasePool
        lock = PostgresIndexLock(DatabasePool(url, name="holder", max_size=1))
    else:
        from retrieval.index_lock import FileIndexLock
        lock = FileIndexLock(Path(sys.argv[1]))
    with lock.hold("carol (another node)"):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def new_lock(tmp_path: Path, catalog_backend: CatalogBackend) -> Iterator[Callable[[], IndexLock]]:
    """Makes the lock of one more process sharing the index: the same lock file, or the same database
    through a pool of its own."""
    pools: list[DatabasePool] = []

    def make() -> IndexLock:
        if catalog_backend.database_url is None:
            return FileIndexLock(tmp_path / "data" / "index.lock")
        pool = DatabasePool(catalog_backend.database_url, name="test-lock", max_size=2)
        pools.append(pool)
        return PostgresIndexLock(pool)

    yield make
    for pool in pools:
        pool.close()


def _started_by_a_process(holder: str | None, who: str, pid: int) -> bool:
    """'who (pid N, since YYYY-MM-DD HH:MM:SS UTC)' with the host after the pid in PostgreSQL."""
    pattern = rf"{re.escape(who)} \(pid {pid}( on [^,]+)?, since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)"
    return holder is not None and re.fullmatch(pattern, holder) is not None


def test_a_second_holder_is_refused_and_told_who_holds_it_and_since_when(
    new_lock: Callable[[], IndexLock],
) -> None:
    alice, bob = new_lock(), new_lock()
    assert alice.holder() is None and bob.holder() is None
    with alice.hold("alice (/reindex)"):
        with pytest.raises(IndexBusy) as busy, bob.hold("bob (command line)"):
            pass
        assert _started_by_a_process(busy.value.holder, "alice (/reindex)", os.getpid())
        assert _started_by_a_process(bob.holder(), "alice (/reindex)", os.getpid())
    assert bob.holder() is None
    with bob.hold("bob (command line)"):
        assert _started_by_a_process(alice.holder(), "bob (command line)", os.getpid())


def test_the_history_says_who_ran_each_reindex_and_how_it_ended(new_lock: Callable[[], IndexLock]) -> None:
    lock, reader = new_lock(), new_lock()
    with lock.hold("alice") as run:
        assert [(r.who, r.outcome, r.finished_at) for r in reader.history()] == [("alice", "running", "")]
        run.summary = "4 added, 0 updated"
    with pytest.raises(RuntimeError), lock.hold("bob"):
        raise RuntimeError("the corpus folder vanished\nand more detail")
    runs = reader.history()
    assert [(r.who, r.outcome, r.summary) for r in runs] == [
        ("bob", "failed", "the corpus folder vanished"),
        ("alice", "finished", "4 added, 0 updated"),
    ]
    assert all(r.pid == os.getpid() and r.host and r.started_at.endswith(" UTC") for r in runs)
    assert runs[0].finished_at >= runs[0].started_at and runs[1].finished_at.endswith(" UTC")
    assert len(reader.history(limit=1)) == 1


def test_a_holder_killed_mid_run_lets_go_and_its_run_is_recorded_as_interrupted(
    tmp_path: Path, catalog_backend: CatalogBackend, new_lock: Callable[[], IndexLock]
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LOCK_DATABASE_URL": catalog_backend.database_url or ""}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path / "data" / "index.lock")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held", holder.stderr
        mine = new_lock()
        assert _started_by_a_process(mine.holder(), "carol (another node)", holder.pid)
        with pytest.raises(IndexBusy), mine.hold("dave"):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    finally:
        holder.kill()
        holder.wait(10)
    deadline = time.monotonic() + 10  # the server notices the closed connection (at once, in practice)
    while mine.holder() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mine.holder() is None
    assert [(r.who, r.outcome, r.summary) for r in mine.history()] == [
        ("carol (another node)", "interrupted", INTERRUPTED)
    ]
    with mine.hold("dave"):
        assert [(r.who, r.outcome) for r in mine.history()] == [
            ("dave", "running"),
            ("carol (another node)", "interrupted"),
        ]
    assert PASSWORD not in str(mine.history())
