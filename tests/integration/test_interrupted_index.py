"""A reindex killed with SIGKILL mid-run leaves an index that answers, lets go of the reindex lock, and
the next run converges (with the SQLite catalog, its flock and history file, and with PostgreSQL, its
advisory lock and history table)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from retrieval.services import Services
from tests.conftest import REPO, CatalogBackend
from tests.helpers import make_settings, write_article

COUNTRIES = ["Peru", "Chile", "Egypt", "Serbia", "Norway", "Greece", "Kenya", "Japan", "Spain", "Nepal"]

# Runs the real CLI in a child process, with one function wrapped to SIGKILL the process on its Nth call.
_KILLER = textwrap.dedent("""
    import os, signal, sys
    target, nth = sys.argv[1], int(sys.argv[2])
    module_name, cls_name, meth = target.rsplit(".", 2)
    import importlib
    calls = {"n": 0}
    def maybe_die():
        calls["n"] += 1
        if calls["n"] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
    if module_name == "sqlite3":  # a C type: wrap the catalog's connections instead
        import sqlite3
        from retrieval import catalog as catalog_module
        class Dying(sqlite3.Connection):
            def executemany(self, sql, rows):
                if "chunks_fts" in sql:
                    maybe_die()
                return super().executemany(sql, rows)
        real_connect = sqlite3.connect
        catalog_module.sqlite3 = type("S", (), {"connect": staticmethod(
            lambda *a, **k: real_connect(*a, factory=Dying, **k)), "Row": sqlite3.Row, "Connection": Dying})
    else:
        cls = getattr(importlib.import_module(module_name), cls_name)
        original = getattr(cls, meth)
        def wrapper(self, *a, **k):
            maybe_die()
            return original(self, *a, **k)
        setattr(cls, meth, wrapper)
    from retrieval.cli import main
    sys.exit(main(sys.argv[3:]))
""")


def _corpus(folder: Path, n: int = 60) -> Path:
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        body = "\n\n".join(
            f"Report {i}, part {p}: {country} discussed lunar cooperation number {i * 7 + p} with partners "
            f"and signed a memorandum about the Moon on day {p} of the meeting in year {2000 + i}."
            for p in range(4)
        )
        write_article(
            folder, f"report-{i:03d}", f"{country} report {i}", body, published=f"20{10 + i % 15}-01-01"
        )
    return folder


def _run_killed(tmp: Path, corpus: Path, data: Path, target: str, nth: int, database_url: str | None) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": database_url or "",
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": "fake-hash-embedder",
        "CHUNK_TOKENS": "60",
        "CHUNK_OVERLAP_TOKENS": "10",
        "EMBEDDING_BATCH_SIZE": "4",
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _KILLER,
            target,
            str(nth),
            "index",
            "--corpus",
            str(corpus),
            "--data-dir",
            str(data),
        ],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode


KILL_POINTS = [
    "retrieval.embeddings.FakeEmbedder.embed_documents",  # while embedding
    "retrieval.store.VectorStore.upsert",  # while writing to Chroma
    "{catalog}.replace_document",  # between Chroma and the catalog/keyword index
    "retrieval.store.VectorStore.delete",  # after the catalog, before stale vectors are removed
    "{write}",  # inside the catalog transaction, writing the keyword index
]
STORES = {
    "sqlite": {"catalog": "retrieval.catalog.SqliteCatalog", "write": "sqlite3.Connection.executemany"},
    "postgresql": {
        "catalog": "retrieval.postgres_catalog.PostgresCatalog",
        "write": "psycopg.Cursor.executemany",
    },
}


@pytest.mark.parametrize(
    ("catalog_backend", "target"),
    [
        pytest.param(store, point.format(**names), marks=[pytest.mark.postgres] if store != "sqlite" else [])
        for store, names in STORES.items()
        for point in KILL_POINTS
    ],
    indirect=["catalog_backend"],
)
def test_killed_reindex_answers_and_the_next_run_converges(
    tmp_path: Path, target: str, catalog_backend: CatalogBackend
) -> None:
    corpus = _corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    settings = catalog_backend.settings(tmp_path, corpus=corpus, data_dir=data, embedding_batch_size=4)

    # A complete first index, then an edit of half the corpus so the killed run has real work to do.
    Services(settings).reindex()
    for i in range(0, 60, 2):
        path = corpus / f"report-{i:03d}.md"
        path.write_text(path.read_text().replace("lunar cooperation", "lunar partnership"))
    (corpus / "report-059.md").unlink()
    nth = 1 if target.endswith(".delete") else 3
    assert _run_killed(tmp_path, corpus, data, target, nth, catalog_backend.database_url) == -signal.SIGKILL

    # The interrupted index still answers, and every catalogued chunk has its vector.
    after_kill = Services(settings)
    catalog_ids = after_kill.catalog.all_chunk_ids()
    assert catalog_ids <= after_kill.store.all_ids()
    assert after_kill.searcher.search("Egypt lunar memorandum").passages
    # The killed process let go of the reindex lock (the kernel's flock, the server's advisory lock), and
    # its run is recorded as interrupted.
    assert after_kill.indexer.lock.holder() is None
    assert [(r.who, r.outcome) for r in after_kill.indexer.lock.history()] == [
        ("command line", "interrupted"),
        ("a process", "finished"),
    ]

    # The next run converges to exactly what a clean build of the same corpus holds.
    after_kill.reindex()
    assert [r.outcome for r in after_kill.indexer.lock.history()] == ["finished", "interrupted", "finished"]
    clean = Services(make_settings(tmp_path / "clean", corpus=corpus, embedding_batch_size=4))
    clean.reindex()
    expected = clean.catalog.all_chunk_ids()
    assert after_kill.catalog.all_chunk_ids() == expected
    assert after_kill.store.all_ids() == expected
    assert after_kill.store.count() == len(expected)  # no duplicates
    assert after_kill.catalog.keyword_index_ids() == expected
    assert after_kill.catalog.document_hashes() == clean.catalog.document_hashes()
    assert after_kill.catalog.get_meta("index_in_progress") is None
