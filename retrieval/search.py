"""Hybrid retrieval: dense vectors (Chroma) and BM25 keywords (the catalog's index), fused by reciprocal rank.

At most a few passages per article survive the fusion, so one long article cannot crowd out the
rest. Only chunks the catalog lists are returned: vectors left by an interrupted run never surface.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Literal

from retrieval.catalog import Catalog
from retrieval.chunking import Chunk
from retrieval.embeddings import Embedder
from retrieval.errors import BadInput, IndexEmpty
from retrieval.store import VectorStore

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Passage:
    """One retrieved passage with its scores."""

    chunk: Chunk
    score: float
    dense: float | None = None
    dense_rank: int | None = None
    keyword: float | None = None
    keyword_rank: int | None = None

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass
class SearchResult:
    """Ranked passages plus what was spent finding them."""

    passages: list[Passage]
    query_vector: list[float] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


def rrf_fuse(
    rankings: list[list[str]], k: int = RRF_K, weights: list[float] | None = None
) -> dict[str, float]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the rankings an id appears in."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for weight, ranking in zip(weights, rankings, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def cap_per_article(ranked: list[Passage], k: int, per_article: int) -> list[Passage]:
    """Keep the best passages, at most `per_article` from any one article, up to k."""
    kept: list[Passage] = []
    per_doc: dict[str, int] = {}
    for passage in ranked:
        if per_doc.get(passage.doc_id, 0) >= per_article:
            continue
        per_doc[passage.doc_id] = per_doc.get(passage.doc_id, 0) + 1
        kept.append(passage)
        if len(kept) == k:
            break
    return kept


class Searcher:
    """Finds the passages that best match a question."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        store: VectorStore,
        embedder: Embedder,
        k: int = 5,
        per_article: int = 2,
        mode: Mode = "hybrid",
        candidates: int = 30,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.k = k
        self.per_article = per_article
        self.mode = mode
        self.candidates = candidates

    def search(self, question: str, *, k: int | None = None, mode: Mode | None = None) -> SearchResult:
        """Ranked passages for a question; raises IndexEmpty when nothing is indexed."""
        question = " ".join(question.split())
        if not question:
            raise BadInput("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise BadInput(f"the question is over {MAX_QUESTION_CHARS} characters")
        k = k or self.k
        mode = mode or self.mode
        timings: dict[str, float] = {}
        if self.catalog.counts()[1] == 0:
            raise IndexEmpty("nothing is indexed yet; run `python -m retrieval index` (or /reindex)")

        dense: list[tuple[str, float]] = []
        vector: list[float] | None = None
        if mode in ("hybrid", "dense"):
            t0 = time.perf_counter()
            vector = self.embedder.embed_query(question)
            timings["embed"] = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            dense = self.store.query(vector, self.candidates)
            timings["dense"] = (time.perf_counter() - t0) * 1000
        keyword: list[tuple[str, float]] = []
        if mode in ("hybrid", "keyword"):
            t0 = time.perf_counter()
            keyword = self.catalog.keyword_search(question, self.candidates)
            timings["keyword"] = (time.perf_counter() - t0) * 1000

        t0 = time.perf_counter()
        rankings = [[cid for cid, _ in dense], [cid for cid, _ in keyword]]
        fused = rrf_fuse(rankings)
        chunks = self.catalog.get_chunks(list(fused))
        dense_by = {cid: (rank, s) for rank, (cid, s) in enumerate(dense, start=1)}
        kw_by = {cid: (rank, s) for rank, (cid, s) in enumerate(keyword, start=1)}
        ranked = sorted(
            (
                Passage(
                    chunk=chunks[cid],
                    score=score,
                    dense=dense_by.get(cid, (None, None))[1],
                    dense_rank=dense_by.get(cid, (None, None))[0],
                    keyword=kw_by.get(cid, (None, None))[1],
                    keyword_rank=kw_by.get(cid, (None, None))[0],
                )
                for cid, score in fused.items()
                if cid in chunks
            ),
            key=lambda p: (-p.score, p.chunk_id),
        )
        passages = cap_per_article(ranked, k, self.per_article)
        timings["fuse"] = (time.perf_counter() - t0) * 1000
        return SearchResult(passages=passages, query_vector=vector, timings_ms=timings)
