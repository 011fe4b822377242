"""The development set is well-formed and its expected answers are stated in the articles it cites."""

from __future__ import annotations

from retrieval.evaluation import load_dev_set
from tests.conftest import REPO

DEV = REPO / "tests" / "data" / "qa_dev.jsonl"
ARTICLES = REPO / "corpus" / "articles"


def test_dev_set_size_and_mix() -> None:
    questions = load_dev_set(DEV)
    assert len(questions) >= 60
    assert sum(1 for q in questions if not q.answerable) >= 10
    assert len({q.id for q in questions}) == len(questions)


def test_every_expected_keyword_is_stated_by_a_supporting_article() -> None:
    problems = []
    for q in load_dev_set(DEV):
        if not q.answerable:
            assert not q.keywords and not q.doc_ids, q.id
            continue
        assert q.keywords and q.doc_ids, q.id
        texts = [(ARTICLES / f"{d}.md").read_text(encoding="utf-8").lower() for d in q.doc_ids]
        for keyword in q.keywords:
            if not any(keyword.lower() in t for t in texts):
                problems.append((q.id, keyword))
    assert problems == []
