"""Sentence vectors pooled from a chunk's own forward pass at index time, stored next to the chunk.

The offline answerer ranks the sentences of the retrieved passages partly by their similarity to the
question. Embedding those sentences while the user waits costs a model call per question (a batch of
short sentences: several times the question's own embedding). Instead, when the indexer embeds a
chunk, the model's token states are averaged over each sentence's tokens: one vector per sentence,
from the same pass, at no extra model cost. They are kept int8 (one scale per sentence) in the catalog
and carry a digest of the sentence split, so a changed splitter never pairs a sentence with another
sentence's vector; the answerer embeds at question time only what is missing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Characters split_sentences drops from Markdown (bold, italics, headings, code): their tokens are
# ignored on both sides when a sentence is located among a chunk's tokens.
_MARKUP = ("*", "_", "#", "`")


@dataclass(frozen=True)
class ChunkEmbedding:
    """A chunk's vector plus one unit vector per sentence (None where the model's window cut it off)."""

    vector: list[float]
    sentences: list[np.ndarray | None]


@dataclass(frozen=True)
class StoredSentences:
    """A chunk's stored sentence vectors as the catalog keeps them."""

    model: str
    digest: str
    vectors: bytes  # n x dim int8
    scales: bytes  # n float32; 0 marks a sentence without a vector


def digest(sentences: Sequence[str]) -> str:
    """Identifies one sentence split of a chunk."""
    return hashlib.sha1("\x1f".join(sentences).encode()).hexdigest()[:16]


def ignored_ids(tokenizer: Any) -> frozenset[int]:
    """Token ids of the Markdown characters the sentence splitter removes."""
    return frozenset(i for i in (tokenizer.token_to_id(c) for c in _MARKUP) if i is not None)


def token_spans(
    chunk_ids: Sequence[int], sentence_ids: Sequence[Sequence[int]], ignore: frozenset[int]
) -> list[tuple[int, int] | None]:
    """Where each sentence's tokens sit among the chunk's tokens, in order: [start, end) positions.

    Sentences are searched left to right, each after the previous one; a sentence whose tokens do not
    all appear (cut off by the window) gets None."""
    kept = [(pos, tok) for pos, tok in enumerate(chunk_ids) if tok not in ignore]
    positions = [p for p, _ in kept]
    tokens = [t for _, t in kept]
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for ids in sentence_ids:
        wanted = [t for t in ids if t not in ignore]
        n = len(wanted)
        found = None
        if n:
            start = cursor
            while True:
                try:
                    start = tokens.index(wanted[0], start)
                except ValueError:
                    break
                if tokens[start : start + n] == wanted:
                    found = start
                    break
                start += 1
        if found is None:
            spans.append(None)
            continue
        spans.append((positions[found], positions[found + n - 1] + 1))
        cursor = found + n
    return spans


def pool_sentences(
    hidden: np.ndarray,
    chunk_ids: Sequence[int],
    sentences: Sequence[str],
    tokenizer: Any,
    ignore: frozenset[int],
) -> list[np.ndarray | None]:
    """Mean of each sentence's token states (hidden: tokens x dim; markup tokens left out), unit length."""
    if not sentences:
        return []
    encoded = tokenizer.encode_batch(list(sentences), add_special_tokens=False)
    out: list[np.ndarray | None] = []
    for span in token_spans(chunk_ids, [e.ids for e in encoded], ignore):
        if span is None:
            out.append(None)
            continue
        rows = [p for p in range(span[0], span[1]) if chunk_ids[p] not in ignore]
        vector = hidden[rows].mean(axis=0).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        out.append(vector / norm if norm > 0 else None)
    return out


def pack(
    model: str, sentences: Sequence[str], vectors: Sequence[np.ndarray | None], dimension: int
) -> StoredSentences:
    """int8 rows with one float32 scale each (scale 0: no vector for that sentence)."""
    matrix = np.zeros((len(vectors), dimension), dtype=np.int8)
    scales = np.zeros(len(vectors), dtype=np.float32)
    for i, vector in enumerate(vectors):
        if vector is None:
            continue
        peak = float(np.abs(vector).max())
        if peak > 0:
            scales[i] = peak / 127.0
            matrix[i] = np.round(vector / scales[i]).astype(np.int8)
    return StoredSentences(model, digest(sentences), matrix.tobytes(), scales.tobytes())


def unpack(stored: StoredSentences, dimension: int) -> list[np.ndarray | None]:
    """The vectors back as float32 rows (None where a sentence has none)."""
    scales = np.frombuffer(stored.scales, dtype=np.float32)
    matrix = np.frombuffer(stored.vectors, dtype=np.int8).reshape(len(scales), dimension)
    return [None if s == 0 else matrix[i].astype(np.float32) * s for i, s in enumerate(scales)]
