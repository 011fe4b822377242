"""Shared fixtures: isolated settings and services with the fast fake embedder, the real model once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.services import Services
from tests.helpers import free_port, make_settings, write_sample_corpus

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small corpus folder of four articles."""
    return write_sample_corpus(tmp_path / "corpus")


@pytest.fixture
def services(tmp_path: Path, corpus: Path) -> Iterator[Services]:
    """Services on a temporary data folder with the deterministic fake embedder."""
    svc = Services(make_settings(tmp_path, corpus=corpus))
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2, loaded once for the whole session."""
    from retrieval.embeddings import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.warm_up()
    return embedder


def _chroma_executable() -> str:
    candidate = Path(sys.executable).with_name("chroma")
    return str(candidate) if candidate.exists() else (shutil.which("chroma") or "chroma")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1 for the session; stopped at the end."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")  # noqa: SIM115 - closed below
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY_IMPL": ""}
    proc = subprocess.Popen([_chroma_executable(), "run", "--path", str(path / "db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            raise RuntimeError(f"chroma server did not start: {(path / 'server.log').read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield ("127.0.0.1", port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def real_services(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Services:
    """The shipped corpus indexed once with the real model, shared by the quality tests."""
    from tests.helpers import make_settings

    tmp = tmp_path_factory.mktemp("real-index")
    settings = make_settings(tmp, corpus=REPO / "corpus" / "articles", model="all-MiniLM-L6-v2",
                             registry_path=REPO / "corpus" / "members.csv", chunk_tokens=200,
                             chunk_overlap_tokens=40)
    svc = Services(settings, embedder=real_embedder)
    report = svc.reindex()
    assert not report.skipped, report.skipped
    return svc
