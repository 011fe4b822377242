"""Incremental indexing with the fake embedder and embedded Chroma, on the SQLite catalog and on PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from retrieval.errors import CorpusNotFound, IndexBusy, ModelMismatch
from retrieval.services import Services
from tests.conftest import CatalogBackend
from tests.helpers import write_article

pytestmark = pytest.mark.both_catalogs


def _consistent(services: Services) -> set[str]:
    """Chroma, the catalog's chunk table and its keyword index hold the same ids; returns them."""
    catalog_ids = services.catalog.all_chunk_ids()
    assert services.store.all_ids() == catalog_ids
    assert services.catalog.keyword_index_ids() == catalog_ids
    return catalog_ids


def test_first_run_indexes_every_article(services: Services) -> None:
    report = services.reindex()
    assert (len(report.added), len(report.updated), len(report.unchanged), len(report.deleted)) == (
        4,
        0,
        0,
        0,
    )
    assert report.chunks_embedded == services.catalog.counts()[1] > 0
    assert len(_consistent(services)) == report.chunks_embedded


def test_rerun_on_unchanged_corpus_embeds_nothing(services: Services) -> None:
    services.reindex()
    before = services.embedder.texts_embedded  # type: ignore[attr-defined]
    report = services.reindex()
    assert report.chunks_embedded == 0
    assert services.embedder.texts_embedded == before  # type: ignore[attr-defined]
    assert len(report.unchanged) == 4 and not report.added and not report.updated


def test_changed_article_reembeds_only_its_own_chunks(services: Services, corpus: Path) -> None:
    services.reindex()
    others = {
        d: services.catalog.chunk_ids_of(d) for d in ("belarus-ilrs", "finland-artemis", "accords-explainer")
    }
    write_article(
        corpus,
        "egypt-ilrs",
        "Egypt joins the ILRS",
        "Egypt signed a cooperation agreement with CNSA on "
        "6 December 2023 in Beijing, the first Arab country to join.",
        published="2023-12-06",
    )
    report = services.reindex()
    assert report.updated == ["egypt-ilrs"]
    assert 0 < report.chunks_embedded <= len(services.catalog.chunk_ids_of("egypt-ilrs"))
    assert {d: services.catalog.chunk_ids_of(d) for d in others} == others
    ids = _consistent(services)
    assert all(
        not cid.startswith("egypt-ilrs:") or cid in services.catalog.chunk_ids_of("egypt-ilrs") for cid in ids
    )


def test_metadata_only_change_updates_the_record_without_embedding(services: Services, corpus: Path) -> None:
    services.reindex()
    text = (corpus / "finland-artemis.md").read_text().replace("Test Wire", "Other Wire")
    (corpus / "finland-artemis.md").write_text(text)
    report = services.reindex()
    assert report.updated == ["finland-artemis"] and report.chunks_embedded == 0
    assert services.catalog.document("finland-artemis").outlet == "Other Wire"


def test_deleted_article_chunks_are_removed(services: Services, corpus: Path) -> None:
    services.reindex()
    (corpus / "belarus-ilrs.md").unlink()
    report = services.reindex()
    assert report.deleted == ["belarus-ilrs"]
    ids = _consistent(services)
    assert not any(cid.startswith("belarus-ilrs:") for cid in ids)
    assert services.catalog.document("belarus-ilrs") is None


def test_malformed_file_is_skipped_and_the_rest_indexed(services: Services, corpus: Path) -> None:
    (corpus / "broken.md").write_text("---\nid: [oops\n---\nbody\n")
    report = services.reindex()
    assert len(report.added) == 4
    assert [(Path(s.path).name, "not valid YAML" in s.error) for s in report.skipped] == [("broken.md", True)]
    assert report.to_json()["skipped"] == [
        {"path": str(corpus / "broken.md"), "error": report.skipped[0].error}
    ]


def test_missing_corpus_leaves_the_previous_index_untouched(services: Services, tmp_path: Path) -> None:
    services.reindex()
    before = services.catalog.counts()
    with pytest.raises(CorpusNotFound):
        services.reindex(corpus_dir=tmp_path / "missing")
    assert services.catalog.counts() == before


