"""A real PostgreSQL server for the tests, from the machine's own binaries (initdb, pg_ctl).

It lives in a temporary folder (data, log and unix socket), listens on 127.0.0.1 only, on a free
port, with a password (so the URLs the tests use carry one, as a deployment's do). The benchmarks
(bench/postgres.py) start the same server, durable. PostgreSQL will
not run as root: under root the server runs as the `postgres` user (or `nobody`).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.helpers import free_port

USER = "coalition_test"
PASSWORD = "pw-for-tests-only"
NEEDED = (
    "PostgreSQL is needed for the catalog tests on PostgreSQL: initdb and pg_ctl were not found on PATH "
    "or in /usr/lib/postgresql/*/bin (on Debian: apt-get install postgresql)"
)


def find_binaries() -> tuple[str, str] | None:
    """(initdb, pg_ctl), from PATH or Debian's versioned folder; None when PostgreSQL is not installed."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return str(folder / "initdb"), str(folder / "pg_ctl")
    return None


class PostgresServer:
    """initdb, start on 127.0.0.1, create databases, stop; the folder is removed at stop."""

    def __init__(self, binaries: tuple[str, str], *, durable: bool = False) -> None:
        self.initdb, self.pg_ctl = binaries
        # the tests skip flushing to disk (fsync off) for speed; the benchmarks keep the server's defaults
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="coalition-pg-"))
        self.port = 0
        self.owner: tuple[int, int] | None = None  # (uid, gid) the server runs as, when not this user
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                account = pwd.getpwnam("nobody")
            self.owner = (account.pw_uid, account.pw_gid)
            os.chown(self.root, *self.owner)

    def _run(self, *args: str) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(self.root)}
        uid, gid = self.owner or (None, None)
        result = subprocess.run(
            args,
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            user=uid,
            group=gid,
            extra_groups=[] if self.owner else None,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr.strip()[-2000:]}\n{tail}")

    def start(self) -> PostgresServer:
        password_file = self.root / "password"
        password_file.write_text(PASSWORD)
        if self.owner:
            os.chown(password_file, *self.owner)
        self._run(
            self.initdb,
            "-D",
            str(self.root / "data"),
            "-U",
            USER,
            "--pwfile",
            str(password_file),
            "--auth",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken between asking and binding
            self.port = free_port()
            try:
                self._start_on_port()
                return self
            except RuntimeError:
                if attempt == 2:
                    raise
        return self

    def _start_on_port(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(self.pg_ctl, "-D", str(self.root / "data"), "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    def pause(self) -> None:
        """Stop the server (open sessions are ended), keeping its data and port: an outage."""
        self._run(self.pg_ctl, "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start a paused server again, on the same port with the same data."""
        self._start_on_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, closing whatever still uses it."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended) and remove its folder."""
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            if (self.root / "data" / "postmaster.pid").exists():
                self._run(self.pg_ctl, "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
