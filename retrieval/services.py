"""Builds the retrieval services from settings: one place that wires embedder, stores and search.

The CLI, the offline terminal session and the Discord bot all start here, so they behave the same.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from config.settings import Settings
from retrieval.announcements import AUTO_APPROVE_KEY, auto_approvable, parse_threshold
from retrieval.answer_types import Answer
from retrieval.catalog import open_catalog
from retrieval.chunking import Chunker
from retrieval.documents import Article
from retrieval.embeddings import (
    FAKE_EMBEDDER,
    Embedder,
    FakeEmbedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
)
from retrieval.errors import BadInput, IndexBusy, RegistryError, RetrievalError, SearchUnavailable
from retrieval.index_lock import FileIndexLock, IndexLock, IndexRun
from retrieval.indexer import Indexer, IndexReport, Progress
from retrieval.ingest import IngestError, IngestResult
from retrieval.ingested import FolderArticles, IngestedArticles, stored_path
from retrieval.member_names import NameFinder
from retrieval.members_registry import RegistryHolder
from retrieval.membership_news import MembershipNews
from retrieval.offline_answerer import OfflineAnswerer
from retrieval.proposal_types import APPROVED, PENDING, Proposal
from retrieval.registry_editor import RegistryEditor, utc_now
from retrieval.registry_proposals import proposals_from_articles
from retrieval.search import Searcher
from retrieval.store import VectorStore

if TYPE_CHECKING:
    from retrieval.postgres_pool import DatabasePool

log = logging.getLogger(__name__)


@dataclass
class IndexStats:
    """What is indexed, for `stats` and `/status`."""

    articles: int
    chunks: int
    model: str
    data_dir: str
    vector_store: str
    last_index_at: str | None
    vectors: int | None = None  # None: the vector store cannot be reached
    reindexing: str | None = None  # who holds the reindex lock now, and since when
    runs: list[IndexRun] = field(default_factory=list)  # the latest reindexes, newest first

    def to_json(self) -> dict[str, object]:
        return {
            **self.__dict__,
            "runs": [run.to_json() for run in self.runs],
            "vectors_problem": self.vectors_problem,
        }

    @property
    def vectors_problem(self) -> str | None:
        """How the vector store disagrees with the catalog and what fixes it; None when they agree."""
        if self.vectors is None:
            return "the vector store cannot be reached right now; questions wait until it is back"
        if self.vectors < self.chunks:
            return (
                f"the vector store holds {self.vectors} vectors for {self.chunks} indexed chunks; "
                "a reindex re-embeds the missing ones"
            )
        if self.vectors > self.chunks:
            return (
                f"the vector store holds {self.vectors} vectors for {self.chunks} indexed chunks; "
                "a reindex removes the ones the catalog does not list"
            )
        return None


class Answerer(Protocol):
    """Anything that turns a question into an Answer."""

    name: str

    def answer(self, question: str, *, context: str | None = None, mode: str | None = None) -> Answer: ...


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedder; 'fake-hash-embedder' is the model-free one used by tests."""
    if settings.embedding_model == FAKE_EMBEDDER:
        return FakeEmbedder()
    if settings.embedding_backend in ("onnx", "onnx-int8"):
        return OnnxEmbedder(
            settings.embedding_model,
            cache_dir=settings.model_cache_dir or Path(settings.data_dir) / "models",
            batch_size=settings.embedding_batch_size,
            quantize=settings.embedding_backend == "onnx-int8",
        )
    return SentenceTransformerEmbedder(
        settings.embedding_model, batch_size=settings.embedding_batch_size, backend=settings.embedding_backend
    )


