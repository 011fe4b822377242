"""The real all-MiniLM-L6-v2 model, loaded offline from its package, on a small and the shipped corpus."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from retrieval.embeddings import resolve_model_path
from retrieval.services import Services
from tests.helpers import make_settings, write_sample_corpus

pytestmark = pytest.mark.model


def test_packaged_model_loads_offline_by_path_with_normalised_384_dim_vectors(real_embedder) -> None:
    assert resolve_model_path("all-MiniLM-L6-v2").joinpath("model.safetensors").exists()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    vector = real_embedder.embed_query("When did Belarus join the ILRS?")
    assert len(vector) == 384 == real_embedder.dimension
    assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-3)


def test_token_counts_use_the_model_tokenizer(real_embedder) -> None:
    assert real_embedder.count_tokens("Belarus") == 1
    assert real_embedder.count_tokens("International Lunar Research Station") >= 4


def test_unknown_model_name_fails_without_downloading(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="never downloaded"):
        resolve_model_path("sentence-transformers/some-other-model")


def test_semantic_search_with_the_real_model_on_a_small_corpus(tmp_path: Path, real_embedder) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    svc = Services(make_settings(tmp_path, corpus=corpus, model="all-MiniLM-L6-v2"), embedder=real_embedder)
    svc.reindex()
    # No shared keywords with the answer: only the dense side can find it.
    result = svc.searcher.search("first nation from the Arab world in the Chinese moon base", mode="dense")
    assert result.passages[0].doc_id == "egypt-ilrs"


def test_belarus_question_ranks_the_belarus_report_first(real_services: Services) -> None:
    passages = real_services.searcher.search("When did Belarus join the ILRS?").passages
    assert "belarus" in passages[0].doc_id
    assert "Belarus" in passages[0].text and "October 2023" in passages[0].text


def test_every_members_joining_date_is_found_in_the_top_3(real_services: Services) -> None:
    import re

    registry = real_services.registry.get()
    misses = []
    for m in registry.rows:
        coalition = "Artemis Accords" if m.coalition == "artemis_accords" else "ILRS"
        passages = real_services.searcher.search(f"When did {m.member} join the {coalition}?", k=5).passages[
            :3
        ]
        names = [re.sub(r"\s*\(.*?\)", "", m.member).split(",")[0], *re.findall(r"\(([A-Z]{3,})\)", m.member)]
        if not any(any(n in p.text for n in names) and m.joined_human in p.text for p in passages):
            misses.append((m.coalition, m.member, [p.doc_id for p in passages]))
    assert misses == []


def test_every_sentence_of_the_shipped_corpus_has_a_stored_vector(real_services: Services) -> None:
    """Pooling finds each sentence among its chunk's tokens (Markdown, lists and headings included), so the
    answerer never needs the model for the corpus's sentences."""
    import numpy as np

    from retrieval.sentence_vectors import digest
    from retrieval.sentences import split_sentences

    catalog = real_services.catalog
    chunks = catalog.get_chunks(sorted(catalog.all_chunk_ids()))
    stored = catalog.sentence_vectors(sorted(chunks), real_services.embedder.name)
    assert set(stored) == set(chunks)
    for chunk_id, chunk in chunks.items():
        assert stored[chunk_id].digest == digest(split_sentences(chunk.text))
        scales = np.frombuffer(stored[chunk_id].scales, dtype=np.float32)
        assert (scales > 0).all(), chunk_id
