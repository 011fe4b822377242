"""Chunking: sized for the model window, offsets that point into the body, stable ids."""

from __future__ import annotations

from retrieval.chunking import Chunker
from retrieval.documents import Article


def _article(body: str, title: str = "Title") -> Article:
    return Article("doc", title, body, "doc.md", "2024-05-01", "Wire", "https://e.org/doc")


def test_chunks_fit_the_token_budget_and_offsets_point_into_the_body() -> None:
    body = "\n\n".join(
        f"Paragraph {i} says that country {i} signed the accords on day {i}. " * 3 for i in range(12)
    )
    chunker = Chunker(60, 10)
    chunks = chunker.split(_article(body))
    assert len(chunks) > 3
    for n, chunk in enumerate(chunks):
        assert chunk.n == n
        assert body[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text.split()) * 1.3 <= 61
        assert chunk.doc_id == "doc" and chunk.published == "2024-05-01" and chunk.url == "https://e.org/doc"


def test_embedded_text_carries_the_title() -> None:
    (chunk,) = Chunker(60, 10).split(_article("Short body.", title="Belarus joins the ILRS"))
    assert chunk.embed_text.startswith("Belarus joins the ILRS\n\n")


def test_chunk_ids_are_deterministic_and_change_only_with_the_text() -> None:
    chunker = Chunker(40, 5)
    body = "First paragraph about Egypt joining.\n\nSecond paragraph about Pakistan joining the station."
    first = [c.chunk_id for c in chunker.split(_article(body))]
    assert first == [c.chunk_id for c in chunker.split(_article(body))]
    edited = [c.chunk_id for c in chunker.split(_article(body.replace("Pakistan", "Serbia")))]
    assert edited != first
    assert len(set(first)) == len(first)


def test_repeated_identical_passages_get_distinct_ids() -> None:
    body = "\n\n".join(["The same sentence repeated to fill a chunk exactly. " * 4] * 3)
    ids = [c.chunk_id for c in Chunker(30, 0).split(_article(body))]
    assert len(ids) == len(set(ids))
