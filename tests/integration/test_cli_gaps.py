"""`python -m retrieval gaps`: the period's refused and 👎 questions grouped, as JSON and as text, and the
period checked (a child process, as a user runs it)."""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.feedback import SqliteFeedbackStore
from tests.helpers import write_sample_corpus
from tests.integration.test_cli import run_cli


def test_gaps_json_and_text_group_the_periods_refused_and_down_voted_questions(tmp_path: Path) -> None:
    write_sample_corpus(tmp_path / "corpus")
    assert run_cli(tmp_path, "index").returncode == 0
    store = SqliteFeedbackStore(tmp_path / "data" / "feedback.sqlite3")
    store.record_answer("When did Egypt join the ILRS?", "I couldn't find that", refused=True)
    store.record_answer("when did egypt join the ilrs?", "I couldn't find that", refused=True)
    wrong = store.record_answer("Who leads NASA?", "Finland [1]", refused=False)
    store.set_reason(wrong, 7, "not an answer")
    store.vote(store.record_answer("How many signed first?", "Eight [1]", refused=False), 7, up=True)
    store.close()

    result = run_cli(tmp_path, "gaps", "--days", "7", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["days"], report["questions"], report["more_groups"], report["capped"]) == (7, 3, 0, False)
    assert report["similarity_threshold"] == 0.65
    egypt, nasa = report["groups"]
    assert (egypt["count"], egypt["refused"], egypt["down_votes"]) == (2, 2, 0)
    assert egypt["example"].lower() == "when did egypt join the ilrs?"
    assert egypt["closest_article"] == {
        "doc_id": "egypt-ilrs",
        "title": "Egypt joins the ILRS",
        "url": "https://example.org/egypt-ilrs",
        "published": "2023-12-06",
    }
    assert (nasa["count"], nasa["example"], nasa["comments"]) == (1, "Who leads NASA?", ["not an answer"])

    text = run_cli(tmp_path, "gaps").stdout
    assert text.startswith("Coverage gaps in the last 30 days (since ")
    assert "3 questions refused or voted 👎, in 2 groups." in text
    assert "1. 2 questions (2 refused): “" in text
    assert "closest article: Egypt joins the ILRS (egypt-ilrs) <https://example.org/egypt-ilrs>" in text
    assert "2. 1 question (1 👎): “Who leads NASA?”" in text and "👎 “not an answer”" in text
    bad = run_cli(tmp_path, "gaps", "--days", "0")
    assert bad.returncode == 2 and "must be a whole number from 1 to 365" in bad.stderr
