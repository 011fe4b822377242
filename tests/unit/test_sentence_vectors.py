"""Sentence vectors stored at index time: locating sentences among a chunk's tokens, packing, storage,
the one-time upgrade of an older index, and the answerer using them instead of calling the model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.embeddings import FakeEmbedder
from retrieval.sentence_vectors import digest, pack, token_spans, unpack
from retrieval.sentences import split_sentences
from retrieval.services import Services
from tests.helpers import make_settings, write_article, write_sample_corpus

STAR = 99  # stands for the token of "*" in these id sequences


def test_token_spans_follow_the_sentences_in_order_and_skip_markup() -> None:
    # [CLS] title . | s1: 5 6 7 | "*" "*" | s2: 8 "*" 9 | s3 repeats s1's first token: 5 10 | [SEP]
    chunk = [101, 1, 2, 5, 6, 7, STAR, STAR, 8, STAR, 9, 5, 10, 102]
    spans = token_spans(chunk, [[5, 6, 7], [8, 9], [5, 10]], frozenset({STAR}))
    assert spans == [(3, 6), (8, 11), (11, 13)]


def test_a_sentence_cut_off_by_the_window_gets_no_span() -> None:
    chunk = [101, 5, 6, 7, 8, 102]
    assert token_spans(chunk, [[5, 6], [7, 8, 9, 10]], frozenset()) == [(1, 3), None]
    assert token_spans(chunk, [[]], frozenset()) == [None]


def test_pack_and_unpack_keep_direction_and_missing_sentences() -> None:
    rng = np.random.default_rng(1)
    vectors = [v / np.linalg.norm(v) for v in rng.normal(size=(3, 384)).astype(np.float32)]
    stored = pack("m", ["a", "b", "c", "d"], [vectors[0], None, vectors[1], vectors[2]], 384)
    back = unpack(stored, 384)
    assert back[1] is None and len(back) == 4
    for original, restored in zip(vectors, [back[0], back[2], back[3]], strict=True):
        assert restored is not None
        assert float(original @ restored) / float(np.linalg.norm(restored)) > 0.999
    assert len(stored.vectors) == 4 * 384  # one byte per dimension
    assert stored.digest == digest(["a", "b", "c", "d"]) != digest(["a", "b", "c d"])


def _stored_rows(services: Services) -> dict[str, str]:
    return dict(services.catalog._conn().execute("SELECT chunk_id, digest FROM sentence_vectors").fetchall())


def test_indexing_stores_one_row_per_chunk_and_keeps_them_in_step(services: Services, corpus: Path) -> None:
    services.reindex()
    rows = _stored_rows(services)
    assert set(rows) == services.catalog.all_chunk_ids()
    chunks = services.catalog.get_chunks(sorted(rows))
    assert all(rows[cid] == digest(split_sentences(c.text)) for cid, c in chunks.items())

    write_article(
        corpus, "belarus-ilrs", "Belarus joins the ILRS", "Belarus signed on 14 May 2023 in a new text."
    )
    (corpus / "finland-artemis.md").unlink()
    services.reindex()
    assert (
        set(_stored_rows(services)) == services.catalog.all_chunk_ids()
    )  # stale rows went with their chunks


class PlainEmbedder:
    """The fake embedder without the sentence capability (an embedder that cannot pool sentences)."""

    def __init__(self) -> None:
        self.inner = FakeEmbedder()
        self.name, self.dimension = self.inner.name, self.inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def test_an_index_made_without_sentence_vectors_gets_them_once(tmp_path: Path) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    old = Services(make_settings(tmp_path, corpus=corpus), embedder=PlainEmbedder())  # type: ignore[arg-type]
    old.reindex()
    assert not _stored_rows(old)
    n_chunks = old.catalog.counts()[1]
    old.catalog.close()

    upgraded = Services(make_settings(tmp_path, corpus=corpus))
    first = upgraded.reindex()
    assert first.chunks_embedded == n_chunks and len(first.updated) == 4
    assert set(_stored_rows(upgraded)) == upgraded.catalog.all_chunk_ids()
    assert upgraded.reindex().chunks_embedded == 0


QUESTION = "When did Egypt join the International Lunar Research Station?"


def _answerer_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    write_article(
        corpus,
        "egypt-ilrs",
        "Egypt joins the ILRS",
        "Egypt joined the International Lunar Research Station on 6 December 2023 in Beijing. "
        "The agreement was signed by CNSA and the Egyptian Space Agency. Officials called it a first step.",
        published="2023-12-06",
    )
    write_article(
        corpus,
        "thailand-ilrs",
        "Thailand joins the ILRS",
        "Thailand joined the ILRS on 5 April 2024, becoming the 9th country in the project.",
        published="2024-04-05",
    )
    return corpus


def test_the_answerer_uses_stored_vectors_and_calls_the_model_only_for_the_question(tmp_path: Path) -> None:
    services = Services(make_settings(tmp_path, corpus=_answerer_corpus(tmp_path)))
    services.reindex()
    embedder = services.embedder
    before = embedder.texts_embedded  # type: ignore[attr-defined]
    answer = services.offline_answerer.answer(QUESTION)
    assert not answer.refused and "6 December 2023" in answer.text
    assert embedder.texts_embedded == before  # type: ignore[attr-defined]  # no sentence embedded now


def test_a_changed_sentence_split_falls_back_to_embedding_at_question_time(tmp_path: Path) -> None:
    services = Services(make_settings(tmp_path, corpus=_answerer_corpus(tmp_path)))
    services.reindex()
    services.catalog._conn().execute("UPDATE sentence_vectors SET digest = 'from-an-older-splitter'")
    embedder = services.embedder
    before = embedder.texts_embedded  # type: ignore[attr-defined]
    answer = services.offline_answerer.answer(QUESTION)
    assert not answer.refused and "6 December 2023" in answer.text
    assert embedder.texts_embedded > before  # type: ignore[attr-defined]


def test_stored_and_question_time_vectors_give_the_same_answer(tmp_path: Path) -> None:
    """With the fake embedder both paths see the same vectors (up to int8 rounding): same answer."""
    services = Services(make_settings(tmp_path, corpus=_answerer_corpus(tmp_path)))
    services.reindex()
    from_store = services.offline_answerer.answer(QUESTION)
    services.catalog._conn().execute("DELETE FROM sentence_vectors")
    services.offline_answerer.clear_caches()
    from_model = services.offline_answerer.answer(QUESTION)
    assert from_store.text == from_model.text and not from_store.refused
    assert from_store.confidence == pytest.approx(from_model.confidence, abs=0.01)
