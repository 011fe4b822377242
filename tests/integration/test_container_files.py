"""The container recipe: what it copies exists, and its entry point indexes then runs the command.

There is no Docker engine on these machines, so the image itself is not built here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.settings import Settings
from tests.conftest import REPO
from tests.helpers import free_port


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
    # shards starting together take turns rather than one stopping (the wait: test_failures.py)
    assert "python -m retrieval index --wait " in (REPO / "docker-entrypoint.sh").read_text()


def _compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _named_volume(service: dict[str, Any], target: str) -> str:
    """The named volume a service mounts at `target` (a bind mount of a host folder is refused)."""
    (source,) = [v.split(":")[0] for v in service.get("volumes") or [] if v.split(":")[1] == target]
    assert not source.startswith((".", "/", "~")), f"{source} is a host folder, not a volume"
    return source


def test_compose_runs_two_shards_on_postgresql_and_a_chroma_server_sharing_no_folder() -> None:
    compose = _compose()
    services, volumes = compose["services"], set(compose["volumes"])
    assert services["postgres"]["image"] == "postgres:15"
    assert services["chroma"]["image"].startswith("chromadb/chroma:")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "/api/v2/heartbeat" in " ".join(services["chroma"]["healthcheck"]["test"])
    assert {
        _named_volume(services["postgres"], "/var/lib/postgresql/data"),
        _named_volume(services["chroma"], "/data"),
    } <= volumes

    shards = {name: s for name, s in services.items() if name.startswith("bot-shard-")}
    assert len(shards) == 2
    assert sorted(s["environment"]["SHARD_IDS"] for s in shards.values()) == ["0", "1"]
    data_volumes = []
    for name, shard in shards.items():
        env = shard["environment"]
        assert env["SHARD_COUNT"] == "2" and env["CHROMA_HOST"] == "chroma", name
        url = env["DATABASE_URL"].replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}", "pw")
        assert Settings.model_validate({"database_url": url}).catalog_location == (
            "PostgreSQL database 'coalition' on postgres:5432"
        )
        conditions = {dep: how["condition"] for dep, how in shard["depends_on"].items()}
        assert conditions == {
            "postgres": "service_healthy",
            "chroma": "service_healthy",
            "indexer": "service_completed_successfully",  # indexed once, before either shard starts
        }, name
        assert shard["entrypoint"] == ["python", "-m", "bot"]  # not the entrypoint that indexes
        # the image's folders, not the relative ones a .env copied from .env.example would give
        assert (env["DATA_DIR"], env["CORPUS_DIR"]) == ("/data", "/app/corpus/articles"), name
        data_volumes.append(_named_volume(shard, env["DATA_DIR"]))
    assert set(data_volumes) <= volumes
    # no folder shared: a shard's data volume is mounted by no other service
    for volume in data_volumes:
        users = [
            n for n, s in services.items() if any(v.split(":")[0] == volume for v in s.get("volumes") or [])
        ]
        assert len(users) == 1, f"{volume} is mounted by {users}"

    indexer = services["indexer"]  # the image's entrypoint: index, then run the command (`true`)
    assert "entrypoint" not in indexer and indexer["command"] == ["true"]
    assert _named_volume(indexer, indexer["environment"]["DATA_DIR"]) not in data_volumes
    assert indexer["environment"]["DATABASE_URL"] == shards["bot-shard-0"]["environment"]["DATABASE_URL"]
    assert {dep: how["condition"] for dep, how in indexer["depends_on"].items()} == {
        "postgres": "service_healthy",
        "chroma": "service_healthy",
    }


def _chroma_health_check(port: int) -> int:
    """The compose file's Chroma health check, as the container runs it, against 127.0.0.1:`port`."""
    test = _compose()["services"]["chroma"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    command = [part.replace("$$", "$").replace("/8000", f"/{port}") for part in test[1:]]
    return subprocess.run(command, capture_output=True, timeout=30).returncode


@pytest.mark.chroma_server
def test_the_chroma_health_check_passes_on_a_running_server_and_fails_without_one(
    chroma_server: tuple[str, int],
) -> None:
    assert _chroma_health_check(chroma_server[1]) == 0
    assert _chroma_health_check(free_port()) != 0
