"""Where ingested articles are kept: as files in the corpus folder, or also in PostgreSQL beside the catalog.

With the SQLite catalog an article added by /ingest (or `python -m retrieval ingest`) is a Markdown file
in the corpus folder like any other (below, `FolderArticles`), and that is all. With DATABASE_URL, each
machine reads its own corpus folder, so an article ingested on one would be deleted from the index by the
next reindex on another; the article is therefore kept in the database too, as the very text of its file,
with its source link and when it was fetched (retrieval/postgres_ingested.py), and every reindex indexes
the corpus folder's files and the database's ingested articles together (`load_with_stored`). The file is still
written to the ingesting machine's corpus folder, as an export; the database's copy is the one indexed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from retrieval.documents import (
    Article,
    ArticleError,
    LoadResult,
    SkippedFile,
    load_article,
    load_corpus,
    parse_article,
)

log = logging.getLogger(__name__)

STORED_PREFIX = "database:"  # where a stored article says it came from (its path in the catalog)


def key_suffix(key: str) -> str:
    """The part of an ingested article's id (and file name) that its link or file name decides."""
    return f"-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Earlier:
    """An earlier ingest of the same link or file: its file name (whose stem is the article's id) and the
    date it was saved with ('' when it cannot be read)."""

    file_name: str
    published: str


@dataclass(frozen=True)
class IngestedText:
    """An ingested article as kept: the text of its Markdown file (front matter and body), its link, when it
    was fetched (or uploaded)."""

    doc_id: str
    key: str  # the link, or 'file:<name>': ingesting the same key again updates this article
    file_name: str
    text: str
    source_url: str = ""
    fetched_at: str = ""  # 'YYYY-MM-DD HH:MM:SS UTC', set by the store


class IngestedArticles(ABC):
    """The ingested articles of one deployment; the corpus folder is the one the ingesting process uses."""

    corpus_dir: Path
    location: str  # where they live, for messages (never a password)

    @abstractmethod
    def earlier(self, key: str) -> Earlier | None:
        """The earlier ingest of this link or file, if there is one."""

    @abstractmethod
    def keep(self, ingested: IngestedText) -> None:
        """Keep the article (replacing an earlier ingest of its key), written whole or not at all."""

    @abstractmethod
    def forget(self, doc_id: str, file_name: str) -> None:
        """Drop an article just kept (one the index refused after all)."""

    @abstractmethod
    def stored(self) -> list[IngestedText]:
        """The articles kept outside the corpus folder, which every reindex indexes with its files."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a hidden temporary file in the same folder (index skips hidden
    files), flushed to disk, then renamed over the target; a failed write leaves the target as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # say which file could not be written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class FolderArticles(IngestedArticles):
    """Ingested articles as Markdown files in the corpus folder, indexed with the others."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.location = str(self.corpus_dir)

    def _files(self, key: str) -> list[Path]:
        return sorted(self.corpus_dir.glob(f"ingested-*{key_suffix(key)}.md"))

    def earlier(self, key: str) -> Earlier | None:
        files = self._files(key)
        if not files:
            return None
        published = ""  # the date of the first one that loads (a page without a date keeps its first)
        for path in files:
            try:
                published = load_article(path).published
                break
            except (ArticleError, OSError):
                continue
        return Earlier(files[0].name, published)

    def keep(self, ingested: IngestedText) -> None:
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(self.corpus_dir / ingested.file_name, ingested.text.encode())
        for duplicate in self._files(ingested.key):  # left by versions that renamed the file with the title
            if duplicate.name != ingested.file_name:
                duplicate.unlink(missing_ok=True)

    def forget(self, doc_id: str, file_name: str) -> None:
        (self.corpus_dir / file_name).unlink(missing_ok=True)

    def stored(self) -> list[IngestedText]:
        return []  # they are files in the folder: the index reads them there


def stored_path(file_name: str) -> str:
    """What a stored article's path says: where it came from (the catalog keeps it, messages show it)."""
    return f"{STORED_PREFIX}{file_name}"


def load_with_stored(
    corpus_dir: Path, established: Mapping[str, str], stored: Sequence[IngestedText]
) -> LoadResult:
    """The corpus folder's articles (see load_corpus) and the stored ingested ones, each id once: a stored
    article is the one indexed under its id. A folder file with its file name is its export (left out,
    silently); any other file claiming its id is skipped as a duplicate of it."""
    exports = {ingested.doc_id: str(Path(corpus_dir) / ingested.file_name) for ingested in stored}
    return with_stored(load_corpus(corpus_dir, {**established, **exports}), stored)


def with_stored(loaded: LoadResult, stored: Sequence[IngestedText]) -> LoadResult:
    """Loaded folder articles with the stored ingested ones joined (see load_with_stored)."""
    if not stored:
        return loaded
    kept: dict[str, IngestedText] = {}
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    for ingested in stored:
        path = stored_path(ingested.file_name)
        try:
            article = parse_article(ingested.text.encode(), Path(path))
        except ArticleError as exc:
            skipped.append(SkippedFile(path, str(exc)))
            continue
        articles.append(dataclasses.replace(article, path=path))
        kept[article.doc_id] = ingested
    result = LoadResult(skipped=list(loaded.skipped))
    for article in loaded.articles:
        holder = kept.get(article.doc_id)
        if holder is None:
            result.articles.append(article)
        elif Path(article.path).name != holder.file_name:
            claim = f"duplicate id {article.doc_id!r} (already used by {stored_path(holder.file_name)})"
            skipped.append(SkippedFile(article.path, claim))
    result.articles += articles
    result.skipped += skipped
    for item in skipped:
        log.warning("Skipped %s: %s", item.path, item.error)
    return result
