"""Hybrid search: fusion, the per-article cap, empty index, and only catalogued chunks returned (on the
SQLite catalog and on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.catalog import keyword_terms, open_catalog
from retrieval.chunking import Chunk
from retrieval.errors import BadInput, IndexEmpty
from retrieval.search import Passage, cap_per_article, rrf_fuse
from retrieval.services import Services
from tests.conftest import CatalogBackend
from tests.helpers import write_article

pytestmark = pytest.mark.both_catalogs


def _passage(doc: str, n: int, score: float) -> Passage:
    chunk = Chunk(f"{doc}:{n}", doc, n, "text", 0, 4, "T", "2024-01-01", "O", "https://e.org")
    return Passage(chunk=chunk, score=score)


@pytest.mark.parametrize(
    ("rankings", "expected_order"),
    [
        ([["a", "b", "c"], ["b", "c", "a"]], ["b", "a", "c"]),  # b: 2nd and 1st beats a: 1st and 3rd
        ([["a", "b"], ["b", "x"]], ["b", "a", "x"]),  # in both lists beats first in one
        ([["a"], []], ["a"]),
    ],
)
def test_rrf_rewards_agreement_between_rankings(rankings: list[list[str]], expected_order: list[str]) -> None:
    fused = rrf_fuse(rankings)
    assert sorted(fused, key=lambda i: -fused[i]) == expected_order


def test_cap_keeps_at_most_n_passages_per_article() -> None:
    ranked = [_passage("a", i, 1 - i / 10) for i in range(5)] + [
        _passage("b", 0, 0.1),
        _passage("c", 0, 0.05),
    ]
    kept = cap_per_article(ranked, k=5, per_article=2)
    assert [p.chunk_id for p in kept] == ["a:0", "a:1", "b:0", "c:0"]


def test_keyword_terms_drop_stopwords_and_keep_numbers() -> None:
    assert keyword_terms("When did Belarus join the ILRS in 2023?") == ["belarus", "join", "ilrs", "2023"]


def test_hybrid_search_finds_the_article_that_answers(services: Services) -> None:
    services.reindex()
    result = services.searcher.search("When did Egypt join the ILRS?")
    assert result.passages[0].doc_id == "egypt-ilrs"
    assert result.passages[0].keyword_rank == 1
    for mode in ("dense", "keyword"):
        assert services.searcher.search("Egypt Arab country", mode=mode).passages


def test_one_long_article_cannot_crowd_out_the_rest(services: Services, corpus: Path) -> None:
    long_body = "\n\n".join(
        f"Belarus and the ILRS, paragraph {i}: Belarus joined the ILRS lunar station." for i in range(30)
    )
    write_article(corpus, "belarus-long", "Belarus and the ILRS at length", long_body)
    services.reindex()
    passages = services.searcher.search("Belarus ILRS", k=5).passages
    per_doc: dict[str, int] = {}
    for p in passages:
        per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
    assert max(per_doc.values()) <= 2 and len(per_doc) >= 3


def test_vectors_unknown_to_the_catalog_never_surface(services: Services) -> None:
    services.reindex()
    vector = services.embedder.embed_query("ghost passage about Belarus")
    services.store.upsert(["ghost:1"], [vector], ["ghost"])
    ids = [p.chunk_id for p in services.searcher.search("ghost passage about Belarus", k=10).passages]
    assert "ghost:1" not in ids and ids


def test_empty_index_and_bad_questions_raise_clear_errors(services: Services) -> None:
    with pytest.raises(IndexEmpty):
        services.searcher.search("anything")
    services.reindex()
    with pytest.raises(BadInput, match="empty"):
        services.searcher.search("   \n ")
    with pytest.raises(BadInput, match="over"):
        services.searcher.search("x" * 5000)


def _filler_corpus(folder: Path, n: int) -> Path:
    """n articles that all say 'lunar' and 'agreement'; only two say 'Belarus', one says 'Minsk'."""
    for i in range(n):
        extra = " Belarus took part." if i in (3, 7) else ""
        extra += " The signing was in Minsk." if i == 7 else ""
        write_article(
            folder, f"filler-{i}", f"Report {i}", f"A lunar agreement was discussed at meeting {i}.{extra}"
        )
    return folder


def test_keyword_search_keeps_the_rarest_words_within_a_postings_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_backend: CatalogBackend
) -> None:
    services = Services(catalog_backend.settings(tmp_path, corpus=_filler_corpus(tmp_path / "corpus", 30)))
    services.reindex()
    catalog = services.catalog
    terms = ["lunar", "agreement", "belarus", "minsk"]
    assert [catalog.document_frequency(t) for t in terms] == [30, 30, 2, 1]
    assert catalog.selective_terms(terms, budget=10) == ["belarus", "minsk"]  # in question order
    assert catalog.selective_terms(terms, budget=1) == ["minsk"]  # the rarest word always stays
    assert catalog.selective_terms(terms, budget=1000) == terms  # a small corpus keeps every word
    assert catalog.selective_terms(["nowhere", "minsk"], budget=1) == ["minsk"]  # unknown words match nothing
    question = "lunar agreement signed in Minsk by Belarus"
    assert len(catalog.keyword_search(question)) == 30  # every chunk says "lunar"
    # with a tight budget the common words are left out of the query and the rare ones still find their chunks
    monkeypatch.setattr("retrieval.catalog.KEYWORD_POSTINGS_BUDGET", 10)
    hits = catalog.keyword_search(question)
    assert [h[0].split(":")[0] for h in hits] == ["filler-7", "filler-3"]


def test_counts_and_word_frequencies_follow_writes_by_another_process(
    tmp_path: Path, catalog_backend: CatalogBackend
) -> None:
    """The catalog memoises counts and document frequencies per connection; a commit by another
    connection (another bot process, or the indexer) must be seen at once."""
    corpus = _filler_corpus(tmp_path / "corpus", 3)
    services = Services(catalog_backend.settings(tmp_path, corpus=corpus))
    services.reindex()
    reader = open_catalog(services.settings)
    assert reader.counts()[0] == 3 and reader.document_frequency("belarus") == 0
    write_article(corpus, "belarus-news", "Belarus news", "Belarus signed a lunar agreement.")
    services.reindex()  # writes through its own connection
    assert reader.counts()[0] == 4 and reader.document_frequency("belarus") == 1
    reader.close()
