"""A stateful property-based test of the indexer (the way Chroma tests its own storage).

Random sequences of add / edit / rename / delete article, reindex, and reindex interrupted at a
random point. After every completed reindex, Chroma's chunk ids, the keyword index and the record of
hashes equal those of a clean build of the same corpus. The same machine runs on PostgreSQL.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from retrieval.documents import load_corpus
from retrieval.services import Services
from tests.helpers import make_settings, write_article
from tests.postgres_server import PostgresServer

WORDS = [
    "lunar",
    "station",
    "accords",
    "signed",
    "joined",
    "orbit",
    "rover",
    "agency",
    "treaty",
    "crater",
    "module",
    "launch",
    "data",
    "partner",
    "south",
    "pole",
    "survey",
    "debris",
    "rescue",
    "heritage",
]
paragraphs = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=8, max_size=40).map(" ".join), min_size=1, max_size=5
).map(lambda ps: "\n\n".join(p.capitalize() + "." for p in ps))


class Interrupted(Exception):
    """Stands in for a crash in the middle of a reindex."""


class IndexerMachine(RuleBasedStateMachine):
    articles = Bundle("articles")
    server: PostgresServer | None = None  # set: each example's catalog is a new PostgreSQL database

    @initialize()
    def setup(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="indexer-sm-"))
        self.corpus = self.root / "corpus"
        self.corpus.mkdir()
        self.database_url = self.server.create_database() if self.server else None
        extra = {"database_url": self.database_url} if self.database_url else {}
        self.services = Services(
            make_settings(self.root, corpus=self.corpus, chunk_tokens=40, chunk_overlap_tokens=8, **extra)
        )
        self.counter = 0
        self.completed = False

    def teardown(self) -> None:
        self.services.catalog.close()
        if self.server and self.database_url:
            self.server.drop_database(self.database_url)
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(target=articles, body=paragraphs)
    def add(self, body: str) -> str:
        self.counter += 1
        doc_id = f"a{self.counter}"
        write_article(self.corpus, doc_id, f"Article {self.counter}", body)
        self.completed = False  # the invariant holds right after a completed reindex, not in between
        return doc_id

    @rule(doc_id=articles, body=paragraphs)
    def edit(self, doc_id: str, body: str) -> None:
        path = self.corpus / f"{doc_id}.md"
        if path.exists():
            write_article(self.corpus, doc_id, f"Article {doc_id}", body)
            self.completed = False

    @rule(target=articles, doc_id=consumes(articles))
    def rename(self, doc_id: str) -> str:
        path = self.corpus / f"{doc_id}.md"
        self.counter += 1
        new_id = f"a{self.counter}"
        if path.exists():
            text = path.read_text().replace(f"id: {doc_id}\n", f"id: {new_id}\n", 1)
            path.unlink()
            (self.corpus / f"{new_id}.md").write_text(text)
            self.completed = False
        return new_id

    @rule(doc_id=consumes(articles))
    def delete(self, doc_id: str) -> None:
        (self.corpus / f"{doc_id}.md").unlink(missing_ok=True)
        self.completed = False

    @rule()
    def reindex(self) -> None:
        self.services.reindex()
        self.completed = True

    @rule(where=st.sampled_from(["embed", "upsert", "catalog", "delete"]), after=st.integers(0, 3))
    def interrupted_reindex(self, where: str, after: int) -> None:
        targets = {
            "embed": (self.services.embedder, "embed_documents"),
            "upsert": (self.services.store, "upsert"),
            "catalog": (self.services.catalog, "replace_document"),
            "delete": (self.services.store, "delete"),
        }
        obj, name = targets[where]
        original = getattr(obj, name)
        calls = {"n": 0}

        def crashing(*args: object, **kwargs: object) -> object:
            calls["n"] += 1
            if calls["n"] > after:
                raise Interrupted(where)
            return original(*args, **kwargs)

        setattr(obj, name, crashing)
        try:
            self.services.reindex()
            self.completed = True
        except Interrupted:
            self.completed = False
        finally:
            delattr(obj, name)  # back to the class's method

    @invariant()
    def matches_a_clean_build_after_every_completed_reindex(self) -> None:
        if not getattr(self, "completed", False):
            return
        loaded = load_corpus(self.corpus)
        expected_ids = {c.chunk_id for a in loaded.articles for c in self.services.chunker.split(a)}
        assert self.services.store.all_ids() == expected_ids
        assert self.services.catalog.all_chunk_ids() == expected_ids
        assert self.services.catalog.keyword_index_ids() == expected_ids
        assert self.services.catalog.document_hashes() == {a.doc_id: a.content_hash for a in loaded.articles}


IndexerMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestIndexer = IndexerMachine.TestCase


@pytest.mark.postgres
def test_the_indexer_keeps_a_postgres_catalog_equal_to_a_clean_build(postgres_server: PostgresServer) -> None:
    """The same random sequences with the catalog in PostgreSQL (fewer: each example is a new database)."""

    class OnPostgres(IndexerMachine):
        server = postgres_server

    run_state_machine_as_test(
        OnPostgres,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