def test_index_built_by_another_model_is_refused(
    tmp_path: Path, corpus: Path, catalog_backend: CatalogBackend
) -> None:
    Services(catalog_backend.settings(tmp_path, corpus=corpus)).reindex()
    from retrieval.embeddings import FakeEmbedder

    other = Services(
        catalog_backend.settings(tmp_path, corpus=corpus),
        embedder=FakeEmbedder(name="other-model", dimension=64),
    )
    with pytest.raises(ModelMismatch, match="built with embedding model 'fake-hash-embedder'"):
        other.reindex()
    with pytest.raises(ModelMismatch):
        other.check_ready()
    report = other.reindex(full=True)  # an explicit full rebuild switches models
    assert len(report.added) == 4 and other.catalog.get_meta("embedding_model") == "other-model"


def test_foreign_collection_is_refused_not_mixed(
    tmp_path: Path, corpus: Path, catalog_backend: CatalogBackend
) -> None:
    svc = Services(catalog_backend.settings(tmp_path, corpus=corpus))
    col = svc.store._client().create_collection(
        svc.store.name, embedding_function=None, metadata={"embedding_model": "someone-else"}
    )
    assert col is not None
    with pytest.raises(ModelMismatch, match="someone-else"):
        svc.reindex()


def test_second_concurrent_reindex_is_told_it_is_running(services: Services) -> None:
    entered, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_progress(stage: str, done: int, total: int) -> None:
        entered.set()
        release.wait(5)

    def first() -> None:
        try:
            services.reindex(progress=slow_progress, who="alice")
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    t = threading.Thread(target=first)
    t.start()
    assert entered.wait(5)
    with pytest.raises(IndexBusy) as busy:
        services.reindex(who="bob")
    assert busy.value.holder and "alice" in busy.value.holder
    release.set()
    t.join(10)
    assert not errors
    assert services.reindex().chunks_embedded == 0


def test_stats_say_who_is_reindexing_now_and_how_the_latest_reindexes_ended(services: Services) -> None:
    entered, release = threading.Event(), threading.Event()
    reports: list[object] = []

    def slow_progress(stage: str, done: int, total: int) -> None:
        entered.set()
        release.wait(5)

    t = threading.Thread(target=lambda: reports.append(services.reindex(progress=slow_progress, who="alice")))
    t.start()
    try:
        assert entered.wait(5)
        during = services.stats()
        assert during.reindexing and during.reindexing.startswith(f"alice (pid {os.getpid()}")
        assert [(r.who, r.outcome) for r in during.runs] == [("alice", "running")]
    finally:
        release.set()
        t.join(10)
    with pytest.raises(CorpusNotFound):
        services.reindex(corpus_dir=Path("/nonexistent-corpus"), who="bob")
    after = services.stats()
    assert after.reindexing is None
    assert [(r.who, r.outcome) for r in after.runs] == [("bob", "failed"), ("alice", "finished")]
    assert after.runs[0].summary == "corpus folder not found: /nonexistent-corpus"
    assert after.runs[1].summary == reports[0].summary()  # type: ignore[attr-defined]
    assert after.to_json()["runs"][1]["outcome"] == "finished"  # type: ignore[index]


def test_stats_report_counts_and_model(services: Services) -> None:
    services.reindex()
    stats = services.stats()
    assert (stats.articles, stats.model) == (4, "fake-hash-embedder")
    assert stats.chunks == services.catalog.counts()[1] and stats.last_index_at


def test_vectors_lost_from_the_store_are_re_embedded_and_reported(services: Services) -> None:
    services.reindex()
    chunks = services.catalog.counts()[1]
    services.store.drop()  # the Chroma collection is gone, as after losing its folder or a server's volume
    assert services.stats().vectors_problem == (
        f"the vector store holds 0 vectors for {chunks} indexed chunks; a reindex re-embeds the missing ones"
    )
    report = services.reindex()
    assert (report.chunks_restored, report.chunks_embedded) == (chunks, chunks)
    assert (len(report.unchanged), len(report.updated), len(report.added)) == (4, 0, 0)
    assert f"re-embedded {chunks} chunks missing from the vector store" in report.summary()
    _consistent(services)
    assert services.stats().vectors_problem is None
    assert services.searcher.search("When did Egypt join the ILRS?", mode="dense").passages
    again = services.reindex()
    assert (again.chunks_embedded, again.chunks_restored) == (0, 0)


