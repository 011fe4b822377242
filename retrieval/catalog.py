"""The catalog: what is indexed, and keyword search over it; one interface, two stores.

`Catalog` is the interface the indexer, search and the answerers use; `open_catalog` picks the store
from the settings: the SQLite file in DATA_DIR (below, `SqliteCatalog`), or PostgreSQL when
DATABASE_URL is set (retrieval/postgres_catalog.py). Neither store's SQL leaves its own class.

The SQLite catalog holds each article's metadata and content hash (the record that makes indexing
incremental), each chunk's text and offsets, and an FTS5 inverted index over the chunks (BM25 ranking that never
scans every chunk). Every change to one article is one transaction, so the keyword side and the
record of hashes can never disagree; it is the source of truth for which chunks exist, and dense
results not present here are ignored. WAL mode lets several processes read while one writes.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.announcement_types import (
    ANNOUNCEMENT_COLUMNS,
    CANCELLED,
    DELIVERY_FIELDS,
    FAILED,
    SENT,
    WAITING,
    Delivery,
    NewAnnouncement,
    Watch,
    announcement_values,
    delivery_from_row,
    watch_from_row,
)
from retrieval.chunking import Chunk
from retrieval.documents import Article
from retrieval.proposal_types import (
    APPROVE,
    DECISION_FIELDS,
    NEW_PROPOSAL_COLUMNS,
    PENDING,
    REJECT,
    UNDO,
    Decision,
    NewProposal,
    Proposal,
    decision_from_row,
    new_proposal_values,
    proposal_from_row,
)
from retrieval.sentence_vectors import StoredSentences

if TYPE_CHECKING:
    from config.settings import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT NOT NULL,
    published TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL, sources TEXT NOT NULL,
    topics TEXT NOT NULL, n_chunks INTEGER NOT NULL, indexed_at TEXT NOT NULL DEFAULT (datetime('now')),
    kind TEXT NOT NULL DEFAULT '', summary_of TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, n INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    chunk_id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    chunk_id TEXT PRIMARY KEY, model TEXT NOT NULL, digest TEXT NOT NULL, vectors BLOB NOT NULL, scales BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""

# Registry proposals and the registry's history (retrieval/proposal_types.py); kept apart from the index's
# tables: a full rebuild of the index (clear) leaves them as they are.
_REGISTRY_SCHEMA = """
CREATE TABLE IF NOT EXISTS registry_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT, coalition TEXT NOT NULL, member TEXT NOT NULL, status TEXT NOT NULL,
    proposed_date TEXT NOT NULL, date TEXT NOT NULL, precision TEXT NOT NULL, action TEXT NOT NULL,
    sentence TEXT NOT NULL, article TEXT NOT NULL, sentence_id TEXT NOT NULL, conflict TEXT NOT NULL,
    registry_row TEXT NOT NULL, confidence REAL NOT NULL, ordinal INTEGER,
    state TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL, decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '', edited_by TEXT NOT NULL DEFAULT '', edited_at TEXT NOT NULL DEFAULT '',
    UNIQUE (coalition, member, status, proposed_date)
);
CREATE INDEX IF NOT EXISTS registry_proposals_state ON registry_proposals(state);
CREATE TABLE IF NOT EXISTS registry_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, proposal_id INTEGER NOT NULL REFERENCES registry_proposals(id),
    action TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, coalition TEXT NOT NULL, member TEXT NOT NULL,
    previous_row TEXT NOT NULL, new_row TEXT NOT NULL, previous_csv TEXT NOT NULL,
    undone_at TEXT NOT NULL DEFAULT '', undone_by TEXT NOT NULL DEFAULT '', undoes INTEGER
);
CREATE TABLE IF NOT EXISTS watches (
    channel_id INTEGER PRIMARY KEY, guild_id INTEGER NOT NULL, coalition TEXT NOT NULL, added_by TEXT NOT NULL,
    added_at TEXT NOT NULL, broken TEXT NOT NULL DEFAULT '', broken_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS announcements (
    id INTEGER PRIMARY KEY AUTOINCREMENT, decision_id INTEGER NOT NULL UNIQUE REFERENCES registry_history(id),
    event TEXT NOT NULL, coalition TEXT NOT NULL, member TEXT NOT NULL, text TEXT NOT NULL, title TEXT NOT NULL,
    outlet TEXT NOT NULL, published TEXT NOT NULL, url TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS announcement_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL, channel_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL, announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
    message_id INTEGER, not_before TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
    UNIQUE (event, channel_id)
);
CREATE INDEX IF NOT EXISTS announcement_deliveries_state ON announcement_deliveries(state);
"""

# a delivery with what to post: the outbox row's columns beside the delivery's (both stores)
DELIVERY_COLUMNS = ", ".join(
    f"a.{name}" if name in ANNOUNCEMENT_COLUMNS and name != "event" else f"d.{name}"
    for name in DELIVERY_FIELDS
)

# Words that carry no retrieval signal in a question.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    tell know please hey hi thanks thank anyone someone pls plz ya yeah u ur r does did whats what's
    bot guys actually exactly exact like lol anyway also just really ok okay quick question wondering
    supposed done happen happened happening going gonna wanna want wants need get got make made still yet ever
    even much many currently right now today anything something thing things stuff kind sort whats happening
    mean means meant say says said think thought one ones way lot bit
    """.split()
)
_TOKEN = re.compile(r"[\w]+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{2,}")


