"""Incremental, idempotent indexing of the corpus into the catalog (SQLite or PostgreSQL) and the vector store.

Order of writes for each batch of changed articles, chosen so that a run killed at any point leaves
an index that answers and the next run converges:

1. embed the chunks whose vectors are not stored yet, and upsert them into Chroma (the same model pass
   gives each sentence's vector, see retrieval.sentence_vectors);
2. in one catalog transaction per article, replace its chunk records, keyword entries, sentence vectors
   and its hash;
3. delete the vectors of chunks that article no longer has.

The catalog is the source of truth: search ignores vectors it does not list. Every run first
reconciles the vector store with it: the counts are compared, and when they differ (or a flag in the
catalog says the last run died) the ids too; vectors the catalog does not know are deleted, and
chunks whose vectors were lost (a deleted Chroma folder, a server's lost volume) are re-embedded.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from retrieval.catalog import Catalog
from retrieval.chunking import Chunk, Chunker
from retrieval.documents import Article, SkippedFile
from retrieval.embeddings import Embedder
from retrieval.errors import ModelMismatch
from retrieval.index_lock import IndexLock
from retrieval.ingested import IngestedArticles, load_with_stored
from retrieval.sentence_vectors import StoredSentences, pack
from retrieval.sentences import split_sentences
from retrieval.store import VectorStore

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): 'articles' (articles of the corpus done: unchanged ones at once, the others
as soon as their chunks are embedded and recorded) or 'embedding' (chunks)."""
WATCHED_CALL_BATCHES = 2  # model batches per embedding call when someone watches the progress (else 8)

BATCH_CHUNKS = 256
IN_PROGRESS = "index_in_progress"


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_removed: int = 0
    chunks_restored: int = 0  # re-embedded because the vector store had lost them
    stray_vectors_removed: int = 0  # vectors of chunks the catalog does not list
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0
    finished_at: str = ""
    registry_error: str | None = None
    # the articles this run added or updated, as read (what the membership news detector reads next)
    changed: list[Article] = field(default_factory=list, repr=False)
    proposed: int = 0  # new members registry proposals read from them (retrieval/registry_proposals.py)
    auto_approved: int = 0  # of the news read from them, approved without an admin (auto-approval is on)

    def to_json(self) -> dict[str, object]:
        """The CLI's --json shape: counts plus the skipped files with reasons."""
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "deleted": len(self.deleted),
            "chunks_embedded": self.chunks_embedded,
            "chunks_reused": self.chunks_reused,
            "chunks_removed": self.chunks_removed,
            "chunks_restored": self.chunks_restored,
            "stray_vectors_removed": self.stray_vectors_removed,
            "skipped": [asdict(s) for s in self.skipped],
            "seconds": round(self.seconds, 3),
            "finished_at": self.finished_at,
            "registry_error": self.registry_error,
            "proposed": self.proposed,
            "auto_approved": self.auto_approved,
        }

    def summary(self) -> str:
        """One human line of counts."""
        line = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted; {self.chunks_embedded} chunks embedded; "
            f"{len(self.skipped)} files skipped ({self.seconds:.1f} s)"
        )
        if self.chunks_restored:
            line += f"; re-embedded {self.chunks_restored} chunks missing from the vector store"
        if self.stray_vectors_removed:
            line += f"; removed {self.stray_vectors_removed} vectors the catalog does not list"
        if self.registry_error:
            line += f"; members registry NOT reloaded: {self.registry_error}"
        if self.proposed:
            line += f"; {self.proposed} new members registry proposal{'s' if self.proposed != 1 else ''} to review"
        if self.auto_approved:
            line += f"; {self.auto_approved} approved into the members registry automatically"
        return line