def test_a_partly_lost_store_re_embeds_only_the_lost_chunks(services: Services) -> None:
    services.reindex()
    lost = sorted(services.catalog.all_chunk_ids())[:3]
    services.store.delete(lost)
    report = services.reindex()
    assert (report.chunks_restored, report.chunks_embedded, len(report.unchanged)) == (3, 3, 4)
    assert services.store.existing(lost) == set(lost)
    _consistent(services)


def test_vectors_the_catalog_does_not_list_are_removed(services: Services) -> None:
    services.reindex()
    dimension = services.embedder.dimension
    services.store.upsert(["stray-1", "stray-2"], [[0.1] * dimension] * 2, ["gone", "gone"])
    problem = services.stats().vectors_problem
    assert problem is not None and "a reindex removes the ones the catalog does not list" in problem
    report = services.reindex()
    assert report.stray_vectors_removed == 2 and report.chunks_embedded == 0
    assert "removed 2 vectors the catalog does not list" in report.summary()
    _consistent(services)


def test_a_new_file_reusing_an_established_id_is_refused_and_the_established_article_stays(
    services: Services, corpus: Path
) -> None:
    services.reindex()
    # sorts before egypt-ilrs.md, so path order alone would let it win
    write_article(
        corpus, "egypt-ilrs", "Egypt joined in 1999", "Egypt joined the ILRS in 1999.", name="0-impostor.md"
    )
    report = services.reindex()
    assert [(Path(s.path).name, s.error) for s in report.skipped] == [
        ("0-impostor.md", f"duplicate id 'egypt-ilrs' (already used by {corpus / 'egypt-ilrs.md'})")
    ]
    stored = services.catalog.document("egypt-ilrs")
    assert (
        stored is not None
        and stored.title == "Egypt joins the ILRS"
        and stored.path == str(corpus / "egypt-ilrs.md")
    )
    assert report.chunks_embedded == 0 and len(report.unchanged) == 4


def test_marking_an_article_a_summary_updates_its_record_without_re_embedding(
    services: Services, corpus: Path
) -> None:
    services.reindex()
    path = next(corpus.glob("*.md"))
    text = path.read_text()
    path.write_text(text.replace("\n---\n", "\nkind: summary\nsummary_of: NASA's release\n---\n", 1))
    report = services.reindex()
    assert len(report.updated) == 1 and report.chunks_embedded == 0  # same text, same chunks
    stored = services.catalog.document(report.updated[0])
    assert stored is not None and stored.is_summary and stored.summary_of == "NASA's release"


def test_a_sqlite_catalog_made_before_kinds_existed_gains_the_columns(tmp_path: Path) -> None:
    import sqlite3

    from retrieval.catalog import SqliteCatalog

    path = tmp_path / "catalog.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, content_hash TEXT NOT NULL, "
        "title TEXT NOT NULL, published TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL, "
        "sources TEXT NOT NULL, topics TEXT NOT NULL, n_chunks INTEGER NOT NULL, indexed_at TEXT NOT NULL)"
    )
    old.execute(
        "INSERT INTO documents VALUES ('a', 'a.md', 'h', 'T', '2024-01-01', 'O', '', '[]', '[]', 1, 'now')"
    )
    old.commit()
    old.close()
    stored = SqliteCatalog(path).document("a")
    assert stored is not None and (stored.kind, stored.summary_of, stored.is_summary) == ("", "", False)


def test_progress_counts_articles_one_by_one_as_they_are_recorded(services: Services, corpus: Path) -> None:
    events: list[tuple[str, int, int]] = []
    services.reindex(progress=lambda *e: events.append(e))
    articles = [(done, total) for stage, done, total in events if stage == "articles"]
    assert articles[0] == (0, 4) and articles[-1] == (4, 4)
    assert [done for done, _ in articles] == [0, 1, 2, 3, 4]  # every article, in order
    write_article(corpus, "new-one", "A new one", "Freedonia joined the ILRS in 2026.")
    events.clear()
    services.reindex(progress=lambda *e: events.append(e))
    articles = [(done, total) for stage, done, total in events if stage == "articles"]
    assert articles == [(4, 5), (5, 5)]  # the unchanged ones at once, then the new one
