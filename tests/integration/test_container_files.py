"""The container recipe: what it copies exists, and its entry point indexes then runs the command.

There is no Docker engine on these machines, so the image itself is not built here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_every_file_the_dockerfile_copies_exists_and_it_runs_as_non_root() -> None:
    text = (REPO / "Dockerfile").read_text()
    copies = [
        line.split()[1:-1] for line in text.splitlines() if line.startswith("COPY ") and "--from" not in line
    ]
    sources = [src for srcs in copies for src in srcs]
    assert {"pyproject.toml", "requirements.lock", "bot", "retrieval", "config", "corpus"} <= set(sources)
    assert all((REPO / src).exists() for src in sources), [s for s in sources if not (REPO / s).exists()]
    assert re.search(r"^USER bot$", text, re.M) and 'VOLUME ["/data"]' in text
    assert 'CMD ["python", "-m", "bot"]' in text and "torch==2.13.0" in text


def test_entrypoint_indexes_the_corpus_then_runs_the_command(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": "fake-hash-embedder",
        "DATA_DIR": str(tmp_path / "data"),
        "CORPUS_DIR": str(REPO / "corpus" / "articles"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }  # `python` as in the image
    result = subprocess.run(
        ["sh", str(REPO / "docker-entrypoint.sh"), "python", "-c", "print('the command ran')"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "104 added" in result.stdout and result.stdout.strip().endswith("the command ran")


def test_compose_runs_the_bot_against_a_chroma_server() -> None:
    text = (REPO / "docker-compose.yml").read_text()
    assert "chromadb/chroma" in text and "CHROMA_HOST=chroma" in text and "build: ." in text
