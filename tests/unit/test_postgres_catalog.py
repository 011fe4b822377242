"""The PostgreSQL catalog: chosen by DATABASE_URL, migrated at start, and ranking keywords as SQLite does."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from retrieval.catalog import SqliteCatalog, keyword_terms, open_catalog
from retrieval.errors import StorageError
from retrieval.evaluation import load_questions
from retrieval.failures import explain
from retrieval.postgres_catalog import MIGRATIONS, REGISTRY_MIGRATIONS, PostgresCatalog, index_tokens
from retrieval.postgres_schema import Migration, migrate, schema_version
from retrieval.services import Services
from tests.conftest import REPO
from tests.helpers import make_settings, write_article
from tests.postgres_server import PASSWORD, PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def database(postgres_server: PostgresServer) -> Iterator[str]:
    """A new empty database's URL, dropped at the end."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


def _versions(url: str, component: str = "catalog") -> list[tuple[str, int]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT component, version FROM schema_migrations WHERE component = %s ORDER BY version",
            (component,),
        ).fetchall()
    return [(str(c), int(v)) for c, v in rows]


def test_database_url_selects_the_postgres_catalog_named_without_its_password(
    tmp_path: Path, database: str
) -> None:
    catalog = open_catalog(make_settings(tmp_path, database_url=database))
    try:
        assert isinstance(catalog, PostgresCatalog)
        assert catalog.location.startswith("PostgreSQL database 'test_") and PASSWORD not in catalog.location
        assert not (tmp_path / "data" / "catalog.sqlite3").exists()  # nothing written beside it
    finally:
        catalog.close()


