"""Shared fixtures: isolated settings and services with the fast fake embedder, the real model once."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.settings import Settings
from retrieval.services import Services
from tests.chroma_server import ChromaServer
from tests.helpers import make_settings, write_sample_corpus
from tests.postgres_server import NEEDED, PostgresServer, find_binaries

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked both_catalogs that use catalog_backend run once on SQLite, once on PostgreSQL."""
    if "catalog_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_catalogs"):
        metafunc.parametrize(
            "catalog_backend",
            ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1 for the session, from the machine's binaries; stopped at the
    end, also when a test fails. Where PostgreSQL is not installed the tests that need it fail saying so."""
    binaries = find_binaries()
    if binaries is None:
        pytest.fail(NEEDED, pytrace=False)
    server = PostgresServer(binaries)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class CatalogBackend:
    """Which catalog a test's services use: the SQLite file in DATA_DIR, or a fresh PostgreSQL database."""

    name: str
    database_url: str | None = None

    def settings(self, tmp: Path, **extra: object) -> Settings:
        """make_settings, with this backend's DATABASE_URL."""
        if self.database_url:
            extra.setdefault("database_url", self.database_url)
        return make_settings(tmp, **extra)


@pytest.fixture
def catalog_backend(request: pytest.FixtureRequest) -> Iterator[CatalogBackend]:
    """SQLite unless the test is parametrized (see both_catalogs); a PostgreSQL test gets a new database,
    dropped at its end."""
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        yield CatalogBackend("sqlite")
        return
    from retrieval.postgres_pool import DatabasePool

    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    opened: list[DatabasePool] = []
    original = DatabasePool.__init__

    def recorded(self: DatabasePool, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        opened.append(self)

    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(DatabasePool, "__init__", recorded)
    try:
        yield CatalogBackend("postgresql", url)
    finally:
        for pool in opened:  # pools a test left open would try to reconnect to the dropped database
            pool.close()
        server.drop_database(url)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small corpus folder of four articles."""
    return write_sample_corpus(tmp_path / "corpus")


@pytest.fixture
def services(tmp_path: Path, corpus: Path, catalog_backend: CatalogBackend) -> Iterator[Services]:
    """Services on a temporary data folder with the deterministic fake embedder (and the test's catalog)."""
    svc = Services(catalog_backend.settings(tmp_path, corpus=corpus))
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="session")
def starter_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The shipped corpus and members registry with the fake embedder (indexed once per session): the
    registry answers and the question reader, which need the real articles and names but no model."""
    root = tmp_path_factory.mktemp("starter")
    svc = Services(
        make_settings(
            root,
            corpus=REPO / "corpus" / "articles",
            registry_path=REPO / "corpus" / "members.csv",
            chunk_tokens=200,
            chunk_overlap_tokens=40,
        )
    )
    svc.reindex()
    svc.offline_answerer.reading.today = datetime.date(2026, 11, 27)
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2, loaded once for the whole session."""
    from retrieval.embeddings import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1 for the session; stopped at the end."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield ("127.0.0.1", server.port)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def real_services(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Services:
    """The shipped corpus indexed once with the real model, shared by the quality tests."""
    from tests.helpers import make_settings

    tmp = tmp_path_factory.mktemp("real-index")
    settings = make_settings(
        tmp,
        corpus=REPO / "corpus" / "articles",
        model="all-MiniLM-L6-v2",
        registry_path=REPO / "corpus" / "members.csv",
        chunk_tokens=200,
        chunk_overlap_tokens=40,
    )
    svc = Services(settings, embedder=real_embedder)
    report = svc.reindex()
    assert not report.skipped, report.skipped
    return svc