class Indexer:
    """Brings the catalog and vector store in step with the corpus folder (and the stored ingested articles)."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        store: VectorStore,
        embedder: Embedder,
        chunker: Chunker,
        lock: IndexLock,
        ingested: IngestedArticles | None = None,
        embed_batch: int = 32,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.lock = lock
        self.ingested = ingested
        self.embed_batch = embed_batch

    def check_model(self) -> None:
        """Refuse an index built by another embedding model."""
        built_by = self.catalog.get_meta("embedding_model")
        if built_by and built_by != self.embedder.name:
            raise ModelMismatch(
                f"the index in {self.catalog.location} was built with embedding model {built_by!r}, but the "
                f"configured model is {self.embedder.name!r}; run `python -m retrieval index --full` to rebuild it "
                f"with the new model, or set EMBEDDING_MODEL={built_by}"
            )

    def run(
        self, corpus_dir: Path, *, full: bool = False, progress: Progress | None = None, who: str = ""
    ) -> IndexReport:
        """Index the corpus incrementally (or re-embed everything with full=True)."""
        with self.lock.hold(who) as run:
            report = self._run(Path(corpus_dir), full=full, progress=progress)
            run.summary = report.summary()
            return report

    def _run(self, corpus_dir: Path, *, full: bool, progress: Progress | None) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        # the articles already indexed keep their ids: a new file reusing one is the one refused
        established = {doc.doc_id: doc.path for doc in self.catalog.documents()}
        # with PostgreSQL, the articles ingested on any machine too (raises CorpusNotFound before anything changes)
        stored = self.ingested.stored() if self.ingested is not None else []
        loaded = load_with_stored(corpus_dir, established, stored)
        report.skipped = loaded.skipped

        built_by = self.catalog.get_meta("embedding_model")
        if built_by and built_by != self.embedder.name:
            if not full:
                self.check_model()
            log.warning("Rebuilding the index for model %s (was %s)", self.embedder.name, built_by)
            self.catalog.clear()
        self.catalog.set_meta("embedding_model", self.embedder.name)
        self.store.collection()  # fail early on an unreachable server or a foreign collection

        missing = self._reconcile(report, thorough=bool(self.catalog.get_meta(IN_PROGRESS)))
        self.catalog.set_meta(IN_PROGRESS, dt.datetime.now(dt.UTC).isoformat())
        # Unchanged articles whose vectors the store has lost are re-embedded (only those chunks).
        repair = {c.doc_id for c in self.catalog.get_chunks(sorted(missing)).values()} if missing else set()

        known = self.catalog.document_hashes()
        # An index made before sentence vectors existed gets them once, article by article.
        lacking = (
            self.catalog.documents_missing_sentence_vectors(self.embedder.name) if self._sentences else set()
        )
        if lacking:
            log.info("Adding sentence vectors to %d articles indexed without them (one time)", len(lacking))
        todo: list[Article] = []
        for article in loaded.articles:
            old = known.get(article.doc_id)
            if old is None:
                report.added.append(article.doc_id)
                report.changed.append(article)
                todo.append(article)
            elif old != article.content_hash or full or article.doc_id in lacking:
                report.updated.append(article.doc_id)
                report.changed.append(article)
                todo.append(article)
            else:
                report.unchanged.append(article.doc_id)
                if article.doc_id in repair:
                    todo.append(article)
        present = {a.doc_id for a in loaded.articles}
        report.deleted = sorted(set(known) - present)
        if report.deleted:
            removed = self.catalog.delete_documents(report.deleted)
            self.store.delete(removed)
            report.chunks_removed += len(removed)

        if progress:
            progress("articles", len(loaded.articles) - len(todo), len(loaded.articles))
        self._index_articles(
            todo, report, full=full, progress=progress, missing=missing, corpus_size=len(loaded.articles)
        )

        self.catalog.set_meta(IN_PROGRESS, None)
        report.seconds = time.perf_counter() - started
        report.finished_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.catalog.set_meta("last_index_at", report.finished_at)
        self.catalog.set_meta("last_index_report", json.dumps(report.to_json()))
        log.info("Indexed %s: %s", corpus_dir, report.summary())
        return report

    def _index_articles(
        self,
        articles: Sequence[Article],
        report: IndexReport,
        *,
        full: bool,
        progress: Progress | None,
        missing: set[str] | frozenset[str] = frozenset(),
        corpus_size: int = 0,
    ) -> None:
        """Embed the articles' new chunks, then record each article as soon as all its chunks have
        vectors (vectors first, then the catalog: a run killed at any point leaves an index that answers)."""
        batches: list[list[tuple[Article, list[Chunk]]]] = [[]]
        size = 0
        for article in articles:
            chunks = self.chunker.split(article)
            if size and size + len(chunks) > BATCH_CHUNKS:
                batches.append([])
                size = 0
            batches[-1].append((article, chunks))
            size += len(chunks)
        total_chunks = sum(len(c) for batch in batches for _, c in batch)
        done_chunks = 0
        total = corpus_size or len(articles)
        done_articles = total - len(articles)  # the unchanged ones
        # large calls (8 model batches): the embedder sorts them by length, so padding stays small;
        # smaller ones when someone watches, so the progress moves every few articles
        per_call = self.embed_batch * (WATCHED_CALL_BATCHES if progress else 8)
        for batch in batches:
            chunks = [c for _, cs in batch for c in cs]
            if not chunks and not batch:
                continue
            ids = [c.chunk_id for c in chunks]
            reusable = set() if full else self.store.existing(ids)
            if reusable and self._sentences:  # a chunk is complete with its sentence vectors
                reusable &= self.catalog.with_sentence_vectors(sorted(reusable), self.embedder.name)
            to_embed = [c for c in chunks if c.chunk_id not in reusable]
            sentences: dict[str, StoredSentences] = {}
            ready = set(reusable)  # chunk ids whose vectors are in the store
            waiting = list(batch)  # articles in order; chunks are embedded in the same order
            done_articles = self._record_ready(
                waiting, ready, sentences, report, done_articles, progress, total
            )
            for i in range(0, len(to_embed), per_call):
                part = to_embed[i : i + per_call]
                vectors = self._embed(part, sentences)
                self.store.upsert([c.chunk_id for c in part], vectors, [c.doc_id for c in part])
                ready.update(c.chunk_id for c in part)
                report.chunks_embedded += len(part)
                report.chunks_restored += sum(1 for c in part if c.chunk_id in missing)
                done_chunks += len(part)
                if progress:
                    progress("embedding", done_chunks, total_chunks)
                done_articles = self._record_ready(
                    waiting, ready, sentences, report, done_articles, progress, total
                )
            report.chunks_reused += len(chunks) - len(to_embed)
            done_chunks += len(chunks) - len(to_embed)
            done_articles = self._record_ready(
                waiting, ready, sentences, report, done_articles, progress, total
            )

    def _record_ready(
        self,
        waiting: list[tuple[Article, list[Chunk]]],
        ready: set[str],
        sentences: dict[str, StoredSentences],
        report: IndexReport,
        done: int,
        progress: Progress | None,
        total: int,
    ) -> int:
        """Record, in order, the waiting articles whose chunks all have vectors; returns articles done."""
        while waiting and all(c.chunk_id in ready for c in waiting[0][1]):
            article, article_chunks = waiting.pop(0)
            mine = {c.chunk_id: sentences[c.chunk_id] for c in article_chunks if c.chunk_id in sentences}
            stale = self.catalog.replace_document(article, article_chunks, mine)
            if stale:
                self.store.delete(stale)
                report.chunks_removed += len(stale)
            done += 1
            if progress:
                progress("articles", done, total)
        return done

    @property
    def _sentences(self) -> bool:
        """Whether the embedder gives sentence vectors from the chunk pass (both real backends do)."""
        return callable(getattr(self.embedder, "embed_with_sentences", None))

    def _embed(self, chunks: Sequence[Chunk], sentences: dict[str, StoredSentences]) -> list[list[float]]:
        """Chunk vectors; with a capable embedder, also each chunk's packed sentence vectors."""
        texts = [c.embed_text for c in chunks]
        if not self._sentences:
            return self.embedder.embed_documents(texts)
        splits = [split_sentences(c.text) for c in chunks]
        embedded = self.embedder.embed_with_sentences(texts, splits)  # type: ignore[attr-defined]
        for chunk, split, result in zip(chunks, splits, embedded, strict=True):
            sentences[chunk.chunk_id] = pack(
                self.embedder.name, split, result.sentences, self.embedder.dimension
            )
        return [result.vector for result in embedded]

    def _reconcile(self, report: IndexReport, *, thorough: bool) -> set[str]:
        """Bring the vector store in line with the catalog; return the chunk ids whose vectors are missing.

        Every run compares the two counts (cheap); only when they differ, or after an interrupted run,
        are the ids compared: vectors the catalog does not list are deleted, and chunks it lists
        without a vector (a lost Chroma folder or server volume) are returned to be re-embedded."""
        if not thorough and self.store.count() == self.catalog.counts()[1]:
            return set()
        stored, listed = self.store.all_ids(), self.catalog.all_chunk_ids()
        strays = sorted(stored - listed)
        if strays:
            log.warning("Removing %d vectors the catalog does not list", len(strays))
            self.store.delete(strays)
            report.stray_vectors_removed = len(strays)
        missing = listed - stored
        if missing:
            log.warning(
                "The vector store lacks %d of %d chunks; re-embedding them", len(missing), len(listed)
            )
        return missing
