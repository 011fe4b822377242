"""The PostgreSQL section of the benchmarks: how it fills the catalogs and sums its figures (never timings)."""

from __future__ import annotations

import pytest

from bench.postgres import bulk_load, copy_catalog, keyword_agreement, qps_of, summarise
from retrieval.catalog import SqliteCatalog
from retrieval.documents import load_corpus
from retrieval.postgres_catalog import PostgresCatalog
from retrieval.services import Services
from tests.postgres_server import PostgresServer

QUESTIONS = [
    "When did Belarus join the ILRS?",
    "How many countries signed the Artemis Accords?",
    "lunar research station partners",
]


def test_each_pass_gives_its_percentiles_and_the_figures_are_their_medians() -> None:
    passes = [[1.0, 2.0, 3.0, 100.0], [2.0, 3.0, 4.0, 5.0], [10.0, 20.0, 30.0, 40.0]]

    figures = summarise(passes)

    assert figures["p50_ms"] == 3.5  # medians 2.5, 3.5, 25
    assert figures["p95_ms"] == 40.0  # nearest ranks 100, 5, 40
    assert figures["passes"] == 3


def test_questions_per_second_add_the_workers_of_a_round_and_take_the_median_round() -> None:
    rounds = [
        [{"count": 10, "seconds": 2.0}, {"count": 30, "seconds": 3.0}],  # 15 per s
        [{"count": 40, "seconds": 2.0}],  # 20 per s
        [{"count": 5, "seconds": 1.0}, {"count": 5, "seconds": 1.0}],  # 10 per s
    ]

    assert qps_of(rounds) == 15.0


def test_a_catalog_copied_article_by_article_answers_keyword_search_as_the_original(
    services: Services, tmp_path
) -> None:
    services.reindex()
    articles = load_corpus(services.settings.corpus_dir).articles
    copy = SqliteCatalog(tmp_path / "copy" / "catalog.sqlite3")

    copy_catalog(services.catalog, copy, articles, services.embedder.name)

    assert copy.counts() == services.catalog.counts()
    assert copy.get_meta("embedding_model") == services.embedder.name
    assert keyword_agreement(services.catalog, copy, QUESTIONS) == 1.0


@pytest.mark.postgres
def test_postgresql_filled_partly_through_the_catalog_and_partly_by_copy_matches_sqlite(
    services: Services, postgres_server: PostgresServer
) -> None:
    services.reindex()
    lite = services.catalog
    assert isinstance(lite, SqliteCatalog)
    articles = load_corpus(services.settings.corpus_dir).articles
    url = postgres_server.create_database()
    pg = PostgresCatalog(url)
    try:
        copy_catalog(lite, pg, articles[:2], services.embedder.name)
        bulk_load(lite, pg, url, {a.doc_id for a in articles[:2]})

        assert pg.counts() == lite.counts()
        assert pg.word_frequencies() == lite.word_frequencies()
        assert pg.all_chunk_ids() == lite.all_chunk_ids()
        assert pg.keyword_index_ids() == lite.keyword_index_ids()
        assert [d.doc_id for d in pg.documents()] == [d.doc_id for d in lite.documents()]
        for question in QUESTIONS:
            got, expected = pg.keyword_search(question), lite.keyword_search(question)
            assert [cid for cid, _ in got] == [cid for cid, _ in expected]
            assert [s for _, s in got] == pytest.approx([s for _, s in expected])
    finally:
        pg.close()
        postgres_server.drop_database(url)