def test_a_new_database_gets_every_migration_once_and_a_second_start_changes_nothing(
    tmp_path: Path, database: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    first = PostgresCatalog(database)
    assert _versions(database) == [("catalog", m.version) for m in MIGRATIONS]
    first.set_meta("embedding_model", "kept")
    first.close()
    caplog.clear()
    second = PostgresCatalog(database)  # the tables exist: nothing to apply, nothing lost
    try:
        assert _versions(database) == [("catalog", m.version) for m in MIGRATIONS]
        assert second.get_meta("embedding_model") == "kept"
        assert not [r for r in caplog.records if "Migrated" in r.getMessage()]
    finally:
        second.close()
    assert PASSWORD not in caplog.text


def test_the_registry_proposals_migrate_as_a_component_of_their_own_beside_the_catalog(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:  # a database from before proposals existed
        migrate(conn, "catalog", MIGRATIONS, "test database")
        conn.execute("INSERT INTO meta(key, value) VALUES ('embedding_model', 'kept')")
    catalog = PostgresCatalog(database)
    try:
        assert _versions(database, "registry") == [("registry", m.version) for m in REGISTRY_MIGRATIONS]
        assert _versions(database) == [("catalog", m.version) for m in MIGRATIONS]  # untouched
        assert catalog.get_meta("embedding_model") == "kept" and catalog.proposals(None) == []
    finally:
        catalog.close()
    with pytest.raises(StorageError, match="the registry in the .* is at schema version 9"):
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO schema_migrations(component, version, description) VALUES ('registry', 9, 'future')"
            )
        PostgresCatalog(database)


def test_an_older_database_is_brought_up_to_date_step_by_step(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        assert migrate(conn, "catalog", MIGRATIONS[:1], "test database") == [1]
        assert schema_version(conn, "catalog") == 1
        assert migrate(conn, "catalog", MIGRATIONS, "test database") == list(range(2, len(MIGRATIONS) + 1))
        assert migrate(conn, "catalog", MIGRATIONS, "test database") == []
    catalog = PostgresCatalog(database)
    try:
        assert catalog.counts() == (0, 0) and catalog.keyword_search("anything at all") == []
    finally:
        catalog.close()


def test_a_database_newer_than_the_code_is_refused_with_a_clear_message(database: str) -> None:
    PostgresCatalog(database).close()
    newer = len(MIGRATIONS) + 1
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO schema_migrations(component, version, description) VALUES ('catalog', %s, 'future')",
            (newer,),
        )
    with pytest.raises(StorageError) as refused:
        PostgresCatalog(database)
    message = str(refused.value)
    assert f"is at schema version {newer}, newer than this version of coalition-bot knows" in message
    assert f"(version {len(MIGRATIONS)})" in message and "point DATABASE_URL at another database" in message
    assert PASSWORD not in message


def test_processes_starting_together_apply_each_migration_once(database: str) -> None:
    applied: list[list[int]] = []

    def start() -> None:
        with psycopg.connect(database, autocommit=True) as conn:
            applied.append(migrate(conn, "catalog", MIGRATIONS, "test database"))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(v for versions in applied for v in versions) == [m.version for m in MIGRATIONS]
    assert _versions(database) == [("catalog", m.version) for m in MIGRATIONS]


def test_migrations_out_of_order_are_a_programming_error(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn, pytest.raises(ValueError, match="numbered"):
        migrate(conn, "other", [Migration(2, "two", "SELECT 1")], "test database")


def test_an_unreachable_server_or_a_wrong_password_is_one_line_without_the_password(
    postgres_server: PostgresServer,
) -> None:
    wrong = postgres_server.url().replace(PASSWORD, "not-the-password")
    closed = f"postgresql://user:{PASSWORD}@127.0.0.1:1/coalition"
    for url, words in ((wrong, "password authentication failed"), (closed, "Connection refused")):
        with pytest.raises(psycopg.OperationalError) as failed:
            PostgresCatalog(url, connect_timeout=5)
        failure = explain(failed.value, Path("/nowhere"))
        assert failure is not None
        assert str(failure).startswith("the PostgreSQL catalog cannot be used (") and words in str(failure)
        assert "check DATABASE_URL" in str(failure)
        assert PASSWORD not in str(failure) and "not-the-password" not in str(failure)


def test_index_tokens_cut_words_as_the_sqlite_tokenizer_does() -> None:
    assert index_tokens("Côte d'Ivoire's 53rd signatory—São Tomé, 2023-10-26") == [
        "cote",
        "d",
        "ivoire",
        "s",
        "53rd",
        "signatory",
        "sao",
        "tome",
        "2023",
        "10",
        "26",
    ]


@pytest.fixture(scope="module")
def both_indexed(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> Iterator[tuple[Services, Services]]:
    """The shipped corpus indexed (fake embedder) into a SQLite catalog and into PostgreSQL."""
    root = tmp_path_factory.mktemp("parity")
    url = postgres_server.create_database()
    common = {
        "corpus": REPO / "corpus" / "articles",
        "registry_path": REPO / "corpus" / "members.csv",
        "chunk_tokens": 200,
        "chunk_overlap_tokens": 40,
    }
    sqlite = Services(make_settings(root / "sqlite", **common))
    postgres = Services(make_settings(root / "postgres", database_url=url, **common))
    try:
        for services in (sqlite, postgres):
            services.reindex()
        yield sqlite, postgres
    finally:
        sqlite.catalog.close()
        postgres.catalog.close()
        postgres_server.drop_database(url)


def test_both_catalogs_hold_the_same_articles_chunks_and_words(
    both_indexed: tuple[Services, Services],
) -> None:
    sqlite, postgres = (s.catalog for s in both_indexed)
    assert isinstance(sqlite, SqliteCatalog) and isinstance(postgres, PostgresCatalog)
    assert postgres.counts() == sqlite.counts() and postgres.counts()[1] > 200
    assert [dataclasses.replace(d, indexed_at="") for d in postgres.documents()] == [
        dataclasses.replace(d, indexed_at="") for d in sqlite.documents()
    ]
    assert postgres.document_hashes() == sqlite.document_hashes()
    assert postgres.newest_published() == sqlite.newest_published()
    assert postgres.word_frequencies() == sqlite.word_frequencies()
    assert set(postgres.vocabulary()) == set(sqlite.vocabulary())
    ids = sorted(sqlite.all_chunk_ids())[:50]
    assert postgres.get_chunks(ids) == sqlite.get_chunks(ids)


def test_keyword_search_ranks_the_same_chunks_with_the_same_scores_on_both(
    both_indexed: tuple[Services, Services],
) -> None:
    sqlite, postgres = (s.catalog for s in both_indexed)
    tuning = load_questions(REPO / "tests" / "data" / "questions.jsonl", split="tuning")
    questions = [q.question for q in tuning][::10]  # about 130 real questions
    assert len(questions) > 100
    for question in questions:
        for term in keyword_terms(question):
            assert postgres.document_frequency(term) == sqlite.document_frequency(term), (question, term)
        want, got = sqlite.keyword_search(question), postgres.keyword_search(question)
        assert [round(s, 6) for _, s in got] == [round(s, 6) for _, s in want], question
        # chunks with equal scores may come in either order, and the last score's may be cut differently
        last = round(want[-1][1], 6) if want else 0.0
        assert {(cid, round(s, 6)) for cid, s in got if round(s, 6) > last} == {
            (cid, round(s, 6)) for cid, s in want if round(s, 6) > last
        }, question


def test_words_are_stemmed_as_fts5_stems_them(database: str, tmp_path: Path) -> None:
    """FTS5's porter follows Porter's C code (-logi to -log, -bli to -ble) and leaves short words alone."""
    words = "visibly technology apology sensibly nobly ably us vs humbly generalization conditional hopeful"
    catalog = PostgresCatalog(database)
    try:
        with catalog._pool.connection() as conn:
            stems = catalog._stem(conn, words.split())
    finally:
        catalog.close()
    sqlite = SqliteCatalog(tmp_path / "catalog.sqlite3")
    try:
        sqlite._conn().execute("INSERT INTO chunks_fts(chunk_id, title, text) VALUES ('x', '', ?)", (words,))
        assert sorted(stems.values()) == sorted(sqlite.vocabulary())
    finally:
        sqlite.close()


def test_a_word_too_long_for_a_tsvector_is_left_out_and_the_rest_is_searchable(
    tmp_path: Path, database: str
) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "blob", "Belarus data dump", f"Belarus signed. {'x' * 3000} Minsk hosted it.")
    services = Services(make_settings(tmp_path, corpus=corpus, database_url=database))
    try:
        report = services.reindex()
        assert report.added == ["blob"] and not report.skipped
        assert [cid.split(":")[0] for cid, _ in services.catalog.keyword_search("Minsk")] == ["blob"]
        assert services.catalog.document_frequency("x" * 3000) == 0
    finally:
        services.catalog.close()
