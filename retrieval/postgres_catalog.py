"""The catalog in PostgreSQL (DATABASE_URL): the same records and keyword search as the SQLite file.

Several bot processes and the indexer, on one machine or many, share one database through a
connection pool each. The schema is created and migrated at start (retrieval/postgres_schema.py).

Keyword search reproduces the SQLite catalog's FTS5 ranking so that hybrid retrieval gives the same
passages on either store: the same tokens (runs of letters and digits, lower case, accents removed,
cut here in Python rather than by PostgreSQL's parser), the same Porter stemmer (PostgreSQL's snowball
'porter', not its 'english' Porter2; no stop words; words under 3 or over 64 characters kept as they
are, as FTS5 does), and the same BM25 (k1 1.2, b 0.75, the title's words at half weight). Each
chunk's stemmed words are a tsvector (title positions weighted B, text A) under a GIN index, which
finds the chunks containing a query's words; only those chunks are scored, and `selective_terms`
keeps their number within the postings budget, so no query reads every chunk.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from config.settings import postgres_location
from retrieval.announcement_types import (
    ANNOUNCEMENT_COLUMNS,
    CANCELLED,
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
from retrieval.catalog import DELIVERY_COLUMNS, Catalog, StoredDocument, keyword_terms, surface_words
from retrieval.chunking import Chunk
from retrieval.documents import Article
from retrieval.postgres_pool import DatabasePool
from retrieval.postgres_schema import Migration, migrate
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

log = logging.getLogger(__name__)

COMPONENT = "catalog"
STEMMER = "coalition_porter"

MIGRATIONS = [
    Migration(
        1,
        "articles, chunks, sentence vectors, words and meta",
        """
        CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE documents (
            doc_id text PRIMARY KEY, path text NOT NULL, content_hash text NOT NULL, title text NOT NULL,
            published text NOT NULL, outlet text NOT NULL, url text NOT NULL, sources text NOT NULL,
            topics text NOT NULL, n_chunks integer NOT NULL, indexed_at text NOT NULL,
            kind text NOT NULL DEFAULT '', summary_of text NOT NULL DEFAULT ''
        );
        CREATE TABLE chunks (
            chunk_id text PRIMARY KEY, doc_id text NOT NULL, n integer NOT NULL, text text NOT NULL,
            "start" integer NOT NULL, "end" integer NOT NULL
        );
        CREATE INDEX chunks_doc ON chunks(doc_id);
        CREATE TABLE sentence_vectors (
            chunk_id text PRIMARY KEY, model text NOT NULL, digest text NOT NULL, vectors bytea NOT NULL,
            scales bytea NOT NULL
        );
        CREATE TABLE words (word text PRIMARY KEY, df integer NOT NULL);
        -- one row: bumped by every write, so a reader knows its memo is stale; totals for BM25
        CREATE TABLE catalog_state (
            single boolean PRIMARY KEY DEFAULT true CHECK (single), generation bigint NOT NULL,
            tokens bigint NOT NULL
        );
        INSERT INTO catalog_state(generation, tokens) VALUES (0, 0);
        """,
    ),
    Migration(
        2,
        "full-text search: Porter-stemmed tsvector per chunk under a GIN index",
        f"""
        CREATE TEXT SEARCH DICTIONARY {STEMMER} (TEMPLATE = snowball, LANGUAGE = porter);
        ALTER TABLE chunks ADD COLUMN terms tsvector NOT NULL DEFAULT ''::tsvector,
            ADD COLUMN n_tokens integer NOT NULL DEFAULT 0;
        CREATE INDEX chunks_terms ON chunks USING gin (terms);
        """,
    ),
]

# The registry's proposals and history: a component of its own, so its tables migrate apart from the index's.
REGISTRY_COMPONENT = "registry"
REGISTRY_MIGRATIONS = [
    Migration(
        1,
        "registry proposals read from the articles, and the history of decisions on them",
        """
        CREATE TABLE registry_proposals (
            id bigserial PRIMARY KEY, coalition text NOT NULL, member text NOT NULL, status text NOT NULL,
            proposed_date text NOT NULL, date text NOT NULL, precision text NOT NULL, action text NOT NULL,
            sentence text NOT NULL, article text NOT NULL, sentence_id text NOT NULL, conflict text NOT NULL,
            registry_row text NOT NULL, confidence double precision NOT NULL, ordinal integer,
            state text NOT NULL DEFAULT 'pending', created_at text NOT NULL, decided_by text NOT NULL DEFAULT '',
            decided_at text NOT NULL DEFAULT '', edited_by text NOT NULL DEFAULT '',
            edited_at text NOT NULL DEFAULT '',
            UNIQUE (coalition, member, status, proposed_date)
        );
        CREATE INDEX registry_proposals_state ON registry_proposals(state);
        CREATE TABLE registry_history (
            id bigserial PRIMARY KEY, proposal_id bigint NOT NULL REFERENCES registry_proposals(id),
            action text NOT NULL, who text NOT NULL, at text NOT NULL, coalition text NOT NULL,
            member text NOT NULL, previous_row text NOT NULL, new_row text NOT NULL, previous_csv text NOT NULL,
            undone_at text NOT NULL DEFAULT '', undone_by text NOT NULL DEFAULT '', undoes bigint
        );
        """,
    ),
    Migration(
        2,
        "watched channels, and the announcements outbox with one delivery per event and channel",
        """
        CREATE TABLE watches (
            channel_id bigint PRIMARY KEY, guild_id bigint NOT NULL, coalition text NOT NULL,
            added_by text NOT NULL, added_at text NOT NULL, broken text NOT NULL DEFAULT '',
            broken_at text NOT NULL DEFAULT ''
        );
        CREATE TABLE announcements (
            id bigserial PRIMARY KEY, decision_id bigint NOT NULL UNIQUE REFERENCES registry_history(id),
            event text NOT NULL, coalition text NOT NULL, member text NOT NULL, text text NOT NULL,
            title text NOT NULL, outlet text NOT NULL, published text NOT NULL, url text NOT NULL,
            created_at text NOT NULL
        );
        CREATE TABLE announcement_deliveries (
            id bigserial PRIMARY KEY, event text NOT NULL, channel_id bigint NOT NULL, guild_id bigint NOT NULL,
            announcement_id bigint NOT NULL REFERENCES announcements(id), state text NOT NULL DEFAULT 'pending',
            attempts integer NOT NULL DEFAULT 0, error text NOT NULL DEFAULT '', message_id bigint,
            not_before text NOT NULL DEFAULT '', updated_at text NOT NULL,
            UNIQUE (event, channel_id)
        );
        CREATE INDEX announcement_deliveries_state ON announcement_deliveries(state);
        """,
    ),
]

# FTS5's bm25() constants, and the weights the SQLite catalog gives a chunk's title and text
K1, B = 1.2, 0.75
TITLE_WEIGHT = 0.5
# FTS5's porter tokenizer stems only words of 3 to 64 bytes
STEMMED_BYTES = range(3, 65)
MAX_POSITION = 16383  # tsvector positions stop there
MAX_LEXEME_BYTES = 2047  # a longer word cannot be in a tsvector (no question can ask for it either)

_CHUNK_COLUMNS = (
    'c.chunk_id, c.doc_id, c.n, c.text, c."start", c."end", d.title, d.published, d.outlet, d.url'
)


def index_tokens(text: str) -> list[str]:
    """The words the keyword index sees, as FTS5's unicode61 tokenizer with remove_diacritics cuts them:
    runs of letters and digits, lower case, accents removed."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    tokens: list[str] = []
    word: list[str] = []
    for ch in plain:
        if ch.isalnum():
            word.append(ch)
        elif word:
            tokens.append("".join(word))
            word = []
    if word:
        tokens.append("".join(word))
    return tokens