def surface_words(text: str) -> set[str]:
    """The distinct lower-case words of a text as written (no stemming): the spelling vocabulary."""
    return set(_WORD.findall(text.lower()))


def _word_counts(texts: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in texts:
        for word in surface_words(text):
            counts[word] = counts.get(word, 0) + 1
    return counts


def _add_words(raw: sqlite3.Connection, texts: Iterable[str], sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) these chunk texts' words from the word table, in the caller's transaction."""
    counts = _word_counts(texts)
    raw.executemany(
        "INSERT INTO words(word, df) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
        [(w, sign * n) for w, n in counts.items()],
    )
    if sign < 0:
        raw.execute("DELETE FROM words WHERE df <= 0")


# Postings a keyword query may touch: bounds BM25's work whatever the corpus size (see selective_terms).
KEYWORD_POSTINGS_BUDGET = 5000


# Abbreviations and everyday verbs mapped to the words the articles use.
NORMALISE = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "wrote": "drafted",
    "write": "drafted",
    "written": "drafted",
    "writes": "drafted",
    "fly": "launch",
    "flies": "launch",
    "flight": "launch",
    "head": "lead",
    "heads": "lead",
    "runs": "lead",
    "deal": "agreement",  # "the ilrs deals": the articles' agreements
    "deals": "agreements",
    "intl": "international",
    "govt": "government",
    "accs": "accords",
    "european": "europe",
    "african": "africa",
    "asian": "asia",
    "arab": "arab",
    "nordic": "nordic",
}
_CONTRACTIONS = frozenset({"ll", "ve", "re", "d", "s", "m", "t"})


def keyword_terms(text: str) -> list[str]:
    """Distinct lower-case content words of a question, in order (abbreviations spelled out)."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        token = NORMALISE.get(token, token)
        if token not in STOPWORDS and token not in _CONTRACTIONS and (len(token) > 1 or token.isdigit()):
            seen.setdefault(token, None)
    return list(seen)


@dataclass(frozen=True)
class StoredDocument:
    """An indexed article's record."""

    doc_id: str
    path: str
    content_hash: str
    title: str
    published: str
    outlet: str
    url: str
    sources: tuple[str, ...]
    topics: tuple[str, ...]
    n_chunks: int
    indexed_at: str
    kind: str = ""  # "" (a report as published) or "summary" (written from the report it cites)
    summary_of: str = ""

    @property
    def is_summary(self) -> bool:
        return self.kind == "summary"


class Catalog(ABC):
    """What is indexed (articles, chunks, sentence vectors, meta) and keyword search over the chunks.

    Every write of one article is one transaction; readers in other threads or processes see it at
    their next call. Implementations are safe to share between threads."""

    location: str  # where it lives, for messages (never a password)

    @abstractmethod
    def close(self) -> None:
        """Release this catalog's connections."""

    # -- meta
    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A stored setting such as the embedding model or the last index report."""

    @abstractmethod
    def set_meta(self, key: str, value: str | None) -> None:
        """Store (or, with None, forget) a setting."""

    # -- documents
    @abstractmethod
    def document_hashes(self) -> dict[str, str]:
        """doc_id -> content hash of every indexed article."""

    @abstractmethod
    def documents(self) -> list[StoredDocument]:
        """Every indexed article, newest first."""

    @abstractmethod
    def document(self, doc_id: str) -> StoredDocument | None:
        """One indexed article's record, or None."""

    @abstractmethod
    def chunk_ids_of(self, doc_id: str) -> list[str]:
        """The chunk ids of one article."""

    @abstractmethod
    def all_chunk_ids(self) -> set[str]:
        """Every chunk id the catalog lists."""

    @abstractmethod
    def keyword_index_ids(self) -> set[str]:
        """The chunk ids the keyword index holds (the same as all_chunk_ids in a consistent catalog)."""

    @abstractmethod
    def newest_published(self) -> str:
        """The newest article's date (ISO), '' when nothing is indexed."""

    @abstractmethod
    def counts(self) -> tuple[int, int]:
        """(articles, chunks)."""

    @abstractmethod
    def replace_document(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        sentences: Mapping[str, StoredSentences] | None = None,
    ) -> list[str]:
        """Atomically record an article, its chunks and any new sentence vectors; returns chunk ids it no
        longer has."""

    @abstractmethod
    def delete_documents(self, doc_ids: Iterable[str]) -> list[str]:
        """Atomically forget articles; returns the chunk ids they had."""

    @abstractmethod
    def clear(self) -> None:
        """Forget everything (used by a full rebuild)."""

    # -- reading chunks
    @abstractmethod
    def get_chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Chunks with their article metadata, for the ids that exist."""

    @abstractmethod
    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of one article in order."""

    @abstractmethod
    def sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> dict[str, StoredSentences]:
        """Stored sentence vectors of these chunks made by this model."""

    @abstractmethod
    def with_sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> set[str]:
        """Which of these chunks have sentence vectors by this model."""

    @abstractmethod
    def documents_missing_sentence_vectors(self, model: str) -> set[str]:
        """Articles with a chunk that has no sentence vectors by this model."""

    # -- keywords
    @abstractmethod
    def document_frequency(self, term: str) -> int:
        """In how many chunks a word occurs (after the same stemming as the keyword index)."""

    @abstractmethod
    def word_frequencies(self) -> dict[str, int]:
        """Every word of the indexed text as written, with the number of chunks it occurs in."""

    @abstractmethod
    def vocabulary(self) -> list[str]:
        """Every (stemmed) term of the keyword index."""

    @abstractmethod
    def keyword_search(self, question: str, limit: int = 30) -> list[tuple[str, float]]:
        """BM25 over the inverted index: (chunk_id, score) best first; score is higher-is-better."""

    # -- registry proposals: membership news the registry does not hold, and the decisions on them
    @abstractmethod
    def add_proposals(self, proposals: Sequence[NewProposal], at: str) -> list[Proposal]:
        """Store new proposals made at `at` (ISO time); one with the key of a stored proposal, in any state
        (pending, approved, rejected), is not stored again. Returns the ones stored."""

    @abstractmethod
    def proposals(self, state: str | None = PENDING) -> list[Proposal]:
        """Proposals in this state (every one for None), oldest first."""

    @abstractmethod
    def proposal(self, proposal_id: int) -> Proposal | None:
        """One proposal, or None."""

    @abstractmethod
    def edit_proposal_date(self, proposal_id: int, date: str, who: str, at: str) -> Proposal | None:
        """Change a pending proposal's date; None when it is not pending (or not known)."""

    @abstractmethod
    def decide_proposal(
        self,
        proposal_id: int,
        action: str,
        who: str,
        at: str,
        *,
        previous_row: str = "",
        new_row: str = "",
        previous_csv: str = "",
        announcement: NewAnnouncement | None = None,
    ) -> Decision | None:
        """Approve or reject a pending proposal and record the decision, atomically; None when it is no
        longer pending (another admin, or another process, decided first). An approval's `announcement`
        is stored in the same transaction, with a delivery for each watched channel that wants it and
        has not had that event yet."""

    @abstractmethod
    def undo_decision(self, decision_id: int, who: str, at: str) -> Decision | None:
        """Mark a decision undone, put its proposal back to pending, cancel its announcement's deliveries not
        sent yet and record the undo, atomically; None when it was undone already."""

    @abstractmethod
    def registry_history(self, limit: int = 20) -> list[Decision]:
        """The latest decisions and undos, newest first."""

    @abstractmethod
    def last_decision(self) -> Decision | None:
        """The newest approval or rejection not undone yet (what an undo undoes)."""

    # -- watched channels and the announcements outbox (retrieval/announcement_types.py)
    @abstractmethod
    def watch(self, channel_id: int, guild_id: int, coalition: str, who: str, at: str) -> Watch:
        """Subscribe a channel (or change its filter); a channel that had failed is tried again."""

    @abstractmethod
    def unwatch(self, channel_id: int, at: str) -> Watch | None:
        """Stop a channel's subscription and cancel what was waiting for it; None when it was not watched."""

    @abstractmethod
    def watches(self, guild_id: int | None = None) -> list[Watch]:
        """The watched channels (of one server), oldest first."""

    @abstractmethod
    def deliveries(self, state: str | None = WAITING, *, due: str | None = None) -> list[Delivery]:
        """Deliveries in this state (every one for None), oldest first; with `due` (ISO time) only those
        whose retry time has come."""

    @abstractmethod
    def claim_delivery(self, delivery_id: int, until: str, now: str) -> bool:
        """Take a waiting delivery for sending until `until` (another process leaves it alone); False when
        it is no longer waiting, or another process holds it."""

    @abstractmethod
    def delivery_sent(self, delivery_id: int, message_id: int, at: str) -> bool:
        """Record that Discord accepted the post; False when it was no longer waiting."""

    @abstractmethod
    def delivery_failed(
        self, delivery_id: int, error: str, at: str, *, retry_at: str | None, max_attempts: int
    ) -> str:
        """Record a failed attempt: tried again at `retry_at` (None: never, and the channel's watch is marked
        broken with the error) until `max_attempts`; returns the delivery's state after it."""

    def selective_terms(self, terms: Sequence[str], budget: int | None = None) -> list[str]:
        """The question's rarest words, up to a budget of postings (chunks containing them).

        BM25 has to score every chunk that contains any query word, so a word found in most chunks
        ("artemis" in a corpus about the Accords) makes a query cost grow with the corpus while adding
        almost nothing to the ranking (its IDF is near zero). The rarest word is always kept; the next
        rarest join while the postings stay within budget. A small corpus keeps every word."""
        budget = KEYWORD_POSTINGS_BUDGET if budget is None else budget
        frequencies = sorted((self.document_frequency(t), i, t) for i, t in enumerate(terms))
        kept: list[tuple[int, str]] = []
        total = 0
        for df, i, term in frequencies:
            if df == 0:
                continue  # matches nothing
            if kept and total + df > budget:
                break
            kept.append((i, term))
            total += df
        return [t for _, t in sorted(kept)]


def open_catalog(settings: Settings) -> Catalog:
    """The catalog the settings name: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR."""
    if settings.database_url is not None:
        from retrieval.postgres_catalog import PostgresCatalog

        return PostgresCatalog(
            settings.database_url.get_secret_value(), pool_size=settings.database_pool_size
        )
    return SqliteCatalog(Path(settings.data_dir) / "catalog.sqlite3")


class SqliteCatalog(Catalog):
    """SQLite catalog and keyword index; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path.parent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._conn().executescript(_SCHEMA)
        self._conn().executescript(_REGISTRY_SCHEMA)
        self._add_columns()

    def _add_columns(self) -> None:
        """Columns added after a catalog was first created (older catalogs get them, empty)."""
        conn = self._conn()
        have = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
        for column in ("kind", "summary_of"):
            if column not in have:
                conn.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.memo = None

    def _memo(self) -> dict[str, Any]:
        """This connection's memo of read-only answers (counts, word frequencies), dropped as soon as the
        database changes: PRAGMA data_version moves when another connection (or process) commits, and
        total_changes when this one writes."""
        conn = self._conn()
        stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        memo: dict[str, Any] | None = getattr(self._local, "memo", None)
        if memo is None or memo["stamp"] != stamp:
            memo = {"stamp": stamp, "df": {}}
            self._local.memo = memo
        return memo

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        conn = self._conn()
        if value is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- documents --------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        """doc_id -> content hash of every indexed article."""
        return {r[0]: r[1] for r in self._conn().execute("SELECT doc_id, content_hash FROM documents")}

    def documents(self) -> list[StoredDocument]:
        """Every indexed article, newest first."""
        rows = self._conn().execute("SELECT * FROM documents ORDER BY published DESC, title").fetchall()
        return [self._doc(r) for r in rows]

    def document(self, doc_id: str) -> StoredDocument | None:
        row = self._conn().execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else self._doc(row)

    @staticmethod
    def _doc(r: sqlite3.Row) -> StoredDocument:
        return StoredDocument(
            r["doc_id"],
            r["path"],
            r["content_hash"],
            r["title"],
            r["published"],
            r["outlet"],
            r["url"],
            tuple(json.loads(r["sources"])),
            tuple(json.loads(r["topics"])),
            r["n_chunks"],
            r["indexed_at"],
            r["kind"],
            r["summary_of"],
        )

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._conn().execute("SELECT chunk_id FROM chunks")}

    def keyword_index_ids(self) -> set[str]:
        return {r[0] for r in self._conn().execute("SELECT chunk_id FROM chunks_fts")}

    def newest_published(self) -> str:
        """The newest article's date (ISO), '' when nothing is indexed."""
        memo = self._memo()
        if "newest" not in memo:
            row = self._conn().execute("SELECT max(published) FROM documents").fetchone()
            memo["newest"] = str(row[0] or "")
        newest: str = memo["newest"]
        return newest

    def counts(self) -> tuple[int, int]:
        """(articles, chunks)."""
        memo = self._memo()
        if "counts" not in memo:
            conn = self._conn()
            memo["counts"] = (
                conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                conn.execute("SELECT count(*) FROM chunks").fetchone()[0],
            )
        counts: tuple[int, int] = memo["counts"]
        return counts

    def replace_document(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        sentences: Mapping[str, StoredSentences] | None = None,
    ) -> list[str]:
        """Atomically record an article, its chunks and any new sentence vectors (by chunk id; chunks it
        keeps keep theirs); returns chunk ids it no longer has."""
        with self._transaction() as raw:
            old = {
                r[0] for r in raw.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (article.doc_id,))
            }
            gone = sorted(old - {c.chunk_id for c in chunks})
            raw.executemany("DELETE FROM sentence_vectors WHERE chunk_id = ?", [(cid,) for cid in gone])
            raw.executemany(
                "INSERT OR REPLACE INTO sentence_vectors(chunk_id, model, digest, vectors, scales) VALUES (?, ?, ?, ?, ?)",
                [(cid, s.model, s.digest, s.vectors, s.scales) for cid, s in (sentences or {}).items()],
            )
            raw.execute(
                "DELETE FROM chunks_fts WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)",
                (article.doc_id,),
            )
            _add_words(
                raw,
                [r[0] for r in raw.execute("SELECT text FROM chunks WHERE doc_id = ?", (article.doc_id,))],
                -1,
            )
            raw.execute("DELETE FROM chunks WHERE doc_id = ?", (article.doc_id,))
            _add_words(raw, [c.text for c in chunks], 1)
            raw.executemany(
                'INSERT INTO chunks(chunk_id, doc_id, n, text, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                [(c.chunk_id, c.doc_id, c.n, c.text, c.start, c.end) for c in chunks],
            )
            raw.executemany(
                "INSERT INTO chunks_fts(chunk_id, title, text) VALUES (?, ?, ?)",
                [(c.chunk_id, c.title, c.text) for c in chunks],
            )
            raw.execute(
                "INSERT INTO documents(doc_id, path, content_hash, title, published, outlet, url, sources, topics, "
                "n_chunks, indexed_at, kind, summary_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, datetime('now'), ?, ?) "
                "ON CONFLICT(doc_id) DO UPDATE SET path = excluded.path, content_hash = excluded.content_hash, "
                "title = excluded.title, published = excluded.published, outlet = excluded.outlet, "
                "url = excluded.url, sources = excluded.sources, topics = excluded.topics, "
                "n_chunks = excluded.n_chunks, indexed_at = excluded.indexed_at, kind = excluded.kind, "
                "summary_of = excluded.summary_of",
                (
                    article.doc_id,
                    article.path,
                    article.content_hash,
                    article.title,
                    article.published,
                    article.outlet,
                    article.url,
                    json.dumps(list(article.sources)),
                    json.dumps(list(article.topics)),
                    len(chunks),
                    article.kind,
                    article.summary_of,
                ),
            )
        return gone

    def delete_documents(self, doc_ids: Iterable[str]) -> list[str]:
        """Atomically forget articles; returns the chunk ids they had."""
        ids = list(doc_ids)
        removed: list[str] = []
        with self._transaction() as raw:
            for doc_id in ids:
                removed += [
                    r[0] for r in raw.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
                ]
                raw.execute(
                    "DELETE FROM sentence_vectors WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)",
                    (doc_id,),
                )
                raw.execute(
                    "DELETE FROM chunks_fts WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)",
                    (doc_id,),
                )
                _add_words(
                    raw,
                    [r[0] for r in raw.execute("SELECT text FROM chunks WHERE doc_id = ?", (doc_id,))],
                    -1,
                )
                raw.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
                raw.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return removed

    def clear(self) -> None:
        """Forget everything (used by a full rebuild)."""
        with self._transaction() as raw:
            raw.execute("DELETE FROM chunks_fts")
            raw.execute("DELETE FROM words")
            raw.execute("DELETE FROM sentence_vectors")
            raw.execute("DELETE FROM chunks")
            raw.execute("DELETE FROM documents")

    # -- reading chunks ---------------------------------------------------------------------
    def get_chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Chunks with their article metadata, for the ids that exist."""
        if not chunk_ids:
            return {}
        out: dict[str, Chunk] = {}
        conn = self._conn()
        for start in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = conn.execute(
                f'SELECT c.chunk_id, c.doc_id, c.n, c.text, c.start, c."end", d.title, d.published, d.outlet, d.url '
                f"FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE c.chunk_id IN ({marks})",
                part,
            ).fetchall()
            for r in rows:
                out[r[0]] = Chunk(*r)
        return out

    def sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> dict[str, StoredSentences]:
        """Stored sentence vectors of these chunks made by this model."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = (
            self._conn()
            .execute(
                f"SELECT chunk_id, model, digest, vectors, scales FROM sentence_vectors "
                f"WHERE chunk_id IN ({marks}) AND model = ?",
                [*chunk_ids, model],
            )
            .fetchall()
        )
        return {r[0]: StoredSentences(r[1], r[2], r[3], r[4]) for r in rows}

    def with_sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> set[str]:
        """Which of these chunks have sentence vectors by this model."""
        found: set[str] = set()
        conn = self._conn()
        for start in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[start : start + 500])
            marks = ",".join("?" * len(part))
            found |= {
                r[0]
                for r in conn.execute(
                    f"SELECT chunk_id FROM sentence_vectors WHERE chunk_id IN ({marks}) AND model = ?",
                    [*part, model],
                )
            }
        return found

    def documents_missing_sentence_vectors(self, model: str) -> set[str]:
        """Articles with a chunk that has no sentence vectors by this model (an index from before they existed)."""
        return {
            r[0]
            for r in self._conn().execute(
                "SELECT DISTINCT c.doc_id FROM chunks c LEFT JOIN sentence_vectors s "
                "ON s.chunk_id = c.chunk_id AND s.model = ? WHERE s.chunk_id IS NULL",
                (model,),
            )
        }

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """All chunks of one article in order."""
        rows = (
            self._conn()
            .execute(
                'SELECT c.chunk_id, c.doc_id, c.n, c.text, c.start, c."end", d.title, d.published, d.outlet, d.url '
                "FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE c.doc_id = ? ORDER BY c.n",
                (doc_id,),
            )
            .fetchall()
        )
        return [Chunk(*r) for r in rows]

    def document_frequency(self, term: str) -> int:
        """In how many chunks a word occurs (after the same stemming as the keyword index)."""
        term = term.replace('"', "")
        if not term:
            return 0
        known: dict[str, int] = self._memo()["df"]
        if term not in known:
            if len(known) > 50_000:
                known.clear()
            row = (
                self._conn()
                .execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{term}"',))
                .fetchone()
            )
            known[term] = int(row[0])
        return known[term]

    def word_frequencies(self) -> dict[str, int]:
        """Every word of the indexed text as written, with the number of chunks it occurs in.

        Kept up to date by every write; a catalog made before the table existed fills it once here."""
        memo = self._memo()
        if "words" not in memo:
            conn = self._conn()
            words = {str(r[0]): int(r[1]) for r in conn.execute("SELECT word, df FROM words")}
            if not words and self.counts()[1]:
                with self._transaction() as raw:
                    if raw.execute("SELECT count(*) FROM words").fetchone()[0] == 0:
                        _add_words(raw, (r[0] for r in raw.execute("SELECT text FROM chunks")), 1)
                words = {str(r[0]): int(r[1]) for r in conn.execute("SELECT word, df FROM words")}
                memo = self._memo()
            memo["words"] = words
        frequencies: dict[str, int] = memo["words"]
        return frequencies

    def vocabulary(self) -> list[str]:
        """Every (stemmed) term of the keyword index."""
        return [r[0] for r in self._conn().execute("SELECT term FROM chunks_vocab")]

    def keyword_search(self, question: str, limit: int = 30) -> list[tuple[str, float]]:
        """BM25 over the inverted index: (chunk_id, score) best first; score is higher-is-better."""
        terms = self.selective_terms(keyword_terms(question))
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        rows = (
            self._conn()
            .execute(
                "SELECT chunk_id, bm25(chunks_fts, 0.0, 0.5, 1.0) AS score FROM chunks_fts "
                "WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?",
                (match, limit),
            )
            .fetchall()
        )
        return [(r[0], -float(r[1])) for r in rows]

    # -- registry proposals -----------------------------------------------------------------
    def add_proposals(self, proposals: Sequence[NewProposal], at: str) -> list[Proposal]:
        columns = ", ".join(NEW_PROPOSAL_COLUMNS)
        marks = ", ".join("?" * len(NEW_PROPOSAL_COLUMNS))
        added: list[Proposal] = []
        with self._transaction() as raw:
            for proposal in proposals:
                row = raw.execute(
                    f"INSERT INTO registry_proposals({columns}) VALUES ({marks}) "
                    "ON CONFLICT(coalition, member, status, proposed_date) DO NOTHING RETURNING *",
                    new_proposal_values(proposal, at),
                ).fetchall()
                added += [proposal_from_row(r) for r in row]
        return added

    def proposals(self, state: str | None = PENDING) -> list[Proposal]:
        conn = self._conn()
        if state is None:
            rows = conn.execute("SELECT * FROM registry_proposals ORDER BY id").fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM registry_proposals WHERE state = ? ORDER BY id", (state,)
            ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def proposal(self, proposal_id: int) -> Proposal | None:
        row = self._conn().execute("SELECT * FROM registry_proposals WHERE id = ?", (proposal_id,)).fetchone()
        return None if row is None else proposal_from_row(row)

    def edit_proposal_date(self, proposal_id: int, date: str, who: str, at: str) -> Proposal | None:
        row = (
            self._conn()
            .execute(
                "UPDATE registry_proposals SET date = ?, edited_by = ?, edited_at = ? "
                "WHERE id = ? AND state = ? RETURNING *",
                (date, who, at, proposal_id, PENDING),
            )
            .fetchall()
        )
        return proposal_from_row(row[0]) if row else None

    def decide_proposal(
        self,
        proposal_id: int,
        action: str,
        who: str,
        at: str,
        *,
        previous_row: str = "",
        new_row: str = "",
        previous_csv: str = "",
        announcement: NewAnnouncement | None = None,
    ) -> Decision | None:
        if action not in (APPROVE, REJECT):
            raise ValueError(f"a proposal is approved or rejected, not {action!r}")
        state = "approved" if action == APPROVE else "rejected"
        with self._transaction() as raw:
            decided = raw.execute(
                "UPDATE registry_proposals SET state = ?, decided_by = ?, decided_at = ? "
                "WHERE id = ? AND state = ? RETURNING coalition, member",
                (state, who, at, proposal_id, PENDING),
            ).fetchall()
            if not decided:
                return None
            row = raw.execute(
                "INSERT INTO registry_history(proposal_id, action, who, at, coalition, member, previous_row, "
                "new_row, previous_csv) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
                + ", ".join(DECISION_FIELDS),
                (
                    proposal_id,
                    action,
                    who,
                    at,
                    decided[0][0],
                    decided[0][1],
                    previous_row,
                    new_row,
                    previous_csv,
                ),
            ).fetchall()[0]
            if announcement is not None and action == APPROVE:
                self._announce(raw, row["id"], announcement, at)
        return decision_from_row(row)

    @staticmethod
    def _announce(raw: sqlite3.Connection, decision_id: int, announcement: NewAnnouncement, at: str) -> None:
        """The outbox row and one delivery per watched channel that wants it (in the caller's transaction);
        a channel that was sent this event already keeps it, one whose delivery was cancelled gets it again."""
        columns = ", ".join(ANNOUNCEMENT_COLUMNS)
        marks = ", ".join("?" * len(ANNOUNCEMENT_COLUMNS))
        announcement_id = raw.execute(
            f"INSERT INTO announcements(decision_id, {columns}, created_at) VALUES (?, {marks}, ?) RETURNING id",
            (decision_id, *announcement_values(announcement), at),
        ).fetchone()[0]
        raw.execute(
            "INSERT INTO announcement_deliveries(event, channel_id, guild_id, announcement_id, updated_at) "
            "SELECT ?, channel_id, guild_id, ?, ? FROM watches WHERE broken = '' AND coalition IN ('both', ?) "
            "ORDER BY channel_id ON CONFLICT(event, channel_id) DO UPDATE SET "
            "announcement_id = excluded.announcement_id, guild_id = excluded.guild_id, state = ?, attempts = 0, "
            "error = '', not_before = '', message_id = NULL, updated_at = excluded.updated_at "
            "WHERE announcement_deliveries.state IN (?, ?)",
            (announcement.event, announcement_id, at, announcement.coalition, WAITING, CANCELLED, FAILED),
        )

    def undo_decision(self, decision_id: int, who: str, at: str) -> Decision | None:
        with self._transaction() as raw:
            undone = raw.execute(
                "UPDATE registry_history SET undone_at = ?, undone_by = ? "
                "WHERE id = ? AND undone_at = '' AND action IN (?, ?) RETURNING *",
                (at, who, decision_id, APPROVE, REJECT),
            ).fetchall()
            if not undone:
                return None
            undone = undone[0]
            raw.execute(
                "UPDATE registry_proposals SET state = ?, decided_by = '', decided_at = '' WHERE id = ?",
                (PENDING, undone["proposal_id"]),
            )
            raw.execute(
                "UPDATE announcement_deliveries SET state = ?, error = 'the approval was undone', updated_at = ? "
                "WHERE state = ? AND announcement_id IN (SELECT id FROM announcements WHERE decision_id = ?)",
                (CANCELLED, at, WAITING, decision_id),
            )
            row = raw.execute(
                "INSERT INTO registry_history(proposal_id, action, who, at, coalition, member, previous_row, "
                "new_row, previous_csv, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?) RETURNING "
                + ", ".join(DECISION_FIELDS),
                (
                    undone["proposal_id"],
                    UNDO,
                    who,
                    at,
                    undone["coalition"],
                    undone["member"],
                    undone["new_row"],
                    undone["previous_row"],
                    decision_id,
                ),
            ).fetchall()[0]
        return decision_from_row(row)

    def registry_history(self, limit: int = 20) -> list[Decision]:
        rows = (
            self._conn()
            .execute("SELECT * FROM registry_history ORDER BY id DESC LIMIT ?", (limit,))
            .fetchall()
        )
        return [decision_from_row(r) for r in rows]

    def last_decision(self) -> Decision | None:
        row = (
            self._conn()
            .execute(
                "SELECT * FROM registry_history WHERE action IN (?, ?) AND undone_at = '' ORDER BY id DESC LIMIT 1",
                (APPROVE, REJECT),
            )
            .fetchone()
        )
        return None if row is None else decision_from_row(row)

    # -- watched channels and the announcements outbox --------------------------------------
    def watch(self, channel_id: int, guild_id: int, coalition: str, who: str, at: str) -> Watch:
        row = (
            self._conn()
            .execute(
                "INSERT INTO watches(channel_id, guild_id, coalition, added_by, added_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(channel_id) DO UPDATE SET guild_id = excluded.guild_id, coalition = excluded.coalition, "
                "added_by = excluded.added_by, added_at = excluded.added_at, broken = '', broken_at = '' RETURNING *",
                (channel_id, guild_id, coalition, who, at),
            )
            .fetchall()[0]
        )
        return watch_from_row(row)

    def unwatch(self, channel_id: int, at: str) -> Watch | None:
        with self._transaction() as raw:
            rows = raw.execute(
                "DELETE FROM watches WHERE channel_id = ? RETURNING *", (channel_id,)
            ).fetchall()
            if not rows:
                return None
            raw.execute(
                "UPDATE announcement_deliveries SET state = ?, error = 'the channel is no longer watched', "
                "updated_at = ? WHERE channel_id = ? AND state = ?",
                (CANCELLED, at, channel_id, WAITING),
            )
        return watch_from_row(rows[0])

    def watches(self, guild_id: int | None = None) -> list[Watch]:
        conn = self._conn()
        if guild_id is None:
            rows = conn.execute("SELECT * FROM watches ORDER BY added_at, channel_id").fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM watches WHERE guild_id = ? ORDER BY added_at, channel_id", (guild_id,)
            ).fetchall()
        return [watch_from_row(r) for r in rows]

    def deliveries(self, state: str | None = WAITING, *, due: str | None = None) -> list[Delivery]:
        where, params = [], []
        if state is not None:
            where.append("d.state = ?")
            params.append(state)
        if due is not None:
            where.append("d.not_before <= ?")
            params.append(due)
        rows = (
            self._conn()
            .execute(
                f"SELECT {DELIVERY_COLUMNS} FROM announcement_deliveries d JOIN announcements a "
                f"ON a.id = d.announcement_id {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY d.id",
                params,
            )
            .fetchall()
        )
        return [delivery_from_row(r) for r in rows]

    def claim_delivery(self, delivery_id: int, until: str, now: str) -> bool:
        cursor = self._conn().execute(
            "UPDATE announcement_deliveries SET not_before = ? WHERE id = ? AND state = ? AND not_before <= ?",
            (until, delivery_id, WAITING, now),
        )
        return cursor.rowcount == 1

    def delivery_sent(self, delivery_id: int, message_id: int, at: str) -> bool:
        cursor = self._conn().execute(
            "UPDATE announcement_deliveries SET state = ?, message_id = ?, error = '', updated_at = ? "
            "WHERE id = ? AND state != ?",
            (SENT, message_id, at, delivery_id, SENT),
        )
        return cursor.rowcount == 1

    def delivery_failed(
        self, delivery_id: int, error: str, at: str, *, retry_at: str | None, max_attempts: int
    ) -> str:
        with self._transaction() as raw:
            rows = raw.execute(
                "UPDATE announcement_deliveries SET attempts = attempts + 1, error = ?, updated_at = ?, "
                "not_before = ?, state = CASE WHEN ? OR attempts + 1 >= ? THEN ? ELSE state END "
                "WHERE id = ? AND state = ? RETURNING state, channel_id",
                (error, at, retry_at or "", retry_at is None, max_attempts, FAILED, delivery_id, WAITING),
            ).fetchall()
            if not rows:
                return self._delivery_state(raw, delivery_id)
            if retry_at is None:
                channel_id = rows[0]["channel_id"]
                raw.execute(
                    "UPDATE watches SET broken = ?, broken_at = ? WHERE channel_id = ?",
                    (error, at, channel_id),
                )
                raw.execute(
                    "UPDATE announcement_deliveries SET state = ?, error = ?, updated_at = ? "
                    "WHERE channel_id = ? AND state = ?",
                    (FAILED, error, at, channel_id, WAITING),
                )
        return str(rows[0]["state"])

    @staticmethod
    def _delivery_state(raw: sqlite3.Connection, delivery_id: int) -> str:
        row = raw.execute("SELECT state FROM announcement_deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return str(row[0]) if row else ""
