"""Ingested articles in PostgreSQL (DATABASE_URL), beside the catalog: each one's own text (its Markdown
file as written, front matter and body), its source link and when it was fetched, one row per link or
uploaded file name. Every reindex, on any machine, indexes them with that machine's corpus folder, so a
reindex elsewhere never drops an article ingested here; the ingesting machine also writes the file to
its own corpus folder, as an export (a failure to write it is logged: the article is already kept).
Its table is the "ingested" component's migrations.
"""

from __future__ import annotations

import logging
from pathlib import Path

from retrieval.documents import ArticleError, parse_article
from retrieval.ingest import IngestError
from retrieval.ingested import Earlier, FolderArticles, IngestedArticles, IngestedText
from retrieval.postgres_pool import DatabasePool
from retrieval.postgres_schema import Migration, migrate

log = logging.getLogger(__name__)

COMPONENT = "ingested"

MIGRATIONS = [
    Migration(
        1,
        "ingested articles: each one's own text, source link and fetch time",
        """
        CREATE TABLE ingested_articles (
            doc_id text PRIMARY KEY, ingest_key text NOT NULL UNIQUE, file_name text NOT NULL,
            text text NOT NULL, source_url text NOT NULL DEFAULT '',
            fetched_at timestamptz NOT NULL DEFAULT now()
        );
        """,
    ),
]


class PostgresIngestedArticles(IngestedArticles):
    """Ingested articles in a table, exported to this machine's corpus folder; safe to share between threads."""

    def __init__(self, pool: DatabasePool, corpus_dir: Path) -> None:
        self._pool = pool
        self.location = pool.location
        self.corpus_dir = Path(corpus_dir)
        self._folder = FolderArticles(corpus_dir)
        with pool.connection() as conn:
            migrate(conn, COMPONENT, MIGRATIONS, self.location)

    def earlier(self, key: str) -> Earlier | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT file_name, text FROM ingested_articles WHERE ingest_key = %s", (key,)
            ).fetchone()
        if row is None:  # perhaps ingested here before DATABASE_URL was set: a file in the folder only
            return self._folder.earlier(key)
        file_name, text = str(row[0]), str(row[1])
        try:
            published = parse_article(text.encode(), Path(file_name)).published
        except ArticleError:
            published = ""
        return Earlier(file_name, published)

    def keep(self, ingested: IngestedText) -> None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO ingested_articles(doc_id, ingest_key, file_name, text, source_url) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (ingest_key) DO UPDATE SET text = excluded.text, "
                "source_url = excluded.source_url, fetched_at = now() "
                "WHERE ingested_articles.doc_id = excluded.doc_id RETURNING doc_id",
                (ingested.doc_id, ingested.key, ingested.file_name, ingested.text, ingested.source_url),
            ).fetchone()
        if row is None:  # the same link, first ingested elsewhere a moment ago under another id
            raise IngestError(
                "another process ingested the same link at the same moment; ingest it again to update that article"
            )
        try:
            self._folder.keep(ingested)
        except OSError as exc:
            log.warning(
                "Kept %s in the %s, but could not export it to the corpus folder %s: %s",
                ingested.doc_id,
                self.location,
                self.corpus_dir,
                exc,
            )

    def forget(self, doc_id: str, file_name: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM ingested_articles WHERE doc_id = %s", (doc_id,))
        try:
            self._folder.forget(doc_id, file_name)
        except OSError as exc:
            log.warning("Could not remove the export %s: %s", self.corpus_dir / file_name, exc)

    def stored(self) -> list[IngestedText]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT doc_id, ingest_key, file_name, text, source_url, "
                "to_char(fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') "
                "FROM ingested_articles ORDER BY doc_id"
            ).fetchall()
        return [IngestedText(*(str(value) for value in row)) for row in rows]