def _idf(n_rows: int, df: int) -> float:
    """FTS5's IDF: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6 for words in most chunks."""
    value = math.log((n_rows - df + 0.5) / (df + 0.5))
    return value if value > 0 else 1e-6


def _single(conn: psycopg.Connection[Any], sql: str, params: Sequence[Any] = ()) -> Any:
    """The one value of a query that always returns one row (a count, a max, an aggregate)."""
    row = conn.execute(sql, params).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql!r}")
    return row[0]


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _stemmed(word: str) -> bool:
    return len(word.encode()) in STEMMED_BYTES


def _indexable(lexeme: str) -> bool:
    return len(lexeme.encode()) <= MAX_LEXEME_BYTES


def _measure(stem: str) -> int:
    """Porter's m: how many vowel-consonant sequences a stem has (y after a consonant is a vowel)."""
    kinds: list[str] = []
    for ch in stem:
        vowel = ch in "aeiou" or (ch == "y" and bool(kinds) and kinds[-1] == "C")
        kinds.append("V" if vowel else "C")
    return "".join(kinds).count("VC")


def _reference_step2(stem: str) -> str:
    """Porter's C code (which FTS5 follows) also ends -logi as -log and -bli as -ble where m > 0; the
    published algorithm (snowball's 'porter') does not. The result is stemmed again, as the rest of
    the C code's steps would treat it."""
    if stem.endswith("logi") and _measure(stem[:-4]) > 0:
        return stem[:-1]
    if stem.endswith("bli") and _measure(stem[:-3]) > 0:
        return stem[:-1] + "e"
    return stem


