"""`python -m bot --auto` without a token: the offline terminal session, driven through standard input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _run(tmp: Path, stdin: str, *args: str, token: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": "fake-hash-embedder",
        "DATA_DIR": str(tmp / "data"),
        "CORPUS_DIR": str(REPO / "corpus" / "articles"),
        "REGISTRY_PATH": str(REPO / "corpus" / "members.csv"),
        "DISCORD_TOKEN": token,
    }
    return subprocess.run(
        [sys.executable, "-m", *args],
        input=stdin,
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_auto_without_a_token_runs_the_terminal_session_until_end_of_input(tmp_path: Path) -> None:
    assert _run(tmp_path, "", "retrieval", "index").returncode == 0
    lines = (
        "\n".join(
            [
                "when did egypt join the ilrs?",
                "members ilrs --type organisation",
                "member thailand",
                "overlap",
                "sources Belarus",
                "status",
                "what is the ilrs budget",
                f"timeline {tmp_path / 'chart.png'}",
                "reindex",
            ]
        )
        + "\n"
    )
    result = _run(tmp_path, lines, "bot", "--auto")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "on 6 December 2023" in out and "[1]" in out and "Sources:\n[1] " in out
    assert "ILRS: 8 partner organisations" in out
    assert "joined the ILRS: 5 April 2024 (#9)" in out
    assert "Members of both coalitions: 2" in out
    assert "Belarus joins the ILRS" in out
    assert "Articles: 104" in out and "Answerer: offline" in out
    assert "I couldn't find that in the indexed articles." in out
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert "Reindexed: 0 added, 0 updated, 104 unchanged" in out
    assert "Traceback" not in result.stderr


def test_bot_without_a_token_says_so_in_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, "", "bot")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: DISCORD_TOKEN is not set")


def test_a_failed_command_is_reported_and_the_session_goes_on(tmp_path: Path) -> None:
    assert _run(tmp_path, "", "retrieval", "index").returncode == 0
    lines = "timeline /proc/self/x.png\nwhen did egypt join the ilrs?\nstatus\n"
    result = _run(tmp_path, lines, "bot", "--auto")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    out = result.stdout.splitlines()
    assert out[0].startswith("error: cannot write the chart to /proc/self/x.png (")
    assert out[0].endswith("); give a path in a folder you can write to")
    assert "on 6 December 2023" in result.stdout and "Articles: 104" in result.stdout  # and it went on
