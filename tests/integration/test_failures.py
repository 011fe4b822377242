"""Broken disks, files and settings: one clear line with the fix, never a traceback, for index, stats and ask."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from retrieval.index_lock import FileIndexLock
from retrieval.postgres_index_lock import PostgresIndexLock
from retrieval.postgres_pool import DatabasePool
from tests.conftest import REPO
from tests.helpers import obey_file_permissions, write_sample_corpus
from tests.integration.test_cli import run_cli
from tests.postgres_server import PASSWORD, PostgresServer

COMMANDS = [("index",), ("stats",), ("ask", "When did Egypt join the ILRS?")]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus indexed once for this module."""
    tmp = tmp_path_factory.mktemp("indexed")
    write_sample_corpus(tmp / "corpus")
    assert run_cli(tmp, "index").returncode == 0
    return tmp


@pytest.fixture
def indexed(template: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed corpus (its corpus and data folders) in tmp_path."""
    for folder in ("corpus", "data"):
        shutil.copytree(template / folder, tmp_path / folder)
    return tmp_path


def _error_line(result: object) -> str:
    """The one 'error:' line of a failed command, checking there is exactly one and no traceback."""
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def damage_catalog(tmp: Path) -> str:
    _garbage(tmp / "data" / "catalog.sqlite3")
    return (
        f"error: the catalog {tmp / 'data' / 'catalog.sqlite3'} is damaged (file is not a database); move it aside "
        "and run `python -m retrieval index` to rebuild it from the corpus"
    )


def damage_vector_store(tmp: Path) -> str:
    _garbage(tmp / "data" / "chroma" / "chroma.sqlite3")
    return (
        f"error: the vector store {tmp / 'data' / 'chroma'} cannot be used (error returned from database: "
        "(code: 26) file is not a database); if it is damaged, move that folder aside and run "
        "`python -m retrieval index`: every chunk missing from it is re-embedded"
    )


def replace_vector_store_by_a_file(tmp: Path) -> str:
    shutil.rmtree(tmp / "data" / "chroma")
    (tmp / "data" / "chroma").write_text("not a folder")
    return (
        f"error: the data folder {tmp / 'data'} cannot be used: {tmp / 'data' / 'chroma'} is in the way (File "
        "exists); move it aside, or set DATA_DIR to a folder that exists or can be created"
    )


def make_data_folder_read_only(tmp: Path) -> str:
    (tmp / "data").chmod(0o555)
    return (
        f"error: cannot write to the data folder {tmp / 'data'} (attempt to write a readonly database); make it "
        "writable for this user, or set DATA_DIR to a folder that is"
    )


FAULTS: dict[str, Callable[[Path], str]] = {
    "damaged catalog": damage_catalog,
    "damaged vector store": damage_vector_store,
    "vector store folder replaced by a file": replace_vector_store_by_a_file,
    "read-only data folder": make_data_folder_read_only,
}


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_broken_data_folder_is_one_line_with_the_fix(
    indexed: Path, fault: str, command: tuple[str, ...]
) -> None:
    expected = FAULTS[fault](indexed)
    try:
        result = run_cli(indexed, *command, preexec_fn=obey_file_permissions)
    finally:
        (indexed / "data").chmod(0o755)
    assert result.returncode == 1
    assert _error_line(result) == expected


def test_a_data_folder_that_cannot_be_created_is_one_line_with_the_fix(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    (tmp_path / "a-file").write_text("DATA_DIR points under this file")
    data = tmp_path / "a-file" / "data"
    for command in COMMANDS:
        result = run_cli(tmp_path, *command, extra_env={"DATA_DIR": str(data)})
        assert result.returncode == 1
        assert _error_line(result) == (
            f"error: the data folder {data} cannot be used: {data} is in the way (Not a directory); move it "
            "aside, or set DATA_DIR to a folder that exists or can be created"
        )


def test_the_fix_given_for_a_damaged_catalog_or_vector_store_works(indexed: Path) -> None:
    damage_catalog(indexed)
    assert "move it aside" in _error_line(run_cli(indexed, "stats"))
    (indexed / "data" / "catalog.sqlite3").rename(indexed / "catalog.damaged")
    rebuilt = json.loads(run_cli(indexed, "index", "--json").stdout)
    assert rebuilt["added"] == 4
    damage_vector_store(indexed)
    assert "move that folder aside" in _error_line(run_cli(indexed, "index"))
    (indexed / "data" / "chroma").rename(indexed / "chroma.damaged")
    again = json.loads(run_cli(indexed, "index", "--json").stdout)
    assert again["chunks_restored"] == again["chunks_embedded"] > 0
    assert (
        "6 December 2023"
        in json.loads(run_cli(indexed, "ask", "--json", "When did Egypt join the ILRS?").stdout)["answer"]
    )


def test_an_unreadable_corpus_folder_is_one_line_and_the_index_is_left_as_it_was(indexed: Path) -> None:
    (indexed / "corpus").chmod(0o000)
    try:
        result = run_cli(indexed, "index", preexec_fn=obey_file_permissions)
    finally:
        (indexed / "corpus").chmod(0o755)
    assert result.returncode == 1
    assert _error_line(result) == (
        f"error: cannot read the corpus folder {indexed / 'corpus'} (Permission denied); make it readable for "
        "this user (the index was not changed)"
    )
    assert json.loads(run_cli(indexed, "stats", "--json").stdout)["articles"] == 4  # nothing was deleted


@pytest.mark.parametrize(
    ("command", "setting", "expected"),
    [
        (
            ("stats",),  # the networks were only parsed when a page was fetched
            {"INGEST_ALLOWED_NETWORKS": "garbage"},
            "error: invalid setting: INGEST_ALLOWED_NETWORKS='garbage': expected comma-separated networks such "
            "as 10.0.0.0/8 or 192.168.1.20/32 ('garbage' is not a network) (set in the environment or .env)",
        ),
        (
            ("index",),
            {"CHUNK_TOKENS": "abc"},
            "error: invalid setting: CHUNK_TOKENS='abc': expected a whole number from 32 to 512 (set in the "
            "environment or .env)",
        ),
        (
            ("ask", "When did Egypt join the ILRS?"),
            {"EMBEDDING_BACKEND": "gpu", "RETRIEVAL_K": "0"},
            "error: invalid setting: EMBEDDING_BACKEND='gpu': expected one of 'torch', 'onnx', 'onnx-int8'; "
            "RETRIEVAL_K='0': expected a whole number from 1 to 50 (set in the environment or .env)",
        ),
        (
            ("index",),
            {"CHUNK_OVERLAP_TOKENS": "250"},
            "error: invalid setting: CHUNK_OVERLAP_TOKENS (250) must be smaller than CHUNK_TOKENS (200) (set in "
            "the environment or .env)",
        ),
        (
            ("ask", "When did Egypt join the ILRS?"),
            {"LLM_API_KEY": "sk-secret-value", "LLM_TIMEOUT_SECONDS": "soon"},
            "error: invalid setting: LLM_TIMEOUT_SECONDS='soon': expected a number above 0 (set in the "
            "environment or .env)",
        ),
    ],
    ids=["networks", "chunk-tokens", "two-at-once", "overlap-not-below-size", "timeout"],
)
def test_an_invalid_setting_is_named_with_the_value_expected(
    tmp_path: Path, command: tuple[str, ...], setting: dict[str, str], expected: str
) -> None:
    write_sample_corpus(tmp_path / "corpus")
    result = run_cli(tmp_path, *command, extra_env={"CHUNK_TOKENS": "200", **setting})
    assert result.returncode == 2
    assert _error_line(result) == expected
    assert "sk-secret-value" not in result.stderr


def test_a_refused_reindex_names_who_holds_it_and_since_when(indexed: Path) -> None:
    lock = FileIndexLock(indexed / "data" / "index.lock")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.hold("alice (terminal session)"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        result = run_cli(indexed, "index")
    finally:
        release.set()
        holder.join(10)
    assert result.returncode == 1
    line = _error_line(result)
    assert line.startswith(
        f"error: a reindex is already running, started by alice (terminal session) (pid {os.getpid()}, since "
    )
    assert line.endswith(" UTC); wait for it to finish, then run the command again")


def test_index_with_wait_waits_for_the_running_reindex_then_indexes(indexed: Path) -> None:
    """What a container's entrypoint does when shards start together: wait for the other's reindex."""
    lock = FileIndexLock(indexed / "data" / "index.lock")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": "fake-hash-embedder",
        "DATA_DIR": str(indexed / "data"),
        "CORPUS_DIR": str(indexed / "corpus"),
        "REGISTRY_PATH": str(indexed / "members.csv"),
    }
    with lock.hold("bot-shard-0 (entrypoint)"):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "retrieval", "index", "--wait", "300"],
            cwd=indexed,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        said = waiting.stderr.readline()  # the lock is held until the command says it waits
        assert said.startswith("A reindex is already running (started by bot-shard-0 (entrypoint) (pid ")
        assert said.rstrip().endswith("; waiting up to 300 s for it to finish, then indexing what it left")
        assert waiting.poll() is None
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "0 added, 0 updated, 4 unchanged, 0 deleted" in out
    assert [(run.who, run.outcome) for run in lock.history()][:2] == [
        ("command line", "finished"),  # after the other run, not beside it
        ("bot-shard-0 (entrypoint)", "finished"),
    ]


@pytest.mark.postgres
def test_with_postgres_a_refused_reindex_names_who_holds_it_on_which_machine_and_since_when(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    write_sample_corpus(tmp_path / "corpus")
    pool = DatabasePool(url, name="test-holder", max_size=1)
    lock = PostgresIndexLock(pool)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.hold("alice (terminal session)"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        result = run_cli(tmp_path, "index", extra_env={"DATABASE_URL": url})  # another node's data folder
    finally:
        release.set()
        holder.join(10)
        pool.close()
        postgres_server.drop_database(url)
    assert result.returncode == 1
    line = _error_line(result)
    assert line.startswith(
        f"error: a reindex is already running, started by alice (terminal session) (pid {os.getpid()} on "
        f"{socket.gethostname()}, since "
    )
    assert line.endswith(" UTC); wait for it to finish, then run the command again")
    assert PASSWORD not in result.stderr and not (tmp_path / "data" / "index.lock").exists()


@pytest.mark.parametrize(
    ("target", "failure", "written"),
    [
        ("retrieval.store.VectorStore.upsert", OSError(errno.ENOSPC, "No space left on device"), "data"),
        (
            "retrieval.catalog.SqliteCatalog.replace_document",
            sqlite3.OperationalError("database or disk is full"),
            "data/catalog.sqlite3",
        ),
    ],
    ids=["vector-store-write", "catalog-write"],
)
def test_a_full_disk_while_indexing_is_one_line_with_the_fix(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    failure: Exception,
    written: str,
) -> None:
    from config.settings import get_settings
    from retrieval import cli

    write_sample_corpus(tmp_path / "corpus")
    monkeypatch.setenv("EMBEDDING_MODEL", "fake-hash-embedder")
    monkeypatch.setenv("REGISTRY_PATH", str(tmp_path / "members.csv"))
    get_settings.cache_clear()  # read this test's environment, and leave none of it behind
    args = ["index", "--data-dir", str(tmp_path / "data"), "--corpus", str(tmp_path / "corpus")]

    def disk_full(*_: object, **__: object) -> None:
        raise failure

    try:
        with monkeypatch.context() as patch:
            patch.setattr(target, disk_full)  # the write fails as on a full disk
            assert cli.main(args) == 1
        assert capsys.readouterr().err.strip().splitlines()[-1] == (
            f"error: no space left to write {tmp_path / written} ({failure.args[-1]}); free some space on that "
            "disk (or raise the file-size limit) and run the command again: nothing half-written is used"
        )
        assert cli.main([*args, "--json"]) == 0  # space again: the next run converges
        assert json.loads(capsys.readouterr().out)["added"] == 4
    finally:
        get_settings.cache_clear()