def _tsvector(title: Sequence[str], text: Sequence[str], stems: Mapping[str, str]) -> str:
    """A chunk's tsvector as text: each stemmed word with its positions, the title's weighted B, the text's A."""
    positions: dict[str, list[str]] = {}
    for offset, (words, weight) in enumerate(((title, "B"), (text, "A"))):
        start = len(title) if offset else 0
        for i, word in enumerate(words, start=start + 1):
            if _indexable(stems[word]):  # the word still counts in the chunk's length, as in FTS5
                positions.setdefault(stems[word], []).append(f"{min(i, MAX_POSITION)}{weight}")
    return " ".join(f"{_quote_lexeme(lexeme)}:{','.join(p)}" for lexeme, p in positions.items())


class PostgresCatalog(Catalog):
    """The catalog and keyword index in PostgreSQL, through a connection pool; safe to share between threads."""

    def __init__(self, url: str, *, pool_size: int = 5, connect_timeout: float = 10) -> None:
        self.location = postgres_location(url)
        # migrate on a connection of its own: a refused or unreachable database fails here, plainly
        with psycopg.connect(url, autocommit=True, connect_timeout=int(connect_timeout)) as conn:
            migrate(conn, COMPONENT, MIGRATIONS, self.location)
            migrate(conn, REGISTRY_COMPONENT, REGISTRY_MIGRATIONS, self.location)
        # a lost server is DatabaseUnavailable ('try again shortly'), and the pool recovers by itself
        self._pool = DatabasePool(url, name="catalog", max_size=pool_size)
        self._memo_lock = threading.Lock()
        self._memo_data: dict[str, Any] = {"stamp": None}
        self._stems: dict[str, str] = {}

    def close(self) -> None:
        self._pool.close()

    def _memo(self) -> dict[str, Any]:
        """Read-only answers (counts, word frequencies) kept until any process writes: every write bumps
        catalog_state.generation in its own transaction."""
        with self._pool.connection() as conn:
            row = conn.execute("SELECT generation, tokens FROM catalog_state").fetchone()
        if row is None:
            raise RuntimeError("the catalog_state row is missing")
        generation, tokens = row
        with self._memo_lock:
            if self._memo_data["stamp"] != generation:
                self._memo_data = {"stamp": generation, "tokens": int(tokens), "df": {}}
            return self._memo_data

    @staticmethod
    def _bump(conn: psycopg.Connection[Any], tokens: int = 0) -> None:
        """Mark a write (first in its transaction: the row lock also puts writers in turn)."""
        conn.execute("UPDATE catalog_state SET generation = generation + 1, tokens = tokens + %s", (tokens,))

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        with self._pool.connection() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = %s", (key,))
            else:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # -- documents --------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        with self._pool.connection() as conn:
            return {r[0]: r[1] for r in conn.execute("SELECT doc_id, content_hash FROM documents")}

    def documents(self) -> list[StoredDocument]:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(
                'SELECT * FROM documents ORDER BY published COLLATE "C" DESC, title COLLATE "C"'
            ).fetchall()
        return [self._doc(r) for r in rows]

    def document(self, doc_id: str) -> StoredDocument | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute("SELECT * FROM documents WHERE doc_id = %s", (doc_id,)).fetchone()
        return None if row is None else self._doc(row)

    @staticmethod
    def _doc(r: Mapping[str, Any]) -> StoredDocument:
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
        with self._pool.connection() as conn:
            return [
                r[0]
                for r in conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = %s ORDER BY n", (doc_id,))
            ]

    def all_chunk_ids(self) -> set[str]:
        with self._pool.connection() as conn:
            return {r[0] for r in conn.execute("SELECT chunk_id FROM chunks")}

    def keyword_index_ids(self) -> set[str]:
        """Chunks whose words are in the keyword index (a chunk without a word has nothing to index)."""
        with self._pool.connection() as conn:
            return {
                r[0]
                for r in conn.execute(
                    "SELECT chunk_id FROM chunks WHERE terms <> ''::tsvector OR n_tokens = 0"
                )
            }

    def newest_published(self) -> str:
        memo = self._memo()
        if "newest" not in memo:
            with self._pool.connection() as conn:
                newest_row = _single(conn, 'SELECT max(published COLLATE "C") FROM documents')
            memo["newest"] = str(newest_row or "")
        newest: str = memo["newest"]
        return newest

    def counts(self) -> tuple[int, int]:
        memo = self._memo()
        if "counts" not in memo:
            with self._pool.connection() as conn:
                memo["counts"] = (
                    _single(conn, "SELECT count(*) FROM documents"),
                    _single(conn, "SELECT count(*) FROM chunks"),
                )
        counts: tuple[int, int] = memo["counts"]
        return counts

    @staticmethod
    def _add_words(conn: psycopg.Connection[Any], texts: Iterable[str], sign: int) -> None:
        """Add (sign=1) or remove (sign=-1) these chunk texts' words, in the caller's transaction."""
        counts: dict[str, int] = {}
        for text in texts:
            for word in surface_words(text):
                counts[word] = counts.get(word, 0) + 1
        if not counts:
            return
        words = sorted(counts)  # one order for every writer: no deadlock between two
        conn.execute(
            "INSERT INTO words(word, df) SELECT * FROM unnest(%s::text[], %s::int[]) "
            "ON CONFLICT (word) DO UPDATE SET df = words.df + excluded.df",
            (words, [sign * counts[w] for w in words]),
        )
        if sign < 0:
            conn.execute("DELETE FROM words WHERE word = ANY(%s) AND df <= 0", (words,))

    def _remove_chunks_of(self, conn: psycopg.Connection[Any], doc_id: str) -> list[str]:
        """Delete one article's chunks, their words and sentence vectors; returns their ids."""
        rows = conn.execute(
            "DELETE FROM chunks WHERE doc_id = %s RETURNING chunk_id, text, n_tokens", (doc_id,)
        ).fetchall()
        if rows:
            self._add_words(conn, [r[1] for r in rows], -1)
            conn.execute("UPDATE catalog_state SET tokens = tokens - %s", (sum(r[2] for r in rows),))
        return [r[0] for r in rows]

    def replace_document(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        sentences: Mapping[str, StoredSentences] | None = None,
    ) -> list[str]:
        tokens = [(index_tokens(c.title), index_tokens(c.text)) for c in chunks]
        with self._pool.connection() as conn, conn.transaction():
            self._bump(conn, sum(len(title) + len(text) for title, text in tokens))
            stems = self._stem(conn, {w for title, text in tokens for w in (*title, *text)})
            old = self._remove_chunks_of(conn, article.doc_id)
            gone = sorted(set(old) - {c.chunk_id for c in chunks})
            if gone:
                conn.execute("DELETE FROM sentence_vectors WHERE chunk_id = ANY(%s)", (gone,))
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO sentence_vectors(chunk_id, model, digest, vectors, scales) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (chunk_id) DO UPDATE SET model = excluded.model, "
                    "digest = excluded.digest, vectors = excluded.vectors, scales = excluded.scales",
                    [(cid, s.model, s.digest, s.vectors, s.scales) for cid, s in (sentences or {}).items()],
                )
                self._add_words(conn, [c.text for c in chunks], 1)
                cur.executemany(
                    'INSERT INTO chunks(chunk_id, doc_id, n, text, "start", "end", terms, n_tokens) '
                    "VALUES (%s, %s, %s, %s, %s, %s, %s::tsvector, %s)",
                    [
                        (
                            c.chunk_id,
                            c.doc_id,
                            c.n,
                            c.text,
                            c.start,
                            c.end,
                            _tsvector(title, text, stems),
                            len(title) + len(text),
                        )
                        for c, (title, text) in zip(chunks, tokens, strict=True)
                    ],
                )
            conn.execute(
                "INSERT INTO documents(doc_id, path, content_hash, title, published, outlet, url, sources, "
                "topics, n_chunks, indexed_at, kind, summary_of) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (doc_id) DO UPDATE SET path = excluded.path, content_hash = excluded.content_hash, "
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
                    dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),  # as SQLite's datetime('now')
                    article.kind,
                    article.summary_of,
                ),
            )
        return gone

    def delete_documents(self, doc_ids: Iterable[str]) -> list[str]:
        ids = list(doc_ids)
        removed: list[str] = []
        with self._pool.connection() as conn, conn.transaction():
            self._bump(conn)
            for doc_id in ids:
                gone = self._remove_chunks_of(conn, doc_id)
                if gone:
                    conn.execute("DELETE FROM sentence_vectors WHERE chunk_id = ANY(%s)", (gone,))
                conn.execute("DELETE FROM documents WHERE doc_id = %s", (doc_id,))
                removed += gone
        return removed

    def clear(self) -> None:
        with self._pool.connection() as conn, conn.transaction():
            self._bump(conn)
            conn.execute("TRUNCATE words, sentence_vectors, chunks, documents")
            conn.execute("UPDATE catalog_state SET tokens = 0")

    # -- reading chunks ---------------------------------------------------------------------
    def get_chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        if not chunk_ids:
            return {}
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
                "WHERE c.chunk_id = ANY(%s)",
                (list(chunk_ids),),
            ).fetchall()
        return {r[0]: Chunk(*r) for r in rows}

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
                "WHERE c.doc_id = %s ORDER BY c.n",
                (doc_id,),
            ).fetchall()
        return [Chunk(*r) for r in rows]

    def sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> dict[str, StoredSentences]:
        if not chunk_ids:
            return {}
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT chunk_id, model, digest, vectors, scales FROM sentence_vectors "
                "WHERE chunk_id = ANY(%s) AND model = %s",
                (list(chunk_ids), model),
            ).fetchall()
        return {r[0]: StoredSentences(r[1], r[2], bytes(r[3]), bytes(r[4])) for r in rows}

    def with_sentence_vectors(self, chunk_ids: Sequence[str], model: str) -> set[str]:
        if not chunk_ids:
            return set()
        with self._pool.connection() as conn:
            return {
                r[0]
                for r in conn.execute(
                    "SELECT chunk_id FROM sentence_vectors WHERE chunk_id = ANY(%s) AND model = %s",
                    (list(chunk_ids), model),
                )
            }

    def documents_missing_sentence_vectors(self, model: str) -> set[str]:
        with self._pool.connection() as conn:
            return {
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT c.doc_id FROM chunks c LEFT JOIN sentence_vectors s "
                    "ON s.chunk_id = c.chunk_id AND s.model = %s WHERE s.chunk_id IS NULL",
                    (model,),
                )
            }

    # -- keywords ---------------------------------------------------------------------------
    def _stem(self, conn: psycopg.Connection[Any], words: Iterable[str]) -> dict[str, str]:
        """Each word as the index holds it: Porter-stemmed by the database's snowball dictionary when
        FTS5 would stem it, as it is otherwise."""
        wanted = set(words)
        unknown = sorted(w for w in wanted if w not in self._stems and _stemmed(w))
        if unknown:
            stems = self._lexize(conn, unknown)
            # the two places where FTS5 follows Porter's C code rather than his paper (snowball's 'porter')
            redo = {w: _reference_step2(stem) for w, stem in stems.items()}
            redo = {w: again for w, again in redo.items() if again != stems[w]}
            if redo:
                again = self._lexize(conn, sorted(set(redo.values())))
                stems.update({w: again[fixed] for w, fixed in redo.items()})
            if len(self._stems) > 200_000:
                self._stems.clear()
            self._stems.update(stems)
        return {w: self._stems.get(w, w) for w in wanted}

    @staticmethod
    def _lexize(conn: psycopg.Connection[Any], words: Sequence[str]) -> dict[str, str]:
        rows = conn.execute(
            f"SELECT w, (ts_lexize('{STEMMER}', w))[1] FROM unnest(%s::text[]) AS w", (list(words),)
        ).fetchall()
        return {str(w): str(stem or w) for w, stem in rows}

    def _term_query(self, term: str) -> tuple[str, tuple[str, ...]]:
        """A query word as a tsquery and its stemmed words; ('', ()) for none. A word that splits into
        several ('lunar_station') is a phrase, as in FTS5."""
        tokens = index_tokens(term)
        if not tokens or not all(_indexable(t) for t in tokens):
            return "", ()
        if any(t not in self._stems and _stemmed(t) for t in tokens):
            with self._pool.connection() as conn:
                self._stem(conn, tokens)
        lexemes = tuple(self._stems.get(t, t) for t in tokens)
        return " <-> ".join(_quote_lexeme(x) for x in lexemes), lexemes

    def document_frequency(self, term: str) -> int:
        term = term.replace('"', "")
        if not term:
            return 0
        known: dict[str, int] = self._memo()["df"]
        if term not in known:
            query, _ = self._term_query(term)
            if not query:
                return 0
            if len(known) > 50_000:
                known.clear()
            with self._pool.connection() as conn:
                known[term] = int(
                    _single(conn, "SELECT count(*) FROM chunks WHERE terms @@ %s::tsquery", (query,))
                )
        return known[term]

    def word_frequencies(self) -> dict[str, int]:
        memo = self._memo()
        if "words" not in memo:
            with self._pool.connection() as conn:
                memo["words"] = {str(r[0]): int(r[1]) for r in conn.execute("SELECT word, df FROM words")}
        frequencies: dict[str, int] = memo["words"]
        return frequencies

    def vocabulary(self) -> list[str]:
        """Every (stemmed) term of the keyword index (reads every chunk's terms: for tools, not questions)."""
        with self._pool.connection() as conn:
            return [r[0] for r in conn.execute("SELECT word FROM ts_stat('SELECT terms FROM chunks')")]

    def keyword_search(self, question: str, limit: int = 30) -> list[tuple[str, float]]:
        """BM25 as FTS5 computes it: for each query word w found in chunk D,
        idf(w) * f(w, D) * (k1 + 1) / (f(w, D) + k1 * (1 - b + b * |D| / avgdl)), summed, where f counts a
        title occurrence as 0.5 and |D| is the chunk's words, title included."""
        terms = self.selective_terms(keyword_terms(question))
        if not terms:
            return []
        memo = self._memo()
        n_rows = self.counts()[1]
        avgdl = memo["tokens"] / n_rows if n_rows else 1.0
        term_nos: list[int] = []
        lexemes: list[str] = []
        idfs: list[float] = []
        queries: list[str] = []
        for no, term in enumerate(terms):
            query, words = self._term_query(term.replace('"', ""))
            idf = _idf(n_rows, self.document_frequency(term))
            queries.append(f"({query})")
            for word in words:
                term_nos.append(no)
                lexemes.append(word)
                idfs.append(idf)
        # Per candidate chunk: each query word's weighted count from the tsvector's positions (a phrase
        # counts as its least frequent word), then the BM25 sum; only chunks the GIN index matched.
        # Only the query's own lexemes are unnested (setweight marks them D, ts_filter keeps them: both
        # in C), and the title's (weight B) for the half weight: unnesting the whole tsvector of every
        # candidate made this query 2-3 times slower (bench/postgres.py).
        sql = f"""
            WITH q(term, lexeme, idf) AS (SELECT * FROM unnest(%(terms)s::int[], %(lexemes)s::text[],
                                                               %(idfs)s::float8[])),
                 size(term, words) AS (SELECT term, count(*) FROM q GROUP BY term)
            SELECT c.chunk_id, (
                SELECT sum(f.idf * f.tf * {K1 + 1} / (f.tf + {K1} * ({1 - B} + {B} * c.n_tokens / %(avgdl)s)))
                FROM (
                    SELECT q.term, min(q.idf) AS idf, min(m.tf) AS tf, count(*) AS words
                    FROM unnest(ts_filter(setweight(c.terms, 'D', %(lexemes)s::text[]), '{{d}}')) e
                    JOIN q ON q.lexeme = e.lexeme
                    CROSS JOIN LATERAL (
                        SELECT cardinality(e.positions) - {1 - TITLE_WEIGHT} * coalesce((
                            SELECT cardinality(t.positions) FROM unnest(ts_filter(c.terms, '{{b}}')) t
                            WHERE t.lexeme = e.lexeme), 0) AS tf
                    ) m
                    GROUP BY q.term
                ) f JOIN size s ON s.term = f.term AND s.words = f.words
            ) AS score
            FROM chunks c
            WHERE c.terms @@ %(query)s::tsquery
            ORDER BY score DESC, c.chunk_id
            LIMIT %(limit)s
        """
        params = {
            "terms": term_nos,
            "lexemes": lexemes,
            "idfs": idfs,
            "avgdl": float(avgdl),
            "query": " | ".join(queries),
            "limit": limit,
        }
        with self._pool.connection() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [(r[0], float(r[1] or 0.0)) for r in rows]

    # -- registry proposals -----------------------------------------------------------------
    def add_proposals(self, proposals: Sequence[NewProposal], at: str) -> list[Proposal]:
        columns = ", ".join(NEW_PROPOSAL_COLUMNS)
        marks = ", ".join(["%s"] * len(NEW_PROPOSAL_COLUMNS))
        added: list[Proposal] = []
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            for proposal in proposals:
                row = cur.execute(
                    f"INSERT INTO registry_proposals({columns}) VALUES ({marks}) "
                    "ON CONFLICT (coalition, member, status, proposed_date) DO NOTHING RETURNING *",
                    new_proposal_values(proposal, at),
                ).fetchone()
                if row is not None:
                    added.append(proposal_from_row(row))
        return added

    def proposals(self, state: str | None = PENDING) -> list[Proposal]:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            if state is None:
                rows = cur.execute("SELECT * FROM registry_proposals ORDER BY id").fetchall()
            else:
                rows = cur.execute(
                    "SELECT * FROM registry_proposals WHERE state = %s ORDER BY id", (state,)
                ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def proposal(self, proposal_id: int) -> Proposal | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute("SELECT * FROM registry_proposals WHERE id = %s", (proposal_id,)).fetchone()
        return None if row is None else proposal_from_row(row)

    def edit_proposal_date(self, proposal_id: int, date: str, who: str, at: str) -> Proposal | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "UPDATE registry_proposals SET date = %s, edited_by = %s, edited_at = %s "
                "WHERE id = %s AND state = %s RETURNING *",
                (date, who, at, proposal_id, PENDING),
            ).fetchone()
        return None if row is None else proposal_from_row(row)

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
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            decided = cur.execute(
                "UPDATE registry_proposals SET state = %s, decided_by = %s, decided_at = %s "
                "WHERE id = %s AND state = %s RETURNING coalition, member",
                (state, who, at, proposal_id, PENDING),
            ).fetchone()
            if decided is None:
                return None
            row = cur.execute(
                "INSERT INTO registry_history(proposal_id, action, who, at, coalition, member, previous_row, "
                "new_row, previous_csv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "
                + ", ".join(DECISION_FIELDS),
                (
                    proposal_id,
                    action,
                    who,
                    at,
                    decided["coalition"],
                    decided["member"],
                    previous_row,
                    new_row,
                    previous_csv,
                ),
            ).fetchone()
            if row is None:
                raise RuntimeError("the decision was not recorded")
            if announcement is not None and action == APPROVE:
                self._announce(cur, row["id"], announcement, at)
        return decision_from_row(row)

    @staticmethod
    def _announce(cur: psycopg.Cursor[Any], decision_id: int, announcement: NewAnnouncement, at: str) -> None:
        """The outbox row and one delivery per watched channel that wants it (in the caller's transaction);
        a channel that was sent this event already keeps it, one whose delivery was cancelled gets it again."""
        columns = ", ".join(ANNOUNCEMENT_COLUMNS)
        marks = ", ".join(["%s"] * len(ANNOUNCEMENT_COLUMNS))
        created = cur.execute(
            f"INSERT INTO announcements(decision_id, {columns}, created_at) VALUES (%s, {marks}, %s) RETURNING id",
            (decision_id, *announcement_values(announcement), at),
        ).fetchone()
        if created is None:
            raise RuntimeError("the announcement was not recorded")
        cur.execute(
            "INSERT INTO announcement_deliveries(event, channel_id, guild_id, announcement_id, updated_at) "
            "SELECT %s, channel_id, guild_id, %s, %s FROM watches WHERE broken = '' AND coalition IN ('both', %s) "
            "ORDER BY channel_id ON CONFLICT (event, channel_id) DO UPDATE SET "
            "announcement_id = excluded.announcement_id, guild_id = excluded.guild_id, state = %s, attempts = 0, "
            "error = '', not_before = '', message_id = NULL, updated_at = excluded.updated_at "
            "WHERE announcement_deliveries.state IN (%s, %s)",
            (announcement.event, created["id"], at, announcement.coalition, WAITING, CANCELLED, FAILED),
        )

    def undo_decision(self, decision_id: int, who: str, at: str) -> Decision | None:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            undone = cur.execute(
                "UPDATE registry_history SET undone_at = %s, undone_by = %s "
                "WHERE id = %s AND undone_at = '' AND action IN (%s, %s) RETURNING *",
                (at, who, decision_id, APPROVE, REJECT),
            ).fetchone()
            if undone is None:
                return None
            cur.execute(
                "UPDATE registry_proposals SET state = %s, decided_by = '', decided_at = '' WHERE id = %s",
                (PENDING, undone["proposal_id"]),
            )
            cur.execute(
                "UPDATE announcement_deliveries SET state = %s, error = 'the approval was undone', updated_at = %s "
                "WHERE state = %s AND announcement_id IN (SELECT id FROM announcements WHERE decision_id = %s)",
                (CANCELLED, at, WAITING, decision_id),
            )
            row = cur.execute(
                "INSERT INTO registry_history(proposal_id, action, who, at, coalition, member, previous_row, "
                "new_row, previous_csv, undoes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', %s) RETURNING "
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
            ).fetchone()
        if row is None:
            raise RuntimeError("the undo was not recorded")
        return decision_from_row(row)

    def registry_history(self, limit: int = 20) -> list[Decision]:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(
                "SELECT * FROM registry_history ORDER BY id DESC LIMIT %s", (limit,)
            ).fetchall()
        return [decision_from_row(r) for r in rows]

    def last_decision(self) -> Decision | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "SELECT * FROM registry_history WHERE action IN (%s, %s) AND undone_at = '' "
                "ORDER BY id DESC LIMIT 1",
                (APPROVE, REJECT),
            ).fetchone()
        return None if row is None else decision_from_row(row)

    # -- watched channels and the announcements outbox --------------------------------------
    def watch(self, channel_id: int, guild_id: int, coalition: str, who: str, at: str) -> Watch:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "INSERT INTO watches(channel_id, guild_id, coalition, added_by, added_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, "
                "coalition = excluded.coalition, added_by = excluded.added_by, added_at = excluded.added_at, "
                "broken = '', broken_at = '' RETURNING *",
                (channel_id, guild_id, coalition, who, at),
            ).fetchone()
        if row is None:
            raise RuntimeError("the watch was not recorded")
        return watch_from_row(row)

    def unwatch(self, channel_id: int, at: str) -> Watch | None:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "DELETE FROM watches WHERE channel_id = %s RETURNING *", (channel_id,)
            ).fetchone()
            if row is None:
                return None
            cur.execute(
                "UPDATE announcement_deliveries SET state = %s, error = 'the channel is no longer watched', "
                "updated_at = %s WHERE channel_id = %s AND state = %s",
                (CANCELLED, at, channel_id, WAITING),
            )
        return watch_from_row(row)

    def watches(self, guild_id: int | None = None) -> list[Watch]:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            if guild_id is None:
                rows = cur.execute("SELECT * FROM watches ORDER BY added_at, channel_id").fetchall()
            else:
                rows = cur.execute(
                    "SELECT * FROM watches WHERE guild_id = %s ORDER BY added_at, channel_id", (guild_id,)
                ).fetchall()
        return [watch_from_row(r) for r in rows]

    def deliveries(self, state: str | None = WAITING, *, due: str | None = None) -> list[Delivery]:
        where: list[str] = []
        params: list[object] = []
        if state is not None:
            where.append("d.state = %s")
            params.append(state)
        if due is not None:
            where.append("d.not_before <= %s")
            params.append(due)
        sql = (
            f"SELECT {DELIVERY_COLUMNS} FROM announcement_deliveries d JOIN announcements a "
            f"ON a.id = d.announcement_id {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY d.id"
        )
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(sql, params).fetchall()
        return [delivery_from_row(r) for r in rows]

    def claim_delivery(self, delivery_id: int, until: str, now: str) -> bool:
        with self._pool.connection() as conn:
            cursor = conn.execute(
                "UPDATE announcement_deliveries SET not_before = %s "
                "WHERE id = %s AND state = %s AND not_before <= %s",
                (until, delivery_id, WAITING, now),
            )
            return cursor.rowcount == 1

    def delivery_sent(self, delivery_id: int, message_id: int, at: str) -> bool:
        with self._pool.connection() as conn:
            cursor = conn.execute(
                "UPDATE announcement_deliveries SET state = %s, message_id = %s, error = '', updated_at = %s "
                "WHERE id = %s AND state != %s",
                (SENT, message_id, at, delivery_id, SENT),
            )
            return cursor.rowcount == 1

    def delivery_failed(
        self, delivery_id: int, error: str, at: str, *, retry_at: str | None, max_attempts: int
    ) -> str:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                "UPDATE announcement_deliveries SET attempts = attempts + 1, error = %s, updated_at = %s, "
                "not_before = %s, state = CASE WHEN %s OR attempts + 1 >= %s THEN %s ELSE state END "
                "WHERE id = %s AND state = %s RETURNING state, channel_id",
                (error, at, retry_at or "", retry_at is None, max_attempts, FAILED, delivery_id, WAITING),
            ).fetchone()
            if row is None:
                found = cur.execute(
                    "SELECT state FROM announcement_deliveries WHERE id = %s", (delivery_id,)
                ).fetchone()
                return str(found["state"]) if found else ""
            if retry_at is None:
                cur.execute(
                    "UPDATE watches SET broken = %s, broken_at = %s WHERE channel_id = %s",
                    (error, at, row["channel_id"]),
                )
                cur.execute(
                    "UPDATE announcement_deliveries SET state = %s, error = %s, updated_at = %s "
                    "WHERE channel_id = %s AND state = %s",
                    (FAILED, error, at, row["channel_id"], WAITING),
                )
        return str(row["state"])
