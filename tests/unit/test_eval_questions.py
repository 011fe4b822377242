"""The evaluation questions are well-formed, split once, and their expected answers are stated in the articles."""

from __future__ import annotations

import csv
import json
from collections import Counter

from retrieval.evaluation import contains, load_questions
from tests.conftest import REPO

QUESTIONS = REPO / "tests" / "data" / "questions.jsonl"
ARTICLES = REPO / "corpus" / "articles"
STRUCTURED = (
    "member_date",
    "member_status",
    "list",
    "count",
    "ordinal",
    "first_latest",
    "order",
    "overlap",
    "founder_leader",
    "unknown_name",
)


def test_size_mix_and_a_frozen_test_split_of_at_least_100() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 300
    assert len({q.id for q in questions}) == len(questions)
    assert sum(1 for q in questions if not q.answerable) >= 40
    test = [q for q in questions if q.split == "test"]
    assert len(test) >= 100
    per_kind = Counter(q.kind for q in test)
    assert all(per_kind[k] >= 5 for k in STRUCTURED), per_kind
    assert per_kind["follow_up"] >= 5 and per_kind["unanswerable"] >= 15
    assert all(q.context for q in questions if q.kind == "follow_up")


def test_the_split_is_the_recorded_one() -> None:
    """Every question carries its split, and the test split never changes size or membership by accident."""
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert {r["split"] for r in rows} == {"tuning", "test"}
    assert sum(1 for r in rows if r["split"] == "test") == 140
    assert all(r["split"] == "tuning" for r in rows if r["kind"] == "dev")


def test_every_expected_keyword_is_stated_by_a_supporting_article_or_the_registry() -> None:
    registry = (REPO / "corpus" / "members.csv").read_text(encoding="utf-8")
    names = {row["member"] for row in csv.DictReader(registry.splitlines())}
    problems = []
    for q in load_questions(QUESTIONS):
        if not q.answerable:
            assert not q.keywords, q.id
            continue
        if not q.doc_ids:
            problems.append((q.id, "no supporting article"))
            continue
        texts = [(ARTICLES / f"{d}.md").read_text(encoding="utf-8") for d in q.doc_ids]
        for keyword in q.keywords:
            forms = (keyword,) if isinstance(keyword, str) else keyword
            if "not known" in forms:
                continue  # "the articles do not say": an absence, stated by the answer, not by an article
            if not any(contains(t, k) for t in texts for k in forms) and not any(k in names for k in forms):
                problems.append((q.id, keyword))
    assert problems == []
