"""The command line as a user runs it: JSON shapes, idempotent re-runs and exit codes."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import (
    HOSTILE_QUESTIONS,
    SMUGGLED,
    alias_bomb,
    write_article,
    write_hostile_corpus,
    write_sample_corpus,
)


def run_cli(
    tmp: Path,
    *args: str,
    model: str = "fake-hash-embedder",
    extra_env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 300,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m retrieval ARGS` in a child process with an isolated data folder."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EMBEDDING_MODEL": model,
        "DATA_DIR": str(tmp / "data"),
        "CORPUS_DIR": str(tmp / "corpus"),
        "REGISTRY_PATH": str(tmp / "members.csv"),
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "retrieval", *args],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        input=stdin,
    )


def _at_most_1_5_gb() -> None:
    """Cap the child's address space, so a runaway allocation fails fast instead of filling the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def test_a_580_byte_alias_bomb_is_skipped_and_the_rest_indexed_in_bounded_memory(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    bomb = alias_bomb(9)  # 387 million strings if its aliases were followed
    assert len(bomb) < 600
    (tmp_path / "corpus" / "bomb.md").write_text(bomb, encoding="utf-8")
    result = run_cli(tmp_path, "index", "--json", preexec_fn=_at_most_1_5_gb, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["added"] == 4
    assert report["skipped"] == [
        {
            "path": str(tmp_path / "corpus" / "bomb.md"),
            "error": "front matter uses a YAML anchor (&a); anchors are not allowed",
        }
    ]


def test_index_json_twice_embeds_nothing_the_second_time(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.md").write_text("no front matter here")
    first = run_cli(tmp_path, "index", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert {"added", "updated", "unchanged", "deleted", "chunks_embedded", "skipped"} <= report.keys()
    assert report["added"] == 4 and report["chunks_embedded"] > 0
    assert report["skipped"] == [
        {"path": str(tmp_path / "corpus" / "broken.md"), "error": report["skipped"][0]["error"]}
    ]
    second = json.loads(run_cli(tmp_path, "index", "--json").stdout)
    assert (second["chunks_embedded"], second["unchanged"], second["added"]) == (0, 4, 0)


def test_search_and_stats_print_ranked_passages_and_counts(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    result = run_cli(tmp_path, "search", "When did Egypt join the ILRS?", "--k", "3", "--json")
    hits = json.loads(result.stdout)
    assert hits[0]["doc_id"] == "egypt-ilrs" and hits[0]["rank"] == 1 and hits[0]["published"] == "2023-12-06"
    assert len(hits) <= 3
    text = run_cli(tmp_path, "search", "Egypt ILRS").stdout
    assert text.startswith("1. [") and "egypt-ilrs — Egypt joins the ILRS (2023-12-06)" in text
    stats = json.loads(run_cli(tmp_path, "stats", "--json").stdout)
    assert stats["articles"] == 4 and stats["model"] == "fake-hash-embedder" and stats["last_index_at"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("index", "--corpus", "does-not-exist"), 1, "error: corpus folder not found"),
        (("search", "anything"), 1, "error: nothing is indexed yet"),
        (("search",), 2, "the following arguments are required: question"),
        (("search", "x", "--k", "0"), 2, "must be 1 or more"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_exit_codes_and_one_readable_line(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    (tmp_path / "corpus").mkdir()
    result = run_cli(tmp_path, *args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_model_mismatch_is_refused_in_one_line(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    other = tmp_path / "other-model"
    other.mkdir()
    (other / "tokenizer.json").write_text("{}")
    result = run_cli(tmp_path, "index", model=str(other))
    assert result.returncode == 1
    assert (
        "built with embedding model 'fake-hash-embedder'" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_members_json_lists_every_registry_row_in_joining_order(tmp_path: Path) -> None:
    env = {"REGISTRY_PATH": str(REPO / "corpus" / "members.csv")}
    rows = json.loads(run_cli(tmp_path, "members", "artemis_accords", "--json", extra_env=env).stdout)
    assert {"member", "member_type", "coalition", "joined", "status", "order", "article", "sources"} <= rows[
        0
    ].keys()
    assert rows[0]["joined"] == "2020-10-13" and len(rows) == 61  # 59 countries, the Isle of Man, Latvia
    assert rows[-1] == {**rows[-1], "member": "Latvia", "status": "announced"}
    ilrs = json.loads(
        run_cli(tmp_path, "members", "ilrs", "--json", "--type", "country", extra_env=env).stdout
    )
    assert {r["member"] for r in ilrs} >= {
        "China",
        "Russia",
        "Belarus",
        "Egypt",
        "Bolivia",
        "United Arab Emirates",
    }
    text = run_cli(
        tmp_path, "members", "ilrs", "--as-of", "2023-10-31", "--type", "country", extra_env=env
    ).stdout
    assert text.splitlines()[0].startswith("ILRS: 7 member countries, as of 31 October 2023")


def test_member_and_overlap_commands(tmp_path: Path) -> None:
    env = {"REGISTRY_PATH": str(REPO / "corpus" / "members.csv")}
    thailand = json.loads(run_cli(tmp_path, "member", "Thailand", "--json", extra_env=env).stdout)
    assert {r["coalition"]: r["joined"] for r in thailand} == {
        "ilrs": "2024-04-05",
        "artemis_accords": "2024-12-16",
    }
    text = run_cli(tmp_path, "member", "Thailand", extra_env=env).stdout
    assert (
        "joined the ILRS: 5 April 2024 (#9)" in text
        and "signed the Artemis Accords: 16 December 2024" in text
    )
    overlap = json.loads(run_cli(tmp_path, "overlap", "--json", extra_env=env).stdout)
    assert {o["member"] for o in overlap} == {"Thailand", "Senegal", "United Arab Emirates"}
    unknown = run_cli(tmp_path, "member", "Atlantis", extra_env=env)
    assert unknown.returncode == 1 and "'Atlantis' is not in the members registry" in unknown.stderr
    bad = run_cli(tmp_path, "members", "gateway", extra_env=env)
    assert bad.returncode == 1 and "choose one of: artemis_accords, ilrs" in bad.stderr


def test_hostile_articles_cannot_put_citations_links_or_mentions_into_answers(tmp_path: Path) -> None:
    write_hostile_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    batch = run_cli(tmp_path, "ask", stdin="\n".join(HOSTILE_QUESTIONS) + "\n")
    answers = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(answers) == len(HOSTILE_QUESTIONS), batch.stderr
    for answer in answers:
        text = answer["answer"]
        assert all(re.fullmatch(r"\[\d+\]", mark) for mark in re.findall(r"\[[^\]]*\]", text)), text
        assert {int(n) for n in re.findall(r"\[(\d+)\]", text)} <= {c["n"] for c in answer["citations"]}, text
        assert [s for s in SMUGGLED if s in text] == [], text
    said = " ".join(a["answer"] for a in answers)
    assert "Ruritania and Russia agreed to build the lunar station jointly [1]." in said  # not "[2][3] [1]"
    assert "on 4 March 2026, according to this NASA page [1]." in said  # the words stay, the link goes
    assert "becoming the 60th signatory" in said and "Fredonia City in 2027 [1]." in said
    assert not any(a["refused"] for a in answers[:2])
    shown = [run_cli(tmp_path, "ask", q).stdout for q in (HOSTILE_QUESTIONS[0], HOSTILE_QUESTIONS[2])]
    assert all("[1] Ruritania joins the ILRS see this NASA page — Evil Wire" in out for out in shown), shown
    for out in shown:
        assert [s for s in SMUGGLED if s in out] == [], out
        assert set(re.findall(r"<(https?://[^>]*)>", out)) <= {
            "https://example.org/ruritania",
            "https://example.org/freedonia",
        }


def test_a_lost_vector_store_is_shown_by_stats_and_re_embedded_by_index(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    chunks = json.loads(run_cli(tmp_path, "stats", "--json").stdout)["chunks"]
    shutil.rmtree(tmp_path / "data" / "chroma")  # the Chroma folder is lost; the catalog is not
    stats = run_cli(tmp_path, "stats")
    assert "Vectors: 0\n" in stats.stdout
    assert (
        f"Warning: the vector store holds 0 vectors for {chunks} indexed chunks; a reindex re-embeds the "
        "missing ones: run `python -m retrieval index`" in stats.stdout
    )
    index = run_cli(tmp_path, "index")
    assert index.returncode == 0, index.stderr
    assert f"4 unchanged, 0 deleted; {chunks} chunks embedded" in index.stdout
    assert f"re-embedded {chunks} chunks missing from the vector store" in index.stdout
    after = json.loads(run_cli(tmp_path, "stats", "--json").stdout)
    assert (after["vectors"], after["vectors_problem"]) == (chunks, None)


def _files_up_to_1_mb() -> None:
    """Writes past 1 MB fail with EFBIG, as a write fails part way when the disk fills up (the signal
    that would kill the process instead is ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, 1024 * 1024))


def test_an_ingest_write_that_fails_part_way_leaves_the_previous_version_whole(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    story = tmp_path / "story.md"
    story.write_text(
        "# Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU signed.\n"
    )
    assert run_cli(tmp_path, "ingest", "--file", str(story), "--published", "2026-05-06").returncode == 0
    (saved,) = (tmp_path / "corpus").glob("ingested-*.md")
    before, names = saved.read_bytes(), sorted(p.name for p in (tmp_path / "corpus").iterdir())
    paragraph = "Freedonia's agency published a long annex about lunar landers and data sharing. " * 12
    story.write_text("# Freedonia publishes its lunar annex\n\n" + "\n\n".join([paragraph] * 1800))  # 1.7 MB
    failed = run_cli(
        tmp_path, "ingest", "--file", str(story), "--published", "2026-05-06", preexec_fn=_files_up_to_1_mb
    )
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines()[-1] == (
        f"error: no space left to write {saved} (File too large); free some space on that disk (or raise the "
        "file-size limit) and run the command again: nothing half-written is used"
    )
    assert saved.read_bytes() == before  # the previous version, whole: no half-written article
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == names  # and no temporary file left
    index = json.loads(run_cli(tmp_path, "index", "--json").stdout)
    assert (index["added"], index["updated"], index["deleted"], index["skipped"]) == (0, 0, 0, [])


def test_index_and_ingest_both_report_a_file_refused_for_reusing_an_established_id(tmp_path: Path) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    write_article(
        corpus, "egypt-ilrs", "Egypt joined in 1999", "Egypt joined the ILRS in 1999.", name="0-impostor.md"
    )
    refused = f"skipped {corpus / '0-impostor.md'}: duplicate id 'egypt-ilrs' (already used by {corpus / 'egypt-ilrs.md'})"
    story = tmp_path / "story.txt"
    story.write_text(
        "Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU signed.\n"
    )
    ingest = run_cli(tmp_path, "ingest", "--file", str(story), "--published", "2026-05-06")
    assert ingest.returncode == 0 and ingest.stdout.startswith("Added ingested-freedonia")
    assert refused in ingest.stdout
    index = run_cli(tmp_path, "index")
    assert refused in index.stdout and "0 added, 0 updated, 5 unchanged" in index.stdout
    answer = json.loads(run_cli(tmp_path, "ask", "--json", "When did Egypt join the ILRS?").stdout)
    assert "6 December 2023" in answer["answer"] and "1999" not in answer["answer"]


def test_registry_proposals_are_listed_approved_undone_and_refused_by_number_from_the_command_line(
    tmp_path: Path,
) -> None:
    corpus = write_sample_corpus(tmp_path / "corpus")
    registry = (
        "coalition,member,member_type,joined,status,order,article,sources,notes\n"
        "artemis_accords,Finland,country,2025-01-21,member,53,finland-artemis,https://example.org/finland-artemis,\n"
        "ilrs,Belarus,country,2023-10,member,,belarus-ilrs,https://example.org/belarus-ilrs,\n"
        "ilrs,Egypt,country,2023-12-06,member,,egypt-ilrs,https://example.org/egypt-ilrs,\n"
    )
    (tmp_path / "members.csv").write_text(registry, encoding="utf-8")
    assert json.loads(run_cli(tmp_path, "index", "--json").stdout)["proposed"] == 0
    write_article(
        corpus,
        "vietnam-signs",
        "Vietnam signs the Artemis Accords",
        "Vietnam signed the Artemis Accords on 3 March 2026, becoming the 54th signatory.",
        published="2026-03-04",
    )
    indexed = run_cli(tmp_path, "index")
    assert indexed.stdout.rstrip().endswith("; 1 new members registry proposal to review")
    pending = run_cli(tmp_path, "registry", "pending")
    assert pending.returncode == 0 and pending.stdout.splitlines()[:3] == [
        "1 pending registry proposal:",
        "#1  Vietnam — Artemis Accords: signed 3 March 2026  [confidence 0.90]",
        "     New: the registry does not list it in this coalition.",
    ]
    unknown = run_cli(tmp_path, "registry", "approve", "7")
    assert unknown.returncode == 1 and unknown.stderr == (
        "error: there is no proposal #7; /registry pending (or `python -m retrieval registry pending`) lists "
        "the pending ones\n"
    )
    assert run_cli(tmp_path, "registry", "approve", "seven").returncode == 2
    approved = run_cli(tmp_path, "registry", "approve", "1")
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.startswith(
        "Approved proposal #1: Vietnam — Artemis Accords: 3 March 2026, article vietnam-signs."
    )
    [row] = json.loads(run_cli(tmp_path, "member", "Vietnam", "--json").stdout)
    assert (row["joined"], row["order"], row["article"], row["sources"]) == (
        "2026-03-03",
        54,
        "vietnam-signs",
        ["https://example.org/vietnam-signs"],
    )
    again = run_cli(tmp_path, "registry", "reject", "1")
    assert again.returncode == 1 and "proposal #1 was approved already" in again.stderr
    history = run_cli(tmp_path, "registry", "history").stdout
    assert re.search(r"\(command line\) approved proposal #1 \(Vietnam, Artemis Accords\)$", history.strip())
    undone = run_cli(tmp_path, "registry", "undo")
    assert undone.stdout.startswith(
        "Undid the approval of proposal #1; Vietnam is no longer listed in Artemis"
    )
    assert (tmp_path / "members.csv").read_text(encoding="utf-8") == registry
    assert json.loads(run_cli(tmp_path, "registry", "pending", "--json").stdout)[0]["state"] == "pending"
    nothing = run_cli(tmp_path, "registry", "undo")
    assert nothing.returncode == 1 and nothing.stderr.startswith("error: nothing to undo")
