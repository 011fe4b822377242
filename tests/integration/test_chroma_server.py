"""The same core indexing behaviour against a real Chroma server (`chroma run` on 127.0.0.1)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from retrieval.embeddings import FakeEmbedder
from retrieval.errors import ModelMismatch
from retrieval.services import Services
from tests.helpers import make_settings, write_article, write_sample_corpus

pytestmark = pytest.mark.chroma_server


def _services(
    tmp: Path, server: tuple[str, int], prefix: str, embedder: FakeEmbedder | None = None
) -> Services:
    settings = make_settings(
        tmp,
        corpus=tmp / "corpus",
        chroma_host=server[0],
        chroma_port=server[1],
        chroma_collection_prefix=prefix,
    )
    return Services(settings, embedder=embedder)


def test_incremental_index_and_search_on_a_chroma_server(
    tmp_path: Path, chroma_server: tuple[str, int]
) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    svc = _services(tmp_path, chroma_server, f"t{uuid.uuid4().hex[:8]}")
    assert svc.store.location == f"chroma server {chroma_server[0]}:{chroma_server[1]}"
    first = svc.reindex()
    assert len(first.added) == 4 and first.chunks_embedded > 0
    assert svc.store.all_ids() == svc.catalog.all_chunk_ids()

    assert svc.reindex().chunks_embedded == 0  # no-op re-run

    write_article(
        corpus,
        "egypt-ilrs",
        "Egypt joins the ILRS",
        "Egypt signed with CNSA on 6 December 2023, the first Arab country in the ILRS.",
        published="2023-12-06",
    )
    (corpus / "belarus-ilrs.md").unlink()
    report = svc.reindex()
    assert report.updated == ["egypt-ilrs"] and report.deleted == ["belarus-ilrs"]
    assert 0 < report.chunks_embedded <= len(svc.catalog.chunk_ids_of("egypt-ilrs"))
    assert svc.store.all_ids() == svc.catalog.all_chunk_ids()
    assert svc.searcher.search("When did Egypt join the ILRS?").passages[0].doc_id == "egypt-ilrs"


def test_collection_of_another_model_is_refused_on_the_server(
    tmp_path: Path, chroma_server: tuple[str, int]
) -> None:
    write_sample_corpus(tmp_path / "corpus")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    svc = _services(tmp_path, chroma_server, prefix)
    svc.store._client().create_collection(
        svc.store.name, embedding_function=None, metadata={"embedding_model": "a-different-model"}
    )
    with pytest.raises(ModelMismatch, match="a-different-model"):
        svc.reindex()


def test_a_chroma_outage_is_reported_and_search_recovers_by_itself(tmp_path: Path) -> None:
    from retrieval.errors import SearchUnavailable
    from tests.conftest import ChromaServer

    server = ChromaServer(tmp_path).start()
    try:
        write_sample_corpus(tmp_path / "corpus")
        svc = _services(tmp_path, ("127.0.0.1", server.port), "outage")
        svc.reindex()
        assert svc.answerer.answer("When did Egypt join the ILRS?").citations
        server.stop()
        with pytest.raises(SearchUnavailable, match="try again shortly"):
            svc.answerer.answer("When did Egypt join the ILRS?")
        server.start()  # same port, same data
        answer = svc.answerer.answer("When did Egypt join the ILRS?")
        assert "6 December 2023" in answer.text and answer.citations
    finally:
        server.stop()
