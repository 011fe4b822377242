"""The vector store: a Chroma collection, embedded on disk or on a Chroma server.

We always pass our own vectors (Chroma's default embedding function would download a model) and turn
telemetry off. The collection's name carries the embedding model's name, and its metadata records
the model; a collection built by another model is refused, never mixed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval.errors import ModelMismatch, SearchUnavailable

log = logging.getLogger(__name__)

MAX_BATCH = 5000  # Chroma caps one add at 5,461 items


def collection_name(model_name: str, prefix: str = "articles") -> str:
    """'articles-all-minilm-l6-v2': Chroma-safe (3-63 chars, alphanumeric ends)."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_name.lower()).strip("-")
    return f"{prefix}-{slug}"[:63].rstrip("-_.")


def _unavailable(exc: Exception) -> SearchUnavailable:
    return SearchUnavailable(f"search is unavailable right now ({type(exc).__name__}); try again shortly")


class VectorStore:
    """A thin wrapper over one Chroma collection of chunk vectors keyed by chunk id."""

    def __init__(
        self,
        model_name: str,
        dimension: int,
        *,
        path: Path | None = None,
        host: str | None = None,
        port: int = 8000,
        prefix: str = "articles",
    ) -> None:
        self.model_name = model_name
        self.dimension = dimension
        self.name = collection_name(model_name, prefix)
        self._path = path
        self._host = host
        self._port = port
        self._collection: Any = None

    @property
    def location(self) -> str:
        return f"chroma server {self._host}:{self._port}" if self._host else f"{self._path}"

    def _client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self._host:
            return chromadb.HttpClient(host=self._host, port=self._port, settings=settings)
        assert self._path is not None
        self._path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self._path), settings=settings)

    def collection(self) -> Any:
        """Open (or create) the collection, checking that it belongs to our model."""
        if self._collection is not None:
            return self._collection
        try:
            client = self._client()
            col = client.get_or_create_collection(
                self.name,
                embedding_function=None,
                metadata={
                    "hnsw:space": "cosine",
                    "embedding_model": self.model_name,
                    "dimension": self.dimension,
                },
            )
        except Exception as exc:  # connection errors come in many types across chromadb versions
            if self._host:
                raise _unavailable(exc) from exc
            raise
        built_by = (col.metadata or {}).get("embedding_model")
        if built_by and built_by != self.model_name:
            raise ModelMismatch(
                f"collection {self.name!r} was built with embedding model {built_by!r}, not {self.model_name!r}"
            )
        self._collection = col
        return col

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if self._host:
                self._collection = None  # reconnect next time (the server may have restarted)
                raise _unavailable(exc) from exc
            raise

    def upsert(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], doc_ids: Sequence[str]) -> None:
        """Store vectors under chunk ids (idempotent)."""
        col = self.collection()
        for i in range(0, len(ids), MAX_BATCH):
            self._call(
                col.upsert,
                ids=list(ids[i : i + MAX_BATCH]),
                embeddings=[list(v) for v in vectors[i : i + MAX_BATCH]],
                metadatas=[{"doc_id": d} for d in doc_ids[i : i + MAX_BATCH]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors by chunk id (missing ids are ignored)."""
        col = self.collection()
        for i in range(0, len(ids), MAX_BATCH):
            self._call(col.delete, ids=list(ids[i : i + MAX_BATCH]))

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these chunk ids already have vectors."""
        col = self.collection()
        found: set[str] = set()
        for i in range(0, len(ids), MAX_BATCH):
            found.update(self._call(col.get, ids=list(ids[i : i + MAX_BATCH]), include=[])["ids"])
        return found

    def all_ids(self) -> set[str]:
        """Every chunk id in the collection (for reconciling after an interrupted run)."""
        col = self.collection()
        ids: set[str] = set()
        offset = 0
        while True:
            page = self._call(col.get, include=[], limit=MAX_BATCH, offset=offset)["ids"]
            ids.update(page)
            if len(page) < MAX_BATCH:
                return ids
            offset += MAX_BATCH

    def count(self) -> int:
        return int(self._call(self.collection().count))

    def query(self, vector: Sequence[float], n: int) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (higher is better)."""
        col = self.collection()
        # Chroma returns what it has when n exceeds the collection (and nothing when it is empty),
        # so no count() round trip per question.
        res = self._call(col.query, query_embeddings=[list(vector)], n_results=n, include=["distances"])
        return [
            (cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def drop(self) -> None:
        """Delete the whole collection (a full rebuild)."""
        client = self._client()
        try:
            client.delete_collection(self.name)
        except Exception:  # not existing is fine
            log.debug("Collection %s did not exist", self.name)
        self._collection = None