class Services:
    """The long-lived retrieval objects for one process."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder: Embedder = embedder or make_embedder(settings)
        data_dir = Path(settings.data_dir)
        self.catalog = open_catalog(settings)
        # the reindex lock and its history (and, with PostgreSQL, the ingested articles) beside the catalog
        self.database: DatabasePool | None = None
        lock: IndexLock
        if settings.database_url is not None:
            from retrieval.postgres_index_lock import PostgresIndexLock
            from retrieval.postgres_ingested import PostgresIngestedArticles
            from retrieval.postgres_pool import DatabasePool

            self.database = DatabasePool(
                settings.database_url.get_secret_value(), name="state", max_size=2, min_size=0
            )
            lock = PostgresIndexLock(self.database)
            self.ingested: IngestedArticles = PostgresIngestedArticles(self.database, settings.corpus_dir)
        else:
            lock = FileIndexLock(data_dir / "index.lock")
            self.ingested = FolderArticles(settings.corpus_dir)
        self.store = VectorStore(
            self.embedder.name,
            self.embedder.dimension,
            path=None if settings.chroma_host else data_dir / "chroma",
            host=settings.chroma_host,
            port=settings.chroma_port,
            prefix=settings.chroma_collection_prefix,
        )
        self.chunker = Chunker(
            settings.chunk_tokens, settings.chunk_overlap_tokens, self.embedder.count_tokens
        )
        self.indexer = Indexer(
            catalog=self.catalog,
            store=self.store,
            embedder=self.embedder,
            chunker=self.chunker,
            lock=lock,
            ingested=self.ingested,
            embed_batch=settings.embedding_batch_size,
        )
        self.registry = RegistryHolder(settings.registry_path)
        self.registry_editor = RegistryEditor(
            self.catalog,
            self.registry,
            lambda: set(self.catalog.document_hashes()),
            lock_path=data_dir / "registry.lock",
        )
        self.searcher = Searcher(
            catalog=self.catalog,
            store=self.store,
            embedder=self.embedder,
            k=settings.retrieval_k,
            per_article=settings.max_passages_per_article,
            mode=settings.retrieval_mode,
        )
        self.offline_answerer = OfflineAnswerer(self.searcher, self.catalog, self.registry)
        self._name_finder: tuple[object, object, NameFinder] | None = None
        self.answerer: Answerer = self.offline_answerer
        if settings.answerer == "llm":
            from retrieval.llm_answerer import LLMAnswerer

            self.answerer = LLMAnswerer.from_settings(settings, self.searcher, self.offline_answerer)

    def close(self) -> None:
        """Release the catalog's and the other stores' connections."""
        self.catalog.close()
        if self.database is not None:
            self.database.close()

    def reindex(
        self,
        *,
        full: bool = False,
        progress: Progress | None = None,
        who: str = "",
        corpus_dir: Path | None = None,
    ) -> IndexReport:
        """Bring the index in step with the corpus folder, then reload the members registry.

        The registry is validated against the indexed articles; if it is invalid the previous
        registry stays in use and the report says why.
        """
        report = self.indexer.run(
            corpus_dir or self.settings.corpus_dir, full=full, progress=progress, who=who
        )
        if Path(self.settings.registry_path).exists():
            try:
                self.registry.reload(set(self.catalog.document_hashes()))
            except RegistryError as exc:
                report.registry_error = str(exc)
            proposals = self.propose(report.changed)
            report.proposed = sum(p.state == PENDING for p in proposals)
            report.auto_approved = sum(p.state == APPROVED for p in proposals)
            if report.registry_error or report.proposed or report.auto_approved:
                self.catalog.set_meta("last_index_report", json.dumps(report.to_json()))
        return report

    def propose(self, articles: Sequence[Article]) -> list[Proposal]:
        """Read newly indexed or updated articles for membership news and store what the members registry
        does not hold as proposals for an admin (the same event is never proposed twice, a rejected one
        never again). Nothing is proposed without a registry to compare with. With auto-approval on, the
        proposals it allows are approved at once; the proposals are returned as they are after that."""
        if not articles:
            return []
        try:
            detector = self.membership_news()
        except RegistryError as exc:
            log.warning("No registry proposals read: the members registry is unavailable (%s)", exc)
            return []
        added = self.catalog.add_proposals(proposals_from_articles(detector, articles), utc_now())
        for proposal in added:
            log.info(
                "Registry proposal #%d: %s %s %s %s (article %s)",
                proposal.id,
                proposal.member,
                proposal.coalition,
                proposal.status,
                proposal.date or "undated",
                proposal.article,
            )
        if self._auto_approve(added):
            return [self.catalog.proposal(p.id) or p for p in added]  # as they are now: some approved
        return added

    def auto_approve_threshold(self) -> float | None:
        """The confidence from which new proposals are approved without an admin (None: off, the default)."""
        return parse_threshold(self.catalog.get_meta(AUTO_APPROVE_KEY))

    def set_auto_approve_threshold(self, threshold: float | None) -> float | None:
        """Turn auto-approval on from a confidence (0 < threshold <= 1) or off (None or 0); returns the setting."""
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise BadInput(f"the auto-approval threshold is a confidence from 0 to 1, not {threshold}")
        on = threshold if threshold else None
        self.catalog.set_meta(AUTO_APPROVE_KEY, None if on is None else f"{on:.2f}")
        log.info("Auto-approval of registry proposals %s", f"from confidence {on:.2f}" if on else "off")
        return self.auto_approve_threshold()

    def _auto_approve(self, proposals: Sequence[Proposal]) -> int:
        """Approve the new proposals auto-approval allows (retrieval/announcements.py); one the registry
        refuses stays pending for an admin. Returns how many were approved."""
        threshold = self.auto_approve_threshold()
        approved = 0
        for proposal in proposals:
            if not auto_approvable(proposal, threshold):
                continue
            who = f"auto-approval (confidence {proposal.confidence:.2f} >= {threshold:.2f})"
            try:
                self.registry_editor.approve(proposal.id, who)
            except RetrievalError as exc:
                log.warning("Registry proposal #%d left for an admin: %s", proposal.id, exc)
                continue
            approved += 1
        return approved

    def ingest(
        self,
        *,
        url: str | None = None,
        data: bytes | None = None,
        filename: str = "",
        source_url: str = "",
        published: str = "",
        who: str = "",
    ) -> IngestResult:
        """Fetch (or take) an article, save it into the corpus as Markdown (with PostgreSQL, into the
        database too, so every machine's reindex keeps it) and index it incrementally.

        The date is the article's own; `published` gives one for a file or page that has none (or
        corrects it)."""
        path, saved, updated = self._save_article(
            url=url, data=data, filename=filename, source_url=source_url, published=published
        )
        try:
            report = self.reindex(who=who or "ingest")
        except IndexBusy:
            # another process's reindex (another machine's, with PostgreSQL) holds the lock: the admin is
            # told it was not ingested, so the next reindex must not add it behind their back. (An update
            # of an article ingested before stays saved: the next reindex brings the newer text.)
            if not updated:
                self.ingested.forget(saved.doc_id, path.name)
            raise
        refused = [
            s
            for s in report.skipped
            if s.path == stored_path(path.name) or os.path.realpath(s.path) == os.path.realpath(path)
        ]
        if refused:  # saved but not indexable after all: do not leave it for every index to skip
            if not updated:
                self.ingested.forget(saved.doc_id, path.name)
            raise IngestError(refused[0].error)
        return IngestResult(
            saved.doc_id,
            saved.title,
            saved.published,
            saved.outlet,
            saved.url,
            path,
            len(self.catalog.chunk_ids_of(saved.doc_id)),
            updated,
            tuple(report.skipped),
            report.proposed,
            report.auto_approved,
        )

    def refresh(self, urls: list[str], who: str = "scheduled refresh") -> tuple[IndexReport, dict[str, str]]:
        """Re-fetch pages, then one incremental reindex (unchanged pages embed nothing); errors per URL."""
        errors: dict[str, str] = {}
        for url in urls:
            try:
                self._save_article(url=url)
            except RetrievalError as exc:
                errors[url] = str(exc)
        return self.reindex(who=who), errors

    def _save_article(
        self,
        *,
        url: str | None = None,
        data: bytes | None = None,
        filename: str = "",
        source_url: str = "",
        published: str = "",
    ) -> tuple[Path, Article, bool]:
        from retrieval import ingest

        if url:
            fetched = ingest.fetch(
                url,
                max_bytes=self.settings.ingest_max_bytes,
                timeout=self.settings.ingest_timeout_seconds,
                allowed_networks=self.settings.ingest_allowed_networks,
            )
            name = Path(urlsplit(fetched.url).path).name or "page.html"
            article = ingest.to_article(fetched.body, fetched.kind, fetched.url, name)
            key = url
        else:
            if data is None:
                raise ingest.IngestError("give a link or a file")
            kind = ingest.FILE_TYPES.get(Path(filename).suffix.lower())
            if kind is None:
                raise ingest.IngestError(
                    f"unsupported file type {Path(filename).suffix or '(none)'!r}; "
                    "use .md, .txt, .html or .pdf"
                )
            if len(data) > self.settings.ingest_max_bytes:
                raise ingest.IngestError(
                    f"the file is over the {self.settings.ingest_max_bytes / 1e6:.0f} MB limit"
                )
            article = ingest.to_article(data, kind, source_url, filename)
            key = f"file:{filename}"
        if published:
            article = ingest.with_date(article, published)
        return ingest.save(article, self.ingested, key, taken=self._path_of)

    def _path_of(self, doc_id: str) -> str | None:
        """The file an indexed article was read from, if one is indexed under this id."""
        stored = self.catalog.document(doc_id)
        return stored.path if stored else None

    def name_finder(self) -> NameFinder:
        """Members and countries by any name people type (for /member and its autocomplete)."""
        registry = self.registry.get()
        phrases = self.offline_answerer.reading.reader(registry).names.phrases
        cached = self._name_finder
        if cached is None or cached[0] is not registry or cached[1] is not phrases:
            cached = (registry, phrases, NameFinder(registry, phrases))
            self._name_finder = cached
        return cached[2]

    def membership_news(self) -> MembershipNews:
        """The membership-news detector, reading names as the answerer does (same reader, same registry)."""
        registry = self.registry.get()
        return MembershipNews(self.offline_answerer.reading.reader(registry), registry)

    def check_ready(self) -> None:
        """Fail now (model mismatch, unreachable store) rather than on the first question."""
        self.indexer.check_model()
        self.store.collection()

    def stats(self) -> IndexStats:
        """Counts of what is indexed, and whether the vector store agrees with the catalog."""
        articles, chunks = self.catalog.counts()
        try:
            vectors: int | None = self.store.count()
        except SearchUnavailable:
            vectors = None
        return IndexStats(
            articles=articles,
            chunks=chunks,
            model=self.embedder.name,
            data_dir=str(self.settings.data_dir),
            vector_store=self.store.location,
            last_index_at=self.catalog.get_meta("last_index_at"),
            vectors=vectors,
            reindexing=self.indexer.lock.holder(),
            runs=self.indexer.lock.history(limit=5),
        )
